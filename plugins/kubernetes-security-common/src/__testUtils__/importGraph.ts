import fs from 'node:fs';
import path from 'node:path';

/*
 * A small static walk over source imports, so tests can prove what a module
 * pulls in without bundling it. Type-only imports are skipped: they are erased
 * at build time. Package imports are not followed.
 */

const IMPORT_OR_REEXPORT =
  /^\s*(import|export)\s+(type\s+)?(?:[\w$*\s{},]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function resolveSource(fromFile: string, specifier: string): string {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')];
  const found = candidates.find(candidate => fs.existsSync(candidate));
  if (!found) {
    throw new Error(`Cannot resolve '${specifier}' from ${fromFile}`);
  }
  return found;
}

/** The source files `file` imports, at runtime only unless `withTypes`. */
export function localImports(file: string, withTypes = false): string[] {
  const source = fs.readFileSync(file, 'utf8');
  return [...source.matchAll(IMPORT_OR_REEXPORT)]
    .filter(
      ([, , typeOnly, specifier]) =>
        (withTypes || !typeOnly) && specifier.startsWith('.'),
    )
    .map(([, , , specifier]) => resolveSource(file, specifier));
}

/** Every source file `entry` loads at runtime, itself included. */
export function moduleGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    localImports(file).forEach(visit);
  };
  visit(path.resolve(entry));
  return [...seen];
}

/** The file that declares `name`, following `export *` and `export { }` from `entry`. */
export function declaringModule(
  entry: string,
  name: string,
): string | undefined {
  const source = fs.readFileSync(entry, 'utf8');
  const declaration = new RegExp(
    `export\\s+(?:declare\\s+)?(?:const|let|function|class|interface|type|enum)\\s+${name}\\b`,
  );
  if (declaration.test(source)) return entry;
  const named = new RegExp(
    `export\\s*(?:type\\s*)?\\{[^}]*\\b${name}\\b[^}]*\\}\\s*from\\s*['"]([^'"]+)['"]`,
  ).exec(source);
  if (named) return declaringModule(resolveSource(entry, named[1]), name);
  for (const [, specifier] of source.matchAll(
    /export\s*\*\s*from\s*['"]([^'"]+)['"]/g,
  )) {
    const found = declaringModule(resolveSource(entry, specifier), name);
    if (found) return found;
  }
  return undefined;
}

/** Files implementing a check's `run` or an evaluation function: check logic. */
export function filesWithCheckLogic(files: string[]): string[] {
  return files.filter(file =>
    /\brun(\s*\([^)]*\)\s*\{|\s*:\s*(\([^)]*\)|\w+)\s*=>)|function\s+evaluate\w*\s*\(/.test(
      fs.readFileSync(file, 'utf8'),
    ),
  );
}
