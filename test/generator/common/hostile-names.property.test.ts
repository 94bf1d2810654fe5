/**
 * Property: a spec built from random and hostile strings either fails with error diagnostics (and no
 * model, never an exception), or generates files that are prettier-formatted, compile under the
 * repo's strict compiler options with zero diagnostics, and carry none of the injected payloads as
 * code. Payloads try to get `__pwned` executed from every place spec text reaches (JSDoc, line
 * comments, string literals, template literals, identifiers); no generated identifier can be named
 * `__pwned` (names lose their underscores), so an Identifier node with that text means an escape failed.
 *
 * Every run batches many random names into one spec, so one type-check covers dozens of names.
 * fast-check prints the seed and the shrunk counterexample on failure; replay with
 * `{ seed, path }` in fc.assert's options.
 */
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { emitProvider } from "../../../generator/emit/emit.js";
import { formatTypeScript } from "../../../generator/output/format.js";
import type { OperationModel, SpecModel } from "../../../generator/model/ir.js";
import { loadSpec } from "../../../generator/load.js";
import { memberName } from "../../../generator/common/names.js";
import { eventTypeName } from "../../../generator/common/operation-names.js";
import { typecheck } from "../../helpers/typecheck.js";

const PWNED = "__pwned";

/** Text meant to break out of a comment, string, template or line and run `__pwned`. */
const PAYLOADS = [
  `*/ globalThis.${PWNED} = 1; /*`,
  `*/\n${PWNED}();\n/**`,
  `\`; globalThis.${PWNED} = 1; \``,
  `\${globalThis.${PWNED} = 1}`,
  `\${${PWNED}()}`,
  `"); globalThis.${PWNED} = 1; ("`,
  `'); globalThis.${PWNED} = 1; ('`,
  `\\"; globalThis.${PWNED} = 1; //`,
  `\\\`; ${PWNED}(); \``,
  `\u2028globalThis.${PWNED} = 1; //`,
  `\u2029${PWNED}();`,
  `\r\n${PWNED}();\n//`,
  `\r${PWNED}();`,
  `\u0085${PWNED}();`,
  `</script><script>globalThis.${PWNED} = 1</script>`,
  `\u0000*/${PWNED}()/*`,
  `*\u0000/ ${PWNED}(); /*`,
  `*\r\n/ ${PWNED}(); /*`,
  `\x1b[31m\x07\x08\x0b\x0c\x7f ${PWNED}`,
  `@deprecated\n@param x ${PWNED}`,
  `} ${PWNED}(); {`,
  `\\u0022; ${PWNED}(); //`,
  `\\\\\`\${${PWNED}}`,
  `$\{${PWNED}}`,
  `$$\{${PWNED}}`,
];

/** Words that are special somewhere in TypeScript, JavaScript objects, or the generated code itself. */
const RESERVED = [
  "constructor",
  "delete",
  "default",
  "__proto__",
  "class",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "then",
  "await",
  "yield",
  "let",
  "static",
  "enum",
  "undefined",
  "NaN",
  "Infinity",
  "arguments",
  "eval",
  "new",
  "function",
  "this",
  "super",
  "import",
  "export",
  "type",
  "interface",
  "namespace",
  "declare",
  "readonly",
  "keyof",
  "satisfies",
  "any",
  "never",
  "unknown",
  "object",
  "string",
  "globalThis",
  "body",
  "params",
  "options",
  "core",
  "operations",
  "definition",
  "encodePath",
  "ClientCore",
  "RequestOptions",
  "OperationDefinition",
  "WebhookEvent",
  "webhook",
  "webhooksDefinition",
  "errorsDefinition",
  "Params",
  "Resource",
  "Event",
  "Client",
  "apiVersion",
];

