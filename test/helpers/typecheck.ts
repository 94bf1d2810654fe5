/**
 * Type-checks generated code under the repo's own strict compiler options (tsconfig.json), the way
 * `tsc -p tsconfig.json --noEmit` would, and returns the diagnostics as readable strings.
 *
 * Files can live on disk (typecheckFolder) or only in memory (typecheck): in-memory files are served
 * by a CompilerHost at paths under `<repo>/.typecheck-virtual/<n>/`, a folder that never exists on disk.
 * Because those paths are inside the repo, `@switchboard/runtime` resolves through node_modules (the
 * workspace link to runtime/) and the "switchboard-source" condition to the runtime's TypeScript source. Nothing is written to disk.
 *
 * Speed: one ts.createProgram per call holding every file; parsed source files of everything that is
 * not virtual (lib files, @types/node, runtime/) are shared between calls as long as their text is
 * unchanged; only the requested files are checked (skipLibCheck, noEmit).
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export const repoRoot = path.resolve(import.meta.dirname, "../..");

/** Parent of the virtual roots; it is never created. */
export const virtualParent = path.join(repoRoot, ".typecheck-virtual");

let options: ts.CompilerOptions | undefined;

/** tsconfig.json's compiler options, plus noEmit and skipLibCheck. */
export function compilerOptions(): ts.CompilerOptions {
  if (options) return options;
  const configPath = path.join(repoRoot, "tsconfig.json");
  const read = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
  if (read.error) throw new Error(`cannot read ${configPath}: ${formatDiagnostics([read.error]).join("\n")}`);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, repoRoot, undefined, configPath);
  if (parsed.errors.length > 0) throw new Error(`invalid ${configPath}: ${formatDiagnostics(parsed.errors).join("\n")}`);
  if (!parsed.options.customConditions?.includes("switchboard-source")) {
    throw new Error(
      `${configPath} lost customConditions: ["switchboard-source"]; @switchboard/runtime would not resolve to runtime/index.ts`,
    );
  }
  if (parsed.options.strict !== true) throw new Error(`${configPath} is no longer strict`);
  options = { ...parsed.options, noEmit: true, skipLibCheck: true };
  return options;
}

interface CachedSourceFile {
  readonly text: string;
  readonly file: ts.SourceFile;
}

/** Parsed files that are not virtual, keyed by path, language version and module format. */
const sourceCache = new Map<string, CachedSourceFile>();

function cacheKey(fileName: string, languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions): string {
  if (typeof languageVersion === "number") return `${fileName}\0${languageVersion}`;
  return `${fileName}\0${languageVersion.languageVersion}\0${String(languageVersion.impliedNodeFormat)}`;
}

function createHost(compilerOptions: ts.CompilerOptions, virtual: ReadonlyMap<string, string>): ts.CompilerHost {
  const host = ts.createCompilerHost(compilerOptions, true);
  const virtualDirs = new Set<string>();
  for (const file of virtual.keys()) {
    for (let dir = path.dirname(file); dir !== repoRoot && dir.startsWith(repoRoot); dir = path.dirname(dir)) virtualDirs.add(dir);
  }
  const isVirtualDir = (dir: string) => virtualDirs.has(path.resolve(dir));
  return {
    ...host,
    getCurrentDirectory: () => repoRoot,
    fileExists: (file) => virtual.has(path.resolve(file)) || host.fileExists(file),
    readFile: (file) => virtual.get(path.resolve(file)) ?? host.readFile(file),
    directoryExists: (dir) => isVirtualDir(dir) || (host.directoryExists?.(dir) ?? ts.sys.directoryExists(dir)),
    realpath: (file) => (virtual.has(path.resolve(file)) || isVirtualDir(file) ? file : (host.realpath?.(file) ?? file)),
    getDirectories: (dir) => (isVirtualDir(dir) ? [] : (host.getDirectories?.(dir) ?? [])),
    getSourceFile: (fileName, languageVersion, onError) => {
      const resolved = path.resolve(fileName);
      const text = virtual.get(resolved);
      if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
      const diskText = host.readFile(fileName);
      if (diskText === undefined) {
        onError?.(`cannot read ${fileName}`);
        return undefined;
      }
      const key = cacheKey(resolved, languageVersion);
      const cached = sourceCache.get(key);
      if (cached && cached.text === diskText) return cached.file;
      const file = ts.createSourceFile(fileName, diskText, languageVersion, true);
      sourceCache.set(key, { text: diskText, file });
      return file;
    },
    writeFile: () => {
      throw new Error("typecheck never writes files");
    },
  };
}

