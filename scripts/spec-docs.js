#!/usr/bin/env node
/**
 * Writes docs/spec.md, the reference of the spec language, from the descriptions in
 * schema/spec-v1.schema.json. The schema is the single source: edit a description there, then run
 * `npm run docs`.
 *
 *   node scripts/spec-docs.js           write docs/spec.md
 *   node scripts/spec-docs.js --check   write nothing; exit 1 when docs/spec.md is missing or out of date
 *
 * The output depends only on the schema (its key order included): no dates, no absolute paths.
 * Exit codes: 0 ok, 1 out of date (--check) or unreadable schema, 2 usage.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SCHEMA_FILE = "schema/spec-v1.schema.json";
const OUT_FILE = "docs/spec.md";

/** The description of a property: its own, else that of the definition it refers to. */
export function describedBy(schema, node) {
  const own = typeof node.description === "string" ? node.description.trim() : "";
  if (own !== "") return own;
  const name = refName(node);
  const target = name === undefined ? undefined : schema.$defs?.[name];
  return typeof target?.description === "string" ? target.description.trim() : "";
}

/** JSON pointers of every property (at any depth, $defs included) whose description is empty. */
export function undescribedProperties(schema) {
  const missing = [];
  const walk = (node, pointer) => {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return;
    for (const [key, value] of Object.entries(node.properties ?? {})) {
      const at = `${pointer}/properties/${escapePointer(key)}`;
      if (describedBy(schema, value) === "") missing.push(at);
      walk(value, at);
    }
    for (const key of ["items", "additionalProperties", "propertyNames", "not", "if", "then", "else"]) walk(node[key], `${pointer}/${key}`);
    for (const key of ["anyOf", "oneOf", "allOf", "prefixItems"]) (node[key] ?? []).forEach((n, i) => walk(n, `${pointer}/${key}/${i}`));
    for (const [key, value] of Object.entries(node.$defs ?? {})) walk(value, `${pointer}/$defs/${escapePointer(key)}`);
  };
  walk(schema, "#");
  return missing;
}

function escapePointer(key) {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

function refName(node) {
  return typeof node?.$ref === "string" && node.$ref.startsWith("#/$defs/") ? node.$ref.slice("#/$defs/".length) : undefined;
}

const hasProperties = (node) => node !== null && typeof node === "object" && typeof node.properties === "object";
const isUnion = (node) => Array.isArray(node.oneOf) && typeof node.discriminator?.propertyName === "string";

// ---------------------------------------------------------------------------------------------------
// Markdown helpers

/** Text from the schema, made safe for a Markdown table cell. */
function md(text) {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/`/g, "\\`")
    .replace(/\*/g, "\\*")
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, "\\_")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|");
}

/** Inline code, safe in a table cell (GFM reads \| inside a code span in a table as |). */
function code(text) {
  const s = String(text);
  const fence = s.includes("`") ? "``" : "`";
  const pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
  return `${fence}${pad}${s.replace(/\|/g, "\\|")}${pad}${fence}`;
}

