import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulatedCluster } from './cluster';
import { loadSimulatorConfig } from './config';

describe('anonymous access', () => {
  it('serves unauthenticated requests as system:anonymous with its rules', async () => {
    const cluster = await startSimulatedCluster({
      anonymous: {
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }],
      },
      tokens: [{ token: 't', username: 'reader', rules: [] }],
    });
    try {
      expect((await fetch(`${cluster.url}/api/v1/pods`)).status).toBe(200);
      const forbidden = await fetch(`${cluster.url}/api/v1/secrets`);
      expect(forbidden.status).toBe(403);
      expect((await forbidden.json()).message).toContain(
        'User "system:anonymous" cannot list resource "secrets"',
      );
      // A token that is not accepted stays a 401, as in kube-apiserver.
      const rejected = await fetch(`${cluster.url}/api/v1/pods`, {
        headers: { Authorization: 'Bearer wrong' },
      });
      expect(rejected.status).toBe(401);
      expect(cluster.requestLog[0].username).toBe('system:anonymous');
    } finally {
      await cluster.stop();
    }
  });

  it('is off unless configured', async () => {
    const cluster = await startSimulatedCluster({});
    try {
      expect((await fetch(`${cluster.url}/api/v1/pods`)).status).toBe(401);
    } finally {
      await cluster.stop();
    }
  });

  it('is read from the config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'simulator-'));
    const file = join(dir, 'simulator.yaml');
    await writeFile(
      file,
      'clusters:\n  - name: edge\n    anonymous:\n      rules:\n        - { apiGroups: ["*"], resources: ["*"], verbs: [list] }\n',
    );
    const config = await loadSimulatorConfig(file);
    expect(config.clusters[0].anonymous).toEqual({
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['list'] }],
    });
  });
});