/** `file(line,column): error TS1234: message`, the path relative to `relativeTo`. */
export function formatDiagnostics(diagnostics: readonly ts.Diagnostic[], relativeTo: string = repoRoot): string[] {
  return diagnostics.map((d) => {
    const category = ts.DiagnosticCategory[d.category].toLowerCase();
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file || d.start === undefined) return `${category} TS${d.code}: ${message}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const shown = path.relative(relativeTo, d.file.fileName).split(path.sep).join("/");
    return `${shown}(${line + 1},${character + 1}): ${category} TS${d.code}: ${message}`;
  });
}

export interface TypecheckOptions {
  /**
   * Folder inside the repo the in-memory files are placed in; it should not exist on disk (files
   * there would be visible too). @default a fresh folder under .typecheck-virtual/
   */
  readonly root?: string;
  /** Files on disk (absolute paths) to check with the in-memory ones. */
  readonly diskFiles?: readonly string[];
}

export interface TypecheckResult {
  /** Diagnostics of the checked files (and global/option diagnostics), paths relative to `root`. */
  readonly diagnostics: string[];
  /** The folder the in-memory files were placed in. */
  readonly root: string;
  readonly elapsedMs: number;
}

let nextRoot = 0;

/**
 * Type-checks in-memory files (path relative to the root, forward slashes -> text) and optional files
 * on disk, all in one program. Only those files are checked; what they import is type-checked as
 * far as they use it (and by the repo's own `tsc`).
 */
export function typecheck(
  files: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
  opts: TypecheckOptions = {},
): TypecheckResult {
  const started = performance.now();
  const root = path.resolve(opts.root ?? path.join(virtualParent, `${process.pid}-${nextRoot++}`));
  if (!root.startsWith(repoRoot + path.sep)) throw new Error(`virtual root ${root} must be inside ${repoRoot}`);
  const entries = files instanceof Map ? [...files.entries()] : Object.entries(files as Record<string, string>);
  const virtual = new Map<string, string>(entries.map(([name, text]) => [path.resolve(root, ...name.split("/")), text]));
  const rootNames = [...virtual.keys(), ...(opts.diskFiles ?? []).map((f) => path.resolve(f))];
  const compilerOpts = compilerOptions();
  const program = ts.createProgram({ rootNames, options: compilerOpts, host: createHost(compilerOpts, virtual) });
  const diagnostics: ts.Diagnostic[] = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const name of rootNames) {
    const sourceFile = program.getSourceFile(name);
    if (!sourceFile) {
      diagnostics.push({
        category: ts.DiagnosticCategory.Error,
        code: 0,
        file: undefined,
        start: undefined,
        length: undefined,
        messageText: `${name} is not part of the program`,
      });
      continue;
    }
    diagnostics.push(...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile));
  }
  return {
    diagnostics: formatDiagnostics(diagnostics, opts.diskFiles?.length ? repoRoot : root),
    root,
    elapsedMs: performance.now() - started,
  };
}

/** Every .ts file under a folder on disk, recursively, sorted. */
export function tsFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Type-checks every .ts file under a folder on disk (inside the repo), plus optional in-memory files. */
export function typecheckFolder(
  dir: string,
  extra: ReadonlyMap<string, string> | Readonly<Record<string, string>> = {},
  opts: Omit<TypecheckOptions, "diskFiles"> = {},
): TypecheckResult {
  const files = tsFilesUnder(dir);
  if (files.length === 0) throw new Error(`no .ts files under ${dir}`);
  return typecheck(extra, { ...opts, diskFiles: files });
}