/** A value as it is written in YAML: plain strings bare, everything else as JSON. */
function yamlValue(value) {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Splits "Text. @default X" into the text and X. */
function splitDefault(description) {
  const match = /^(.*?)\s*@default\s+(.+?)\s*$/s.exec(description);
  return match ? { text: match[1], default: match[2] } : { text: description, default: undefined };
}

/** A default that reads as a value is shown as code; one written as prose ("the operation id") is not. */
function defaultCell(value) {
  if (value === undefined) return "";
  return /^[[{'"]/.test(value) || !/\s/.test(value) ? code(value) : md(value);
}

function plural(n, one, many = `${one}s`) {
  return n === 1 ? one : many;
}

// ---------------------------------------------------------------------------------------------------
// Structure: which sections exist, where, and how they link

class Outline {
  constructor(schema) {
    this.schema = schema;
    this.defs = schema.$defs ?? {};
    /** Sections of object nodes, in the order they are printed (depth first, schema order). */
    this.sections = [];
    /** def name -> section */
    this.defSections = new Map();
    /** inline schema node -> section */
    this.inlineSections = new Map();
    /** def name -> paths it is used at (value types and object definitions alike) */
    this.uses = new Map();
    this.anchors = new Set([
      "top-level",
      "shared-objects",
      "value-types",
      ...Object.keys(this.defs).filter((name) => !hasProperties(this.defs[name])),
    ]);
    /** Definitions used in several places: documented once, under "Shared objects", by name. */
    this.shared = [];
    this.countUses();
    this.expandProperties(schema, "", 0, "top-level");
    for (let i = 0; i < this.shared.length; i++) {
      const section = this.shared[i];
      this.sections.push(section);
      this.expandProperties(section.node, section.def, 2, section.anchor);
      if (isUnion(section.node))
        for (const variant of section.node.oneOf) this.visitVariant(section.node, variant, section.def, 2, section.anchor);
    }
  }

  isShared(name) {
    return (this.refCounts.get(name) ?? 0) > 1;
  }

  /** Every $ref, counted once per place, so that shared definitions get a neutral heading. */
  countUses() {
    this.refCounts = new Map();
    const walk = (node) => {
      if (node === null || typeof node !== "object") return;
      if (Array.isArray(node)) return node.forEach(walk);
      const name = refName(node);
      if (name !== undefined) this.refCounts.set(name, (this.refCounts.get(name) ?? 0) + 1);
      for (const [key, value] of Object.entries(node)) if (key !== "$defs") walk(value);
    };
    walk(this.schema);
    for (const def of Object.values(this.defs)) walk(def);
  }

  anchor(wanted) {
    let anchor = wanted;
    for (let i = 2; this.anchors.has(anchor); i++) anchor = `${wanted}-${i}`;
    this.anchors.add(anchor);
    return anchor;
  }

  isObjectDef(name) {
    return hasProperties(this.defs[name]);
  }

  /**
   * Walks the schema of a value found at `path`, creating the sections it needs. `about` is the
   * description of the property holding the value, shown for an inline object that has none.
   */
  visit(node, path, depth, parentAnchor, about) {
    if (node === null || typeof node !== "object") return;
    const name = refName(node);
    if (name !== undefined) {
      const list = this.uses.get(name) ?? [];
      list.push({ path, parentAnchor });
      this.uses.set(name, list);
      if (!this.isObjectDef(name) || this.defSections.has(name)) return;
      const def = this.defs[name];
      if (this.isShared(name)) {
        const section = { anchor: this.anchor(name), title: name, code: false, def: name, node: def, path: name, depth: 1 };
        this.defSections.set(name, section);
        this.shared.push(section);
        return;
      }
      const section = { anchor: this.anchor(name), title: path, code: true, def: name, node: def, path, depth };
      this.defSections.set(name, section);
      this.sections.push(section);
      this.expandProperties(def, path, depth + 1, section.anchor);
      if (isUnion(def)) for (const variant of def.oneOf) this.visitVariant(def, variant, path, depth + 1, section.anchor);
      return;
    }
    if (hasProperties(node)) {
      const section = { anchor: this.anchor(slug(path)), title: path, code: true, node, path, depth, about };
      this.inlineSections.set(node, section);
      this.sections.push(section);
      this.expandProperties(node, path, depth + 1, section.anchor);
      return;
    }
    const described = typeof node.description === "string" && node.description.trim() !== "" ? node.description : about;
    if (node.items) this.visit(node.items, `${path}[]`, depth, parentAnchor, described);
    if (node.additionalProperties && typeof node.additionalProperties === "object") {
      this.visit(node.additionalProperties, `${path}.${keyPlaceholder(node)}`, depth, parentAnchor, described);
    }
    if (node.propertyNames) this.visit(node.propertyNames, `${path} (keys)`, depth, parentAnchor, described);
    for (const key of ["anyOf", "oneOf", "allOf"]) for (const alt of node[key] ?? []) this.visit(alt, path, depth, parentAnchor, described);
  }

  visitVariant(union, variant, path, depth, parentAnchor) {
    const name = refName(variant);
    const tag = union.discriminator.propertyName;
    const node = name === undefined ? variant : this.defs[name];
    const value = node.properties?.[tag]?.const;
    if (name !== undefined) {
      const list = this.uses.get(name) ?? [];
      list.push({ path, parentAnchor });
      this.uses.set(name, list);
      if (this.defSections.has(name)) return;
    }
    const section = {
      anchor: this.anchor(name ?? `${slug(path)}-${value}`),
      title: path,
      suffix: ` with ${code(`${tag}: ${yamlValue(value)}`)}`,
      code: true,
      def: name,
      node,
      path,
      depth,
      variantOf: { tag, value },
    };
    if (name !== undefined) this.defSections.set(name, section);
    else this.inlineSections.set(node, section);
    this.sections.push(section);
    this.expandProperties(node, path, depth + 1, section.anchor);
  }

  expandProperties(node, path, depth, parentAnchor) {
    for (const [key, value] of Object.entries(node.properties ?? {})) {
      this.visit(value, path === "" ? key : `${path}.${key}`, depth, parentAnchor, value.description);
    }
  }

  /** The type of a value as Markdown, linking to sections and value types. */
  type(node) {
    if (node === null || typeof node !== "object") return "any";
    const name = refName(node);
    if (name !== undefined) {
      const section = this.defSections.get(name);
      return `[${name}](#${section ? section.anchor : name})`;
    }
    if ("const" in node) return code(yamlValue(node.const));
    if (Array.isArray(node.enum)) return node.enum.map((v) => code(yamlValue(v))).join(" \\| ");
    if (Array.isArray(node.anyOf) || Array.isArray(node.oneOf)) {
      const alts = (node.anyOf ?? node.oneOf).map((alt) => this.type(alt));
      return alts.length <= 1 ? (alts[0] ?? "any") : `${alts.slice(0, -1).join(", ")} or ${alts.at(-1)}`;
    }
    const section = this.inlineSections.get(node);
    if (section) return `[object](#${section.anchor})${constraints(node)}`;
    const types = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
    if (types.includes("array") || node.items) return `list of ${this.type(node.items ?? {})}${constraints(node)}`;
    if (types.includes("object") && node.additionalProperties && typeof node.additionalProperties === "object") {
      const keys = node.propertyNames ? `, keys: ${this.keyType(node.propertyNames)}` : "";
      return `map of ${this.type(node.additionalProperties)}${constraints(node, keys)}`;
    }
    if (types.length === 0) return "any";
    const base = types.length === 1 ? types[0] : `${types.slice(0, -1).join(", ")} or ${types.at(-1)}`;
    return `${base}${constraints(node)}`;
  }

  keyType(node) {
    return refName(node) !== undefined
      ? this.type(node)
      : typeof node.pattern === "string"
        ? `matching ${code(node.pattern)}`
        : this.type(node);
  }
}

function slug(path) {
  return (
    path
      .replace(/<[^>]*>/g, "")
      .replace(/\[\]/g, "")
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "section"
  );
}

function keyPlaceholder(node) {
  return refName(node.propertyNames ?? {}) === "name" ? "<name>" : "<key>";
}

/** Size, range and pattern constraints of a node, as a parenthesised suffix. */
function constraints(node, extra = "") {
  const parts = [];
  const range = (min, max, unit) => {
    if (min !== undefined && max !== undefined) return min === max ? `${min} ${unit(min)}` : `${min}–${max} ${unit(max)}`;
    if (min !== undefined) return `≥ ${min} ${unit(min)}`;
    if (max !== undefined) return `≤ ${max} ${unit(max)}`;
    return undefined;
  };
  const chars = range(node.minLength, node.maxLength, (n) => plural(n, "char"));
  if (chars) parts.push(chars);
  const items = range(node.minItems, node.maxItems, (n) => plural(n, "item"));
  if (items) parts.push(items);
  if (node.uniqueItems) parts.push("no duplicates");
  const entries = range(node.minProperties, node.maxProperties, (n) => plural(n, "entry", "entries"));
  if (entries && !hasProperties(node)) parts.push(entries);
  if (node.exclusiveMinimum !== undefined) parts.push(`> ${node.exclusiveMinimum}`);
  if (node.minimum !== undefined) parts.push(`≥ ${node.minimum}`);
  if (node.exclusiveMaximum !== undefined) parts.push(`< ${node.exclusiveMaximum}`);
  if (node.maximum !== undefined) parts.push(`≤ ${node.maximum}`);
  if (typeof node.pattern === "string") parts.push(`matching ${code(node.pattern)}`);
  const text = parts.join(", ") + extra;
  return text === "" ? "" : ` (${text.replace(/^, /, "")})`;
}

// ---------------------------------------------------------------------------------------------------
// Rendering

function propertyTable(outline, node) {
  const required = new Set(node.required ?? []);
  const rows = ["| Property | Type | Required | Description | Default |", "| --- | --- | --- | --- | --- |"];
  for (const [key, value] of Object.entries(node.properties ?? {})) {
    const { text, default: def } = splitDefault(describedBy(outline.schema, value));
    rows.push(`| ${code(key)} | ${outline.type(value)} | ${required.has(key) ? "yes" : "no"} | ${md(text)} | ${defaultCell(def)} |`);
  }
  return rows.join("\n");
}

function objectNotes(node) {
  const notes = [];
  if (hasProperties(node)) {
    const { minProperties: min, maxProperties: max } = node;
    if (min === 1 && max === 1) notes.push("Give exactly one of these properties.");
    else if (min !== undefined && max !== undefined) notes.push(`Give ${min} to ${max} of these properties.`);
    else if (min !== undefined) notes.push(`Give at least ${min === 1 ? "one" : min} of these properties.`);
    else if (max !== undefined) notes.push(`Give at most ${max} of these properties.`);
  }
  return notes;
}

function usedIn(outline, section) {
  if (section.def === undefined) return "";
  const schemaRef = `Schema: ${code(`#/$defs/${section.def}`)}.`;
  if (!outline.isShared(section.def)) return schemaRef;
  const uses = outline.uses.get(section.def) ?? [];
  const places = [...new Map(uses.map((u) => [u.path, u])).values()].map((u) => `[${code(u.path)}](#${u.parentAnchor})`);
  return `${schemaRef} Used in ${places.join(", ")}.`;
}

function renderSection(outline, section) {
  const level = "#".repeat(2 + Math.min(section.depth, 2));
  const title = `${section.code ? code(section.title) : section.title}${section.suffix ?? ""}`;
  const lines = [`${level} <a id="${section.anchor}"></a>${title}`, ""];
  const own = typeof section.node.description === "string" ? section.node.description.trim() : "";
  const description = splitDefault(own !== "" ? own : (section.about ?? "").trim()).text;
  if (description) lines.push(md(description), "");
  const schemaLine = usedIn(outline, section);
  if (schemaLine) lines.push(schemaLine, "");
  for (const note of objectNotes(section.node)) lines.push(note, "");
  lines.push(propertyTable(outline, section.node), "");
  if (isUnion(section.node)) {
    const tag = section.node.discriminator.propertyName;
    lines.push(`The variant is chosen by ${code(tag)}; each variant allows only its own properties:`, "");
    lines.push(`| ${code(tag)} | Variant | Description |`, "| --- | --- | --- |");
    for (const variant of section.node.oneOf) {
      const name = refName(variant);
      const node = name === undefined ? variant : outline.defs[name];
      const target = name === undefined ? outline.inlineSections.get(node) : outline.defSections.get(name);
      const value = node.properties?.[tag]?.const;
      const label = name ?? `${tag}: ${yamlValue(value)}`;
      const text = node.description ? md(splitDefault(node.description.trim()).text) : "";
      lines.push(`| ${code(yamlValue(value))} | [${label}](#${target.anchor}) | ${text} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

function valueTypes(outline) {
  const rows = ["| Type | Written as | Description |", "| --- | --- | --- |"];
  for (const [name, def] of Object.entries(outline.defs)) {
    if (hasProperties(def)) continue;
    const { text } = splitDefault((def.description ?? "").trim());
    rows.push(`| <a id="${name}"></a>${code(name)} | ${outline.type({ ...def, description: undefined })} | ${md(text)} |`);
  }
  return rows.join("\n");
}

const INTRO = (
  schema,
  schemaPath,
) => `<!-- Generated by scripts/spec-docs.js from ${schemaPath}: do not edit. Edit the descriptions in the schema, then run \`npm run docs\`. -->

# Spec language reference, version 1

${md(schema.description ?? "")}

This page is generated from the JSON Schema of the spec language, [${schemaPath}](../${schemaPath}) (JSON Schema draft
2020-12), and lists every property the language has. For a guided first spec, see the walkthrough in the
[README](../README.md).

## Writing a spec

- **One YAML document per provider**, in \`specs/<provider>.yaml\` (or \`.yml\`). A second document in the same
  file (after \`---\`) is an error, and so is a second spec for the same provider name.
- **Editor completion.** Start the file with

  \`\`\`yaml
  # yaml-language-server: $schema=../schema/spec-v1.schema.json
  \`\`\`

  and any editor with the YAML language server completes property names, shows these descriptions on hover
  and marks mistakes as you type. \`npx switchboard new <provider>\` writes a starter spec with that line.
- **Durations** are a number and a unit, \`ms\`, \`s\`, \`m\`, \`h\` or \`d\`: \`500ms\`, \`30s\`, \`1.5h\`, \`1d\`.
- **JSON paths** point into a JSON body: a leading \`$\`, then \`.name\` for object members and \`[n]\` for array
  items, as in \`$.error.code\` or \`$.errors[0].message\`.
- **Header names** are matched case-insensitively: \`Retry-After\` and \`retry-after\` are the same header.
- **Unknown properties are errors** (with a "did you mean" suggestion), so a typo never silently turns a
  setting off. \`npx switchboard validate specs/<provider>.yaml\` reports every problem at once, with its line
  and column.

In the tables below, **Required** says whether the property must be given; **Default** is the value used when
it is omitted (taken from the \`@default\` note of its description in the schema). Types link to the section
describing them: objects used in several places are under [Shared objects](#shared-objects), formats of
single values (\`duration\`, \`jsonPath\`, \`headerName\`, ...) under [Value types](#value-types). \`<name>\` in a path stands for a key you choose; \`[]\` for each item of a list.
`;

export function renderSpecDocs(schema, schemaPath = SCHEMA_FILE) {
  const outline = new Outline(schema);
  const parts = [INTRO(schema, schemaPath)];
  parts.push(`\n## <a id="top-level"></a>Top level\n\n`);
  for (const note of objectNotes(schema)) parts.push(`${note}\n\n`);
  parts.push(`${propertyTable(outline, schema)}\n`);
  const firstShared = outline.shared[0];
  for (const section of outline.sections) {
    if (section === firstShared) {
      parts.push(`\n## <a id="shared-objects"></a>Shared objects\n\nObjects used in several places of a spec.\n`);
    }
    parts.push(`\n${renderSection(outline, section)}`);
  }
  parts.push(
    `\n## <a id="value-types"></a>Value types\n\nFormats of single values, referred to by name in the tables above.\n\n${valueTypes(outline)}\n`,
  );
  return parts.join("");
}

function main(argv) {
  let check = false;
  for (const arg of argv) {
    if (arg === "--check") check = true;
    else if (arg === "-h" || arg === "--help") {
      process.stdout.write(
        `Usage: node scripts/spec-docs.js [--check]\n\nWrites ${OUT_FILE} from ${SCHEMA_FILE}; --check writes nothing and exits 1 when it is out of date.\n`,
      );
      return 0;
    } else {
      process.stderr.write(`spec-docs: unknown argument ${arg}\nUsage: node scripts/spec-docs.js [--check]\n`);
      return 2;
    }
  }
  let schema;
  try {
    schema = JSON.parse(readFileSync(path.join(root, SCHEMA_FILE), "utf8"));
  } catch (error) {
    process.stderr.write(`spec-docs: cannot read ${SCHEMA_FILE}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  for (const pointer of undescribedProperties(schema))
    process.stderr.write(`spec-docs: warning: ${SCHEMA_FILE}${pointer} has no description\n`);
  const text = renderSpecDocs(schema);
  const out = path.join(root, OUT_FILE);
  const current = existsSync(out) ? readFileSync(out, "utf8") : undefined;
  if (check) {
    if (current === text) return 0;
    process.stderr.write(`spec-docs: ${OUT_FILE} is ${current === undefined ? "missing" : "out of date"}: run 'npm run docs'\n`);
    return 1;
  }
  if (current === text) {
    process.stdout.write(`${OUT_FILE} is up to date\n`);
    return 0;
  }
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, text, "utf8");
  process.stdout.write(`wrote ${OUT_FILE}\n`);
  return 0;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