/** Names with leading digits, separators, non-Latin scripts, combining marks, bidi controls, case traps. */
const TRICKY = [
  "1abc",
  "9",
  "007",
  "-x",
  ".x",
  "a.b",
  "a-b",
  "a_b",
  "a__b",
  "a/b",
  "a b",
  "aB",
  "AB",
  "Ab",
  "URLs",
  "ID",
  "x1Y",
  "💥",
  "a💥b",
  "👩‍👩‍👧",
  "e\u0301",
  "\u0301x",
  "\u05D0\u05D1\u05D2",
  "\u0627\u0644\u0639\u0631\u0628\u064A\u0629",
  "\u202Eevil\u202C",
  "\u200Fx",
  "ℕ",
  "ǅx",
  "ß",
  "İstanbul",
  "ƛ",
  "ɤ",
  "\u088F",
  "\u{1E030}x",
  "\u0663x",
  "𝒳",
  "日本語",
  "한국어",
  "$",
  "_",
  "$a",
  "a$b",
  "${x}",
  "x\u200Dy",
  "x\u200Cy",
  "\u00B7x",
  "a\u2028b",
  "a\u0000b",
  "\ud800",
  "a\udc00b",
  "ñ",
  "\u3164",
  "\uFEFFx",
  "x\u00A0y",
  "<<",
  "~",
  "null",
  "true",
  "0x1F",
  "1e3",
  "{x}",
  "%2F",
  "..",
];

const text = (max: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...PAYLOADS) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: max }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: max }) },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.oneof(fc.constantFrom(...PAYLOADS, ...TRICKY), fc.string({ unit: "binary", maxLength: 8 })), {
          minLength: 1,
          maxLength: 4,
        })
        .map((parts) => parts.join("")),
    },
  );

/** A name from the spec (a map key, a group, an operation name): 1 to 40 characters of anything. */
const rawName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...RESERVED) },
  { weight: 4, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom(...PAYLOADS) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...RESERVED, ...TRICKY),
        fc.constantFrom("", ".", "-", "_", " ", "/", "$", ":"),
        fc.oneof(fc.constantFrom(...RESERVED, ...TRICKY), fc.string({ unit: "binary", minLength: 1, maxLength: 6 })),
      )
      .map(([a, sep, b]) => `${a}${sep}${b}`),
  },
);
const name = rawName.filter((s) => [...s].length >= 1 && [...s].length <= 40);

/** Distinct names by the identifier they become (so that most specs pass the collision checks). */
const names = (min: number, max: number, selector: (n: string) => string = memberName) =>
  fc.uniqueArray(name, { minLength: min, maxLength: max, selector });

/** A path placeholder name: anything but braces. */
const placeholder = fc.oneof(name, fc.constant("apiVersion")).filter((s) => !/[{}]/.test(s));

const staticSegment = fc.oneof(
  name,
  fc.constantFrom(
    "v1",
    "2024-01-01",
    "`",
    "${x}",
    "$",
    "\\",
    "\\u0041",
    "%2F",
    "..",
    "?q=1",
    "#frag",
    "a$",
    "{",
    "}",
    "{}",
    "*/",
    "a\rb",
    "\r\n",
    "\n",
    "\u2028",
  ),
);

const segment = fc.oneof(
  { weight: 3, arbitrary: staticSegment.map((s) => ({ static: s })) },
  { weight: 2, arbitrary: placeholder.map((p) => ({ placeholder: p })) },
);

const operation = fc.record(
  {
    method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"),
    segments: fc.array(segment, { minLength: 1, maxLength: 5 }),
    /** Which declared group (index into the spec's groups), or none: derived from the path. */
    group: fc.option(fc.nat(3), { nil: undefined }),
    name: fc.option(name, { nil: undefined }),
    summary: text(60),
    description: text(200),
    deprecated: fc.boolean(),
    params: names(0, 5),
    paramIn: fc.array(fc.constantFrom("query", "header", "path"), { minLength: 5, maxLength: 5 }),
    paramDescriptions: fc.array(text(40), { minLength: 5, maxLength: 5 }),
    /** Declare placeholders as `in: path` params (with a description), or leave them implicit. */
    declarePlaceholders: fc.boolean(),
    body: fc.option(fc.record({ encoding: fc.constantFrom("json", "form", "multipart"), required: fc.boolean() }), { nil: undefined }),
    /** Indexes into the spec's buckets. */
    buckets: fc.uniqueArray(fc.nat(2), { maxLength: 2 }),
  },
  {
    requiredKeys: [
      "method",
      "segments",
      "summary",
      "description",
      "deprecated",
      "params",
      "paramIn",
      "paramDescriptions",
      "declarePlaceholders",
      "buckets",
    ],
  },
);

