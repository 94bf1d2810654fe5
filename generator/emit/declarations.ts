/**
 * The one way emitters write code: each builds its file as a list of declarations (a small typed tree:
 * imports, exports, type aliases, interfaces, constants, functions, classes, each with its JSDoc) and
 * `printDeclarations` prints the list once. Only what a tree would not make clearer stays text: types
 * (printed from the schema converter's tree, or composed from names), initializers (printed from data by
 * literal.ts) and one-line method bodies. The printer does not indent or break lines: it writes object
 * types one member a line and everything else on one line, in prettier's spacing, quotes and semicolons,
 * and output/format.ts gives that text prettier's layout (output/layout.ts relies on this shape; what
 * it does not recognize goes to prettier), keeping the blank lines the printer puts between declarations.
 */
export interface JsDoc {
  readonly description?: string;
  readonly tags: readonly { readonly tagName: string; readonly text?: string }[];
}

/** One declaration's JSDoc: zero or one block. */
export type Docs = readonly JsDoc[];

export interface ImportDeclaration {
  readonly kind: "import";
  readonly moduleSpecifier: string;
  /** `import type` when every name is type-only (the printer decides). */
  /** `alias`: imported as another name (`name as alias`), for a name the file declares itself. */
  readonly namedImports?: readonly (string | { readonly name: string; readonly alias?: string; readonly isTypeOnly?: boolean })[];
  readonly namespaceImport?: string;
  readonly isTypeOnly?: boolean;
}

export interface ExportDeclaration {
  readonly kind: "export";
  readonly moduleSpecifier: string;
  /** `export * as Name`; everything (`export *`) when absent. */
  readonly namespaceExport?: string;
  readonly isTypeOnly?: boolean;
}

interface Declared {
  readonly name: string;
  readonly isExported?: boolean;
  readonly docs?: Docs;
}

/** A type parameter: `Name extends Constraint = Default`. */
export interface TypeParameter {
  readonly name: string;
  readonly constraint?: string;
  readonly default?: string;
}

export interface TypeAliasDeclaration extends Declared {
  readonly kind: "typeAlias";
  readonly typeParameters?: readonly TypeParameter[];
  readonly type: string;
}

export interface PropertySignature {
  readonly name: string;
  readonly type: string;
  readonly isReadonly?: boolean;
  readonly hasQuestionToken?: boolean;
  readonly docs?: Docs;
}

export interface InterfaceDeclaration extends Declared {
  readonly kind: "interface";
  readonly extends?: readonly string[];
  readonly properties: readonly PropertySignature[];
}

export interface ConstDeclaration extends Declared {
  readonly kind: "const";
  readonly type?: string;
  readonly initializer: string;
  /** `= initializer satisfies Type`: checked against the type without widening to it. */
  readonly satisfies?: string;
}

export interface Parameter {
  readonly name: string;
  readonly type: string;
  readonly hasQuestionToken?: boolean;
  readonly initializer?: string;
}

/** A function's or method's signature and body (statements, one per line). */
interface Callable {
  readonly parameters?: readonly Parameter[];
  readonly returnType?: string;
  readonly statements: readonly string[];
}

export interface FunctionDeclaration extends Declared, Callable {
  readonly kind: "function";
  readonly typeParameters?: readonly TypeParameter[];
}

export interface MethodDeclaration extends Callable {
  readonly name: string;
  readonly docs?: Docs;
}

export interface ClassDeclaration extends Declared {
  readonly kind: "class";
  readonly properties: readonly PropertySignature[];
  readonly ctor?: Omit<Callable, "returnType">;
  readonly methods: readonly MethodDeclaration[];
}

export type Declaration =
  | ImportDeclaration
  | ExportDeclaration
  | TypeAliasDeclaration
  | InterfaceDeclaration
  | ConstDeclaration
  | FunctionDeclaration
  | ClassDeclaration;

/** A file's declarations as text: a blank line between declarations, imports kept together. */
export function printDeclarations(declarations: readonly Declaration[]): string {
  const out: string[] = [];
  let previous: Declaration["kind"] | undefined;
  for (const declaration of declarations) {
    if (previous !== undefined) out.push(previous === "import" && declaration.kind === "import" ? "\n" : "\n\n");
    out.push(print(declaration));
    previous = declaration.kind;
  }
  return out.length === 0 ? "" : `${out.join("")}\n`;
}

