import { Readable } from 'node:stream';
import fc from 'fast-check';
import { stringify } from 'yaml';
import {
  anyShapeKubernetes,
  anyString,
  fuzzParameters,
  fuzzTimeout,
  wellTypedKubernetes,
} from '@internal/plugin-kubernetes-security-common/testUtils';
import type { KubeObject } from '@internal/plugin-kubernetes-security-common';
import { runCli } from './cli';
import { collectObjects } from './collectObjects';

type Format = 'yaml' | 'json';

/** Objects as a user writes them: one YAML document each, or one JSON List. */
function written(objects: KubeObject[], format: Format): string {
  return format === 'json'
    ? JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects })
    : objects.map(object => `---\n${stringify(object)}`).join('');
}

/** What JSON can hold of the objects (no NaN, no -0, no undefined). */
const asJson = (objects: KubeObject[]) => JSON.parse(JSON.stringify(objects));

/**
 * Makes some nodes the same node as another one, a cycle included, so that
 * YAML writes anchors and aliases for them, and reading builds shared (and
 * cyclic) objects.
 */
function withSharedNodes(objects: KubeObject[], picks: number[]): KubeObject[] {
  const nodes: Record<string, unknown>[] = [];
  const collect = (value: unknown) => {
    if (value === null || typeof value !== 'object') return;
    if (!Array.isArray(value)) nodes.push(value as Record<string, unknown>);
    Object.values(value).forEach(collect);
  };
  const copy = structuredClone(objects);
  copy.forEach(collect);
  for (let i = 0; i + 1 < picks.length && nodes.length; i += 2) {
    const target = nodes[picks[i] % nodes.length];
    const keys = Object.keys(target);
    if (keys.length) target[keys[0]] = nodes[picks[i + 1] % nodes.length];
  }
  return copy;
}

interface Damage {
  at: number;
  cut: number;
  insert: string;
}

/** Text cut or spliced with any characters, as a broken file or a bad paste gives. */
const damage: fc.Arbitrary<Damage> = fc.record({
  at: fc.nat(),
  cut: fc.nat({ max: 40 }),
  insert: fc.oneof(
    fc.constantFrom(
      '',
      ':',
      '- ',
      '&a ',
      '*a',
      '<<: *a\n',
      '{',
      '[',
      '"',
      '\t',
      '\n---\n',
      '!!binary x',
      '? ',
    ),
    anyString,
  ),
});

function damaged(text: string, { at, cut, insert }: Damage) {
  const position = text.length ? at % text.length : 0;
  return text.slice(0, position) + insert + text.slice(position + cut);
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function check(text: string, format: string) {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(['check', '-', '--format', format], {
    cwd: process.cwd(),
    stdin: Readable.from([text]),
    stdout: chunk => {
      stdout += chunk;
    },
    stderr: chunk => {
      stderr += chunk;
    },
  });
  return { exitCode, stdout, stderr };
}

const anyObjects = fc.oneof(
  wellTypedKubernetes.kubeObjects,
  anyShapeKubernetes.kubeObjects,
);

describe('reading manifests of any content', () => {
  it(
    'reads back well-typed objects written as YAML or as JSON',
    () => {
      fc.assert(
        fc.property(
          wellTypedKubernetes.kubeObjects,
          fc.constantFrom<Format>('yaml', 'json'),
          (objects, format) => {
            const { objects: read, errors } = collectObjects([
              { name: 'input', text: written(objects, format) },
            ]);
            expect(errors).toEqual([]);
            expect(read.map(({ object }) => object)).toEqual(
              format === 'json' ? asJson(objects) : objects,
            );
          },
        ),
        fuzzParameters(100),
      );
    },
    fuzzTimeout(),
  );

  it(
    'checks any objects, written any way, damaged or not, with aliases and cycles, and only ever exits 0, 1 or 2',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          anyObjects,
          fc.constantFrom<Format>('yaml', 'json'),
          fc.array(fc.nat(), { maxLength: 6 }),
          fc.option(damage, { nil: undefined }),
          fc.constantFrom('table', 'json', 'sarif'),
          async (objects, format, picks, harm, output) => {
            const shared = withSharedNodes(objects, picks);
            // JSON cannot write a cycle, YAML can
            let text: string;
            try {
              text = written(shared, format);
            } catch {
              text = written(shared, 'yaml');
            }
            if (harm) text = damaged(text, harm);
            const { exitCode, stdout, stderr } = await check(text, output);
            expect([0, 1, 2]).toContain(exitCode);
            // input errors, and only they, are told where they are
            expect(stderr.startsWith('error: <stdin>')).toBe(exitCode === 2);
            expect(output === 'table' || parsesAsJson(stdout)).toBe(true);
          },
        ),
        fuzzParameters(100),
      );
    },
    fuzzTimeout(),
  );

  it(
    'refuses alias bombs of any shape, quickly',
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 12 }),
          fc.integer({ min: 1, max: 12 }),
          (depth, width) => {
            const levels = ['l0: &l0 [lol]'];
            for (let level = 1; level <= depth; level++)
              levels.push(
                `l${level}: &l${level} [${Array(width)
                  .fill(`*l${level - 1}`)
                  .join(', ')}]`,
              );
            const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: laughs}\ndata:\n  ${levels.join(
              '\n  ',
            )}\n`;
            const started = performance.now();
            const { objects, errors } = collectObjects([
              { name: 'bomb', text },
            ]);
            expect(performance.now() - started).toBeLessThan(1_000);
            const refused = errors.some(e => /alias bomb/.test(e.message));
            // what matters: no document expands to many times its size
            expect(refused || width ** depth <= 10_000).toBe(true);
            expect([errors.length, objects.length]).toEqual(
              refused ? [1, 0] : [0, 1],
            );
          },
        ),
        fuzzParameters(100),
      );
    },
    fuzzTimeout(),
  );
});