/** Text without white space, for the tail of a URL (the schema allows anything else). */
const urlTail = fc.oneof(
  fc.constantFrom("", "/v1", "/`${__pwned}`", "/*/__pwned/*", "/\\\"'", "/{apiVersion}", "/</script>", "/%E2%80%A8"),
  fc.string({ unit: "binary", maxLength: 10 }).map((t) => `/${t.replace(/\s/gu, "")}`),
);

const providerName = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
  fc.constantFrom("constructor", "class", "delete", "default", "webhook", "client", "errors", "a-b", "x--", "proto", "a1", "z-9"),
);

const specArbitrary = fc.record({
  file: fc.oneof(
    fc.constant("specs/hostile.yaml"),
    text(30).map((t) => `specs/${t}.yaml`),
  ),
  provider: fc.record({
    name: providerName,
    title: text(60).filter((t) => t.length > 0 && [...t].length <= 200),
    description: text(300),
    userAgent: text(40).filter((t) => [...t].length <= 200),
    docsUrl: fc.constantFrom("https://docs.example.test/*/__pwned", "https://x.test/`${__pwned}`", "https://x.test/\\\"'"),
    sources: fc.array(
      text(40).filter((t) => t.length > 0),
      { maxLength: 3 },
    ),
  }),
  environments: names(1, 4, (n) => n),
  baseUrlTail: urlTail,
  environmentDescriptions: fc.array(text(40), { minLength: 4, maxLength: 4 }),
  defaultEnvironment: fc.nat(3),
  authModes: names(1, 3, (n) => n),
  authTypes: fc.array(fc.constantFrom("bearer", "basic", "apiKey"), { minLength: 3, maxLength: 3 }),
  authDescriptions: fc.array(text(40), { minLength: 3, maxLength: 3 }),
  defaultAuth: fc.nat(2),
  oauth2: fc.option(
    fc.record({
      name,
      scopes: fc.uniqueArray(name, { maxLength: 3 }),
      params: fc.uniqueArray(name, { maxLength: 3 }),
      values: fc.array(text(20), { minLength: 3, maxLength: 3 }),
      accept: text(20),
    }),
    { nil: undefined },
  ),
  buckets: names(0, 3, (n) => n),
  bucketTexts: fc.array(text(40), { minLength: 3, maxLength: 3 }),
  bucketPaths: fc.array(staticSegment, { minLength: 3, maxLength: 3 }),
  rules: fc.array(fc.record({ code: text(20), type: text(20) }), { maxLength: 3 }),
  limitedWhenEquals: text(20),
  signature: fc.record({
    separator: text(3).filter((t) => t.length > 0),
    timestampKey: name,
    signatureKey: name,
    literal: text(10),
  }),
  versionSend: fc.constantFrom("header", "query"),
  errorCodes: fc.uniqueArray(fc.oneof(name, fc.string({ unit: "binary", maxLength: 6 })), { maxLength: 6 }),
  errorTexts: fc.array(text(40), { minLength: 6, maxLength: 6 }),
  versions: fc.uniqueArray(fc.oneof(name, fc.constantFrom("2024-01-01", "v1", "2026-10-28.endive")), { minLength: 1, maxLength: 4 }),
  versionTexts: fc.array(text(40), { minLength: 4, maxLength: 4 }),
  pinned: fc.nat(3),
  events: fc.uniqueArray(fc.oneof(name, fc.string({ unit: "binary", maxLength: 6 })), {
    maxLength: 8,
    selector: (type) => eventTypeName("", type),
  }),
  eventTexts: fc.array(text(40), { minLength: 8, maxLength: 8 }),
  groups: names(1, 4),
  operations: fc.uniqueArray(fc.tuple(name, operation), { minLength: 1, maxLength: 8, selector: ([id]) => id }),
});

