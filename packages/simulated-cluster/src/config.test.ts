import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSimulatorConfig, startSimulatorFromConfig } from './config';

const CONFIG = `
clusters:
  - name: prod
    version: v1.30.1
    manifests: [./prod]
    tokens:
      - token: demo-reader-token
        username: system:serviceaccount:backstage:kubernetes-security
        groups: [system:serviceaccounts]
        rules:
          - apiGroups: ['*']
            resources: ['*']
            verbs: [get, list, watch]
    fleet: { namespaces: 2, podsPerNamespace: 3, uniqueImages: 2 }
  - name: eks
    port: 0
    version: { gitVersion: v1.27.8-eks-1234, major: 1, minor: '27+' }
    featureGates: { ValidatingAdmissionPolicy: true }
`;

describe('simulator config', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'simulator-config-'));
    await mkdir(join(dir, 'prod'));
    await writeFile(
      join(dir, 'prod', 'namespace.yaml'),
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: payments }\n',
    );
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('parses clusters, resolving manifests against the config file', async () => {
    await writeFile(join(dir, 'simulator.yaml'), CONFIG);
    const config = await loadSimulatorConfig(join(dir, 'simulator.yaml'));
    expect(config.clusters).toEqual([
      {
        name: 'prod',
        version: 'v1.30.1',
        manifests: [join(dir, 'prod')],
        tokens: [
          {
            token: 'demo-reader-token',
            username: 'system:serviceaccount:backstage:kubernetes-security',
            groups: ['system:serviceaccounts'],
            rules: [
              {
                apiGroups: ['*'],
                resources: ['*'],
                verbs: ['get', 'list', 'watch'],
              },
            ],
          },
        ],
        fleet: { namespaces: 2, podsPerNamespace: 3, uniqueImages: 2 },
      },
      {
        name: 'eks',
        port: 0,
        version: { gitVersion: 'v1.27.8-eks-1234', major: '1', minor: '27+' },
        featureGates: { ValidatingAdmissionPolicy: true },
        manifests: [],
        tokens: [],
      },
    ]);
  });

  it.each([
    ['clusters: {}', 'clusters must be a list'],
    ['clusters: [{ port: 1 }]', 'clusters[0].name must be a string'],
    [
      'clusters: [{ name: a, tokens: [{ token: t }] }]',
      'clusters[0].tokens[0].username must be a string',
    ],
    [
      'clusters: [{ name: a, featureGates: { X: yes please } }]',
      'clusters[0].featureGates.X must be true or false',
    ],
    ['clusters: [{ name: a }, { name: a }]', 'cluster name "a" is used twice'],
  ])('rejects %s', async (text, message) => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, text);
    await expect(loadSimulatorConfig(file)).rejects.toThrow(
      `${file}: ${message}`,
    );
  });

  it('starts every cluster with its manifests and fleet', async () => {
    await writeFile(join(dir, 'simulator.yaml'), CONFIG);
    const clusters = await startSimulatorFromConfig(
      await loadSimulatorConfig(join(dir, 'simulator.yaml')),
    );
    try {
      expect(clusters.map(c => c.name)).toEqual(['prod', 'eks']);
      const headers = { Authorization: 'Bearer demo-reader-token' };
      const namespaces = await (
        await fetch(`${clusters[0].url}/api/v1/namespaces`, { headers })
      ).json();
      expect(
        namespaces.items.map(
          (n: { metadata: { name: string } }) => n.metadata.name,
        ),
      ).toEqual(
        expect.arrayContaining(['payments', 'team-atlas', 'team-borealis']),
      );
      expect(clusters[1].versionInfo.minor).toBe('27+');
      expect(
        (await fetch(`${clusters[1].url}/version`, { headers })).status,
      ).toBe(401);
    } finally {
      await Promise.all(clusters.map(c => c.stop()));
    }
  });
});
