import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests } from './manifests';

describe('loadManifests', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'manifests-'));
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads folders recursively, multi-document files, Lists and JSON', async () => {
    await mkdir(join(dir, 'nested'));
    await writeFile(
      join(dir, 'a.yaml'),
      [
        'apiVersion: v1',
        'kind: Namespace',
        'metadata: { name: shop }',
        '---',
        '# an empty document is skipped',
        '---',
        'apiVersion: v1',
        'kind: List',
        'items:',
        '  - apiVersion: v1',
        '    kind: ConfigMap',
        '    metadata: { name: settings }',
        '  - apiVersion: v1',
        '    kind: Node',
        '    metadata: { name: node-a, namespace: ignored-for-cluster-scope }',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'nested', 'pods.json'),
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'PodList',
        items: [
          {
            metadata: {
              name: 'web',
              namespace: 'shop',
              uid: 'given-uid',
              creationTimestamp: '2024-01-01T00:00:00Z',
            },
          },
        ],
      }),
    );
    await writeFile(join(dir, 'README.md'), '# not a manifest');

    const objects = await loadManifests(dir);
    expect(
      objects.map(
        o => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`,
      ),
    ).toEqual([
      'Namespace//shop',
      'ConfigMap/default/settings',
      'Node/ignored-for-cluster-scope/node-a',
      'Pod/shop/web',
    ]);
    const pod = objects[3];
    expect(pod).toMatchObject({ apiVersion: 'v1', kind: 'Pod' });
    expect(pod.metadata).toMatchObject({
      uid: 'given-uid',
      creationTimestamp: '2024-01-01T00:00:00Z',
    });
    expect(objects[0].metadata.uid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(objects[0].metadata.creationTimestamp).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    // Uids are derived from identity, so a restarted demo keeps them.
    expect((await loadManifests(dir))[0].metadata.uid).toBe(
      objects[0].metadata.uid,
    );
  });

  it('defaults the namespace of custom resources whose CRD is namespaced', async () => {
    await writeFile(
      join(dir, 'crd.yaml'),
      [
        'apiVersion: wgpolicyk8s.io/v1alpha2',
        'kind: PolicyReport',
        'metadata: { name: report }',
        '---',
        'apiVersion: apiextensions.k8s.io/v1',
        'kind: CustomResourceDefinition',
        'metadata: { name: policyreports.wgpolicyk8s.io }',
        'spec:',
        '  group: wgpolicyk8s.io',
        '  scope: Namespaced',
        '  names: { plural: policyreports, kind: PolicyReport }',
        '  versions: [{ name: v1alpha2, served: true, storage: true }]',
      ].join('\n'),
    );
    const [report] = await loadManifests([join(dir, 'crd.yaml')]);
    expect(report.metadata.namespace).toBe('default');
  });

  it('names the file and line of invalid YAML', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(
      file,
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: ok',
        '---',
        'kind: ConfigMap',
        'data: a: b',
        '',
      ].join('\n'),
    );
    await expect(loadManifests(file)).rejects.toThrow(
      new RegExp(
        `^Invalid YAML in ${file.replace(
          /[.*+?^${}()|[\]\\]/g,
          '\\$&',
        )} at line 7, column \\d+: `,
      ),
    );
  });

  it('rejects documents that are not Kubernetes objects', async () => {
    const file = join(dir, 'odd.yaml');
    await writeFile(
      file,
      ['kind: ConfigMap', 'metadata: { name: x }', '---', '- a list'].join(
        '\n',
      ),
    );
    await expect(loadManifests(file)).rejects.toThrow(
      `${file} at line 1: a Kubernetes object needs apiVersion, kind and metadata.name`,
    );
  });
});