type SpecInput = typeof specArbitrary extends fc.Arbitrary<infer T> ? T : never;

function buildSpec(input: SpecInput): Record<string, unknown> {
  const put = (target: Record<string, unknown>, key: string, value: unknown) =>
    // A key named __proto__ must be an own property (yaml's stringify and parse keep it one).
    Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  const environments: Record<string, unknown> = {};
  input.environments.forEach((env, i) =>
    put(environments, env, {
      baseUrl: `https://api${i}.example.test${input.baseUrlTail}`,
      description: input.environmentDescriptions[i],
      ...(i === input.defaultEnvironment % input.environments.length && { default: true }),
    }),
  );
  const modes: Record<string, unknown> = {};
  input.authModes.forEach((mode, i) => {
    const type = input.authTypes[i]!;
    put(modes, mode, {
      type,
      description: input.authDescriptions[i],
      ...(type === "apiKey" && { in: "header", name: "X-Api-Key" }),
    });
  });
  if (input.oauth2 && !Object.hasOwn(modes, input.oauth2.name)) {
    const { scopes, params, values, accept } = input.oauth2;
    const scopeMap: Record<string, unknown> = {};
    scopes.forEach((scope, i) => put(scopeMap, scope, values[i]));
    const paramMap: Record<string, unknown> = {};
    params.forEach((param, i) => put(paramMap, param, values[2 - i]));
    put(modes, input.oauth2.name, {
      type: "oauth2",
      tokenUrl: `https://auth.example.test/token${input.baseUrlTail}`,
      grants: ["clientCredentials"],
      scopes: scopeMap,
      authorizationParams: paramMap,
      tokenResponse: { accept },
    });
  }
  const buckets: Record<string, unknown> = {};
  input.buckets.forEach((bucket, i) =>
    put(buckets, bucket, {
      rate: 10,
      per: "1s",
      description: input.bucketTexts[i],
      appliesTo: i === 0 ? { groups: [...input.groups] } : { paths: [`/${input.bucketPaths[i]}`] },
    }),
  );
  const codes: Record<string, unknown> = {};
  input.errorCodes.forEach((code, i) =>
    put(codes, code, { kind: "validation", hint: input.errorTexts[i], description: input.errorTexts[5 - i] }),
  );
  const supported: Record<string, unknown> = {};
  input.versions.forEach((version, i) => put(supported, version, { description: input.versionTexts[i] }));
  const events: Record<string, unknown> = {};
  input.events.forEach((type, i) => put(events, type, { description: input.eventTexts[i] }));
  const inline: Record<string, unknown> = {};
  for (const [id, op] of input.operations) {
    const params: Record<string, unknown> = {};
    // A placeholder may appear once per path, and two placeholders (or a placeholder and a parameter, or
    // the body) must not become the same property: those are diagnosed (SB3008, SB3004). Later ones stay text.
    const seen = new Set<string>();
    const properties = new Set<string>(["body"]);
    const segments = op.segments.map((s) => {
      if (!("placeholder" in s)) return s;
      const property = s.placeholder === "apiVersion" ? undefined : memberName(s.placeholder);
      if (seen.has(s.placeholder) || (property !== undefined && properties.has(property))) return { static: s.placeholder };
      seen.add(s.placeholder);
      if (property !== undefined) properties.add(property);
      return s;
    });
    const placeholders = [...seen].filter((p) => p !== "apiVersion");
    op.params.forEach((param, i) => {
      if (seen.has(param) || properties.has(memberName(param))) return;
      // A declared `in: path` parameter must appear in the path: put it there (braces cannot).
      const where = op.paramIn[i] === "path" && (/[{}]/.test(param) || param === "apiVersion") ? "query" : op.paramIn[i]!;
      if (where === "path") segments.push({ placeholder: param });
      put(params, param, { in: where, description: op.paramDescriptions[i] });
    });
    if (op.declarePlaceholders) for (const p of new Set(placeholders)) put(params, p, { in: "path", description: op.paramDescriptions[0] });
    put(inline, id, {
      method: op.method,
      path: `/${segments.map((s) => ("placeholder" in s ? `{${s.placeholder}}` : s.static)).join("/")}`,
      ...(op.group !== undefined && { group: input.groups[op.group % input.groups.length] }),
      ...(op.name !== undefined && { name: op.name }),
      summary: op.summary,
      description: op.description,
      deprecated: op.deprecated,
      ...(Object.keys(params).length > 0 && { params }),
      // A GET or HEAD sends no body (SB3010): the body goes with the methods that carry one.
      ...(op.body && op.method !== "GET" && op.method !== "HEAD" && { body: op.body }),
      ...(input.buckets.length > 0 &&
        op.buckets.length > 0 && { buckets: [...new Set(op.buckets.map((b) => input.buckets[b % input.buckets.length]!))] }),
    });
  }
  return {
    switchboard: 1,
    provider: {
      name: input.provider.name,
      title: input.provider.title,
      ...(input.provider.description !== "" && { description: input.provider.description }),
      userAgent: input.provider.userAgent,
      docsUrl: input.provider.docsUrl,
      sources: [...input.provider.sources],
    },
    environments,
    auth: { default: input.authModes[input.defaultAuth % input.authModes.length], modes, sources: [...input.provider.sources] },
    rateLimits: {
      limitedWhen: [{ status: 429, body: { path: "$.error.code", equals: input.limitedWhenEquals } }],
      buckets,
    },
    errors: {
      rules: input.rules.map((r) => ({ ...r, kind: "validation" })),
      codes,
      sources: [...input.provider.sources],
    },
    versions: {
      pinned: input.versions[input.pinned % input.versions.length],
      send: { in: input.versionSend, name: "X-Api-Version" },
      supported,
      sources: [...input.provider.sources],
    },
    webhooks: {
      signature: {
        algorithm: "hmac-sha256",
        header: "X-Signature",
        format: {
          style: "keyValue",
          separator: input.signature.separator,
          timestampKey: input.signature.timestampKey,
          signatureKey: input.signature.signatureKey,
        },
        content: ["timestamp", { literal: input.signature.literal }, "body"],
        encoding: "hex",
      },
      events,
      sources: [...input.provider.sources],
    },
    operations: { inline },
  };
}