function print(d: Declaration): string {
  switch (d.kind) {
    case "import":
      return printImport(d);
    case "export":
      return `export ${d.isTypeOnly === true ? "type " : ""}*${d.namespaceExport === undefined ? "" : ` as ${d.namespaceExport}`} from ${JSON.stringify(d.moduleSpecifier)};`;
    case "typeAlias":
      return `${head(d)}type ${d.name}${typeParameters(d.typeParameters)} = ${d.type};`;
    case "interface":
      return `${head(d)}interface ${d.name}${d.extends !== undefined && d.extends.length > 0 ? ` extends ${d.extends.join(", ")}` : ""} {\n${d.properties.map(property).join("")}}`;
    case "const":
      return `${head(d)}const ${d.name}${d.type === undefined ? "" : `: ${d.type}`} = ${d.initializer}${d.satisfies === undefined ? "" : ` satisfies ${d.satisfies}`};`;
    case "function":
      return `${head(d)}function ${d.name}${typeParameters(d.typeParameters)}${signature(d)}`;
    case "class": {
      const members = [
        d.properties.map(property).join(""),
        ...(d.ctor === undefined ? [] : [`constructor${signature(d.ctor)}\n`]),
        ...d.methods.map((m) => `${docs(m.docs)}${m.name}${signature(m)}\n`),
      ].filter((m) => m !== "");
      return `${head(d)}class ${d.name} {\n${members.join("\n")}}`;
    }
  }
}

function printImport(d: ImportDeclaration): string {
  const named = d.namedImports ?? [];
  const typeOnly = (n: (typeof named)[number]) => typeof n === "object" && n.isTypeOnly === true;
  // An import whose names are all type-only is an `import type`.
  const allTypes = d.isTypeOnly === true || (named.length > 0 && named.every(typeOnly));
  const names = named.map((n) =>
    typeof n === "string" ? n : `${!allTypes && typeOnly(n) ? "type " : ""}${n.name}${n.alias === undefined ? "" : ` as ${n.alias}`}`,
  );
  const what = d.namespaceImport !== undefined ? `* as ${d.namespaceImport}` : `{ ${names.join(", ")} }`;
  return `import ${allTypes ? "type " : ""}${what} from ${JSON.stringify(d.moduleSpecifier)};`;
}

/** JSDoc and `export` of a declaration. */
function head(d: Declared): string {
  return `${docs(d.docs)}${d.isExported === true ? "export " : ""}`;
}

function typeParameters(list: readonly TypeParameter[] | undefined): string {
  if (list === undefined || list.length === 0) return "";
  const each = list.map(
    (t) => `${t.name}${t.constraint === undefined ? "" : ` extends ${t.constraint}`}${t.default === undefined ? "" : ` = ${t.default}`}`,
  );
  return `<${each.join(", ")}>`;
}

function property(p: PropertySignature): string {
  return `${docs(p.docs)}${p.isReadonly === true ? "readonly " : ""}${p.name}${p.hasQuestionToken === true ? "?" : ""}: ${p.type};\n`;
}

function signature(c: Omit<Callable, "returnType"> & { readonly returnType?: string }): string {
  const parameters = (c.parameters ?? []).map(
    (p) => `${p.name}${p.hasQuestionToken === true ? "?" : ""}: ${p.type}${p.initializer === undefined ? "" : ` = ${p.initializer}`}`,
  );
  const body = c.statements.map((s) => `${s}\n`).join("");
  return `(${parameters.join(", ")})${c.returnType === undefined ? "" : `: ${c.returnType}`} {\n${body}}`;
}

/**
 * A JSDoc block: one line when it says one line, else a line per line (the text has been
 * escaped for a comment by docs.ts).
 */
function docs(list: Docs | undefined): string {
  return (list ?? []).map((doc) => `${docBlock(doc)}\n`).join("");
}

function docBlock(doc: JsDoc): string {
  const lines = doc.description === undefined ? [] : doc.description.split("\n");
  for (const tag of doc.tags) lines.push(`@${tag.tagName}${tag.text === undefined ? "" : ` ${tag.text}`}`);
  if (lines.length === 1) return `/** ${lines[0]} */`;
  return `/**\n${lines.map((l) => (l === "" ? " *" : ` * ${l}`)).join("\n")}\n */`;
}
