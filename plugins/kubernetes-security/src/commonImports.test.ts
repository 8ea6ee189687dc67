import fs from 'node:fs';
import path from 'node:path';
import {
  declaringModule,
  filesWithCheckLogic,
  moduleGraph,
} from '@internal/plugin-kubernetes-security-common/testUtils';

const COMMON = '@internal/plugin-kubernetes-security-common';
const commonRoot = path.dirname(require.resolve(`${COMMON}/package.json`));
const commonExports: Record<string, string> =
  require(`${COMMON}/package.json`).exports;

const VALUE_IMPORT_OF_COMMON = new RegExp(
  `^import\\s+\\{([^}]*)\\}\\s*from\\s*'${COMMON}(/\\w+)?';`,
  'gm',
);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)
      ? [file]
      : [];
  });
}

/** Each name this plugin imports as a value from common, with its entry point. */
function valueImportsOfCommon() {
  return sourceFiles(__dirname).flatMap(file =>
    [...fs.readFileSync(file, 'utf8').matchAll(VALUE_IMPORT_OF_COMMON)].flatMap(
      ([, names, subpath]) =>
        names
          .split(',')
          .map(name => name.trim())
          .filter(name => name && !name.startsWith('type '))
          .map(name => ({ name, entry: `.${subpath ?? ''}` })),
    ),
  );
}

describe('imports of the common package', () => {
  // With `sideEffects: false`, the bundle carries only the modules that
  // declare the imported names and what those modules load.
  it('load no check logic into the frontend bundle', () => {
    const imports = valueImportsOfCommon();
    expect(imports).toContainEqual({
      name: 'checkMetadata',
      entry: './checkMetadata',
    });

    for (const { name, entry } of imports) {
      const module = declaringModule(
        path.join(commonRoot, commonExports[entry]),
        name,
      );
      expect({ name, module }).toEqual({ name, module: expect.any(String) });
      expect({
        name,
        checkLogic: filesWithCheckLogic(moduleGraph(module!)),
      }).toEqual({ name, checkLogic: [] });
    }
  });
});