interface Inspection {
  /** Payloads that became code, keys that set a prototype, syntax errors. */
  readonly problems: string[];
  /** Texts of every string literal and every property name. */
  readonly strings: Set<string>;
  /** encodePath`...` templates: cooked static parts and the substituted expressions. */
  readonly paths: string[];
}

/** Scans one generated file's AST. */
function inspect(file: string, text: string): Inspection {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const result: Inspection = { problems: [], strings: new Set(), paths: [] };
  const visit = (node: ts.Node): void => {
    if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && node.text.includes(PWNED)) {
      result.problems.push(`${file}: identifier ${node.text} at ${node.getStart()}`);
    }
    if (ts.isStringLiteral(node)) result.strings.add(node.text);
    if ((ts.isPropertyAssignment(node) || ts.isPropertySignature(node)) && ts.isIdentifier(node.name)) result.strings.add(node.name.text);
    if (ts.isPropertyAssignment(node) && !ts.isComputedPropertyName(node.name) && ts.isObjectLiteralExpression(node.parent)) {
      const key = ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) ? node.name.text : undefined;
      if (key === "__proto__") result.problems.push(`${file}: object literal key __proto__ sets the prototype at ${node.getStart()}`);
    }
    if (ts.isTaggedTemplateExpression(node) && node.tag.getText() === "encodePath") {
      const t = node.template;
      result.paths.push(
        ts.isNoSubstitutionTemplateLiteral(t)
          ? JSON.stringify([t.text])
          : JSON.stringify([t.head.text, ...t.templateSpans.flatMap((span) => [span.expression.getText(), span.literal.text])]),
      );
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const parseErrors = (source as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  for (const d of parseErrors) result.problems.push(`${file}: syntax error ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  return result;
}

/**
 * The encodePath template an operation needs, computed from the model independently of the
 * emitter: static text (with {apiVersion} kept as text) around `params.<property>` of each placeholder.
 */
function expectedPath(op: OperationModel): string | undefined {
  const pieces = op.path.split(/\{([^{}]+)\}/);
  const out: string[] = [pieces[0]!];
  for (let i = 1; i < pieces.length; i += 2) {
    const name = pieces[i]!;
    if (name === "apiVersion") out[out.length - 1] += `{apiVersion}${pieces[i + 1]!}`;
    else out.push(`params.${op.params.find((p) => p.name === name)!.property}`, pieces[i + 1]!);
  }
  return out.length === 1 ? undefined : JSON.stringify(out);
}

/** Spec values the generated code must carry verbatim, as string literals or property names. */
function expectedStrings(model: SpecModel): string[] {
  return [
    model.provider.title,
    ...model.environments.map((e) => e.name),
    ...model.authModes.map((m) => m.name),
    ...model.events.map((e) => e.type),
    ...model.errorCodes.map((c) => c.code),
    ...model.versions.map((v) => v.version),
    ...model.groups.flatMap((g) =>
      g.operations.flatMap((op) => [op.id, op.path, ...op.params.filter((p) => p.in !== "path").map((p) => p.name)]),
    ),
  ];
}

interface RunStats {
  runs: number;
  generated: number;
  rejected: number;
  typecheckMs: number;
  rejections: Map<string, number>;
}

async function checkSpec(input: SpecInput, stats: RunStats): Promise<void> {
  await checkYaml(input.file, stringify(buildSpec(input)), stats);
}

/** Returns the model when the spec generated (and passed every check), undefined when it was rejected. */
async function checkYaml(file: string, yaml: string, stats: RunStats): Promise<SpecModel | undefined> {
  stats.runs++;
  const result = loadSpec(file, yaml);
  if (!result.model) {
    stats.rejected++;
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    expect(errors.length, "no model, so there must be an error diagnostic").toBeGreaterThan(0);
    for (const e of errors) stats.rejections.set(e.code, (stats.rejections.get(e.code) ?? 0) + 1);
    if (process.env["HOSTILE_DEBUG"]) console.log(errors.map((e) => `${e.code} ${e.message}`).join("\n"));
    return undefined;
  }
  stats.generated++;
  const model = result.model;
  const emitted = emitProvider(model, { runtimeImport: "@switchboard/runtime/contract", generatorVersion: "0.0.0-test" });
  const files = new Map<string, string>();
  const problems: string[] = [];
  const strings = new Set<string>();
  const paths: string[] = [];
  for (const file of emitted) {
    if (!/^(resources\/)?[a-z0-9]+(-[a-z0-9]+)*\.ts$/.test(file.path)) problems.push(`unsafe file name ${JSON.stringify(file.path)}`);
    const formatted = await formatTypeScript(file.text);
    if ((await formatTypeScript(formatted)) !== formatted) problems.push(`${file.path} is not stable under prettier`);
    const found = inspect(file.path, formatted);
    problems.push(...found.problems);
    for (const s of found.strings) strings.add(s);
    paths.push(...found.paths);
    files.set(`generated/${model.provider.name}/${file.path}`, formatted);
  }
  if (new Set(emitted.map((f) => f.path)).size !== emitted.length) problems.push("two files with the same path");
  for (const value of expectedStrings(model)) {
    if (!strings.has(value)) problems.push(`${JSON.stringify(value)} is not in the generated code as a literal`);
  }
  for (const op of model.groups.flatMap((g) => g.operations)) {
    const path = expectedPath(op);
    if (path !== undefined && !paths.includes(path))
      problems.push(`no encodePath template for ${op.id} means ${path} (have ${paths.join(", ")})`);
  }
  const checked = typecheck(files);
  stats.typecheckMs += checked.elapsedMs;
  problems.push(...checked.diagnostics);
  if (problems.length > 0) {
    throw new Error(
      `${problems.join("\n")}\n\n--- spec ---\n${yaml}\n--- files ---\n${[...files].map(([p, t]) => `// ${p}\n${t}`).join("\n")}`,
    );
  }
  return model;
}

/** Object with own keys only, __proto__ included. */
function record(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
  return out;
}

/**
 * One spec with every hostile input that once broke the generator (each found by the property
 * above), so that they stay covered whatever seed the property draws.
 */
function regressionSpec(): Record<string, unknown> {
  const op = (path: string, extra: Record<string, unknown> = {}) => ({ method: "GET", path, ...extra });
  return {
    switchboard: 1,
    provider: {
      name: "webhook",
      title: "Regression */ /*",
      // A description ending in /* before a @see tag: ts-morph closed the "nested comment" itself.
      description: `ends with an opener /*`,
      docsUrl: "https://docs.example.test/*/__pwned",
    },
    environments: record([
      ["__proto__", { baseUrl: "https://proto.example.test", default: true }],
      ["toString", { baseUrl: "https://tostring.example.test" }],
    ]),
    auth: {
      default: "toString",
      // Object member names as keys of Record<string, T> lose the contextual type.
      modes: record([
        ["toString", { type: "bearer" }],
        ["hasOwnProperty", { type: "apiKey", in: "header", name: "X-Key" }],
        ["isPrototypeOf", { type: "basic" }],
        ["__proto__", { type: "bearer" }],
      ]),
    },
    rateLimits: {
      buckets: record([
        ["valueOf", { rate: 1, per: "1s", appliesTo: { methods: ["GET"] } }],
        ["__proto__", { rate: 1, per: "1s" }],
      ]),
    },
    errors: {
      codes: record([
        ["__proto__", { kind: "validation" }],
        ["constructor", { kind: "not_found" }],
      ]),
    },
    versions: {
      pinned: "propertyIsEnumerable",
      send: { in: "header", name: "X-Version" },
      supported: record([
        ["propertyIsEnumerable", {}],
        ["__proto__", {}],
      ]),
    },
    webhooks: {
      signature: { algorithm: "hmac-sha256", header: "X-Signature", format: { style: "single" }, content: ["body"], encoding: "hex" },
      // "WebhookEvent" is imported by webhooks.ts, "WebhookWebhookEvent" is the union it declares.
      events: record([
        ["webhook", {}],
        ["webhook.webhook", {}],
        ["__proto__", {}],
      ]),
    },
    operations: {
      inline: record([
        // A letter of Unicode 16 (Node accepts it in identifiers, tsc does not).
        ["\u088F", op("/letters/{\u088F}", { group: "letters" })],
        // A non-ASCII method name: operations["ͱ"], not operations.["ͱ"].
        ["\u0370", op("/letters", { group: "letters", name: "\u0370" })],
        // Undeclared placeholders that become the same property, one of them `body`.
        // Undeclared placeholder named like an Object.prototype member.
        ["proto", op("/proto/{constructor}/{toString}", { group: "letters" })],
        // Query parameter named __proto__ (a query record key), and a hasOwnProperty method.
        [
          "hasOwnProperty",
          op("/own", {
            group: "letters",
            params: record([
              ["__proto__", { in: "query" }],
              ["then", { in: "header" }],
              // U+2E2F, a modifier letter ECMAScript excludes from identifiers: prettier's default
              // quoteProps unquoted the key and the file no longer parsed (seed 632816576).
              ["\u2E2F", { in: "query" }],
              ["a\u2E2Fb", { in: "header" }],
            ]),
          }),
        ],
        // A static part ending in $ before {apiVersion}, and line breaks, in a dynamic path.
        ["dollar", op("/a$/{apiVersion}/\r\n/{id}", { group: "letters" })],
        // Groups that differ as properties but not as class names; a Windows device name.
        ["con.list", op("/con", { group: "con" })],
        ["then.list", op("/then", { group: "then" })],
      ]),
    },
  };
}

const NUM_RUNS = Number(process.env["HOSTILE_RUNS"] ?? 100);

describe("hostile names and texts", () => {
  it(
    "either fail with diagnostics or generate formatted, compiling, inert code",
    async () => {
      const stats: RunStats = { runs: 0, generated: 0, rejected: 0, typecheckMs: 0, rejections: new Map() };
      const started = performance.now();
      await fc.assert(
        fc.asyncProperty(specArbitrary, (input) => checkSpec(input, stats)),
        { numRuns: NUM_RUNS },
      );
      const elapsed = performance.now() - started;
      console.log(
        `hostile specs: ${stats.runs} runs, ${stats.generated} generated and compiled, ${stats.rejected} rejected ` +
          `(${[...stats.rejections].map(([c, n]) => `${c}x${n}`).join(", ")}); ${Math.round(elapsed)} ms, ` +
          `type-checking ${Math.round(stats.typecheckMs)} ms`,
      );
      // The property is only meaningful if most specs get through to generation.
      expect(stats.generated).toBeGreaterThanOrEqual(Math.ceil(NUM_RUNS / 2));
    },
    // About 0.3 s per run on 2 cores, plus shrinking time when a run fails.
    60_000 + NUM_RUNS * 1_000,
  );

  it("placeholders or groups that would share a property or class are diagnosed, not renamed", () => {
    const base = { switchboard: 1, provider: { name: "acme", title: "Acme" }, environments: { live: { baseUrl: "https://a.test" } } };
    const inline = {
      collide: { method: "POST", path: "/collide/{$}/{<<}/{body}", group: "letters", body: { encoding: "json" } },
      "aB.list": { method: "GET", path: "/ab1", group: "aB" },
      "AB.get": { method: "GET", path: "/ab2", group: "AB" },
    };
    const result = loadSpec("specs/regression.yaml", stringify({ ...base, operations: { inline } }));
    expect(result.model).toBeUndefined();
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      "SB3004 path parameter {<<} and path parameter {$} both become the property _",
      "SB3004 path parameter {body} becomes the property body, which the request body already uses",
      'SB3004 group "AB" and group "aB" both become the class AcmeABResource; rename one',
    ]);
  });

  it("inputs that once broke the generator generate compiling, inert code", async () => {
    const stats: RunStats = { runs: 0, generated: 0, rejected: 0, typecheckMs: 0, rejections: new Map() };
    const yaml = stringify(regressionSpec());
    const model = await checkYaml("specs/regression.yaml", yaml, stats);
    expect(model, `rejected: ${[...stats.rejections.keys()].join(", ")}`).toBeDefined();
    const letters = model!.groups.find((g) => g.name === "letters")!;
    const properties = (id: string) => letters.operations.find((o) => o.id === id)!.params.map((p) => p.property);
    expect(properties("proto")).toEqual(["constructor_", "toString_"]);
    expect(properties("hasOwnProperty")).toEqual(["proto", "aB", "then_", "_"]);
    expect(letters.operations.map((o) => o.method)).toContain("hasOwnProperty_");
    expect(model!.groups.map((g) => [g.name, g.property, g.className, g.fileName])).toEqual([
      ["con", "con", "WebhookConResource", "con-group"],
      ["letters", "letters", "WebhookLettersResource", "letters"],
      ["then", "then_", "WebhookThenResource", "then"],
    ]);
    expect(model!.events.map((e) => [e.type, e.typeName])).toEqual([
      ["__proto__", "WebhookProtoEvent"],
      ["webhook", "WebhookWebhookEvent_"],
      ["webhook.webhook", "WebhookWebhookWebhookEvent"],
    ]);
  });
});
