import type { AuditorService } from '@backstage/backend-plugin-api';
import {
  buildWorkloads,
  emptyClusterInventory,
  KubeObject,
} from '@internal/plugin-kubernetes-security-common';
import { startSimulatedCluster } from '@internal/simulated-cluster';
import { KubernetesApiClient } from '../clusters/KubernetesApiClient';
import { readPullSecrets } from './pullSecrets';

const secret = (name: string, type: string) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  type,
  metadata: { name, namespace: 'shop' },
  data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') },
});

const pod = (name: string, secrets: string[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', uid: name },
  spec: {
    imagePullSecrets: secrets.map(secretName => ({ name: secretName })),
    containers: [{ name: 'app', image: 'registry.example.com/shop/app:1' }],
  },
});

describe('readPullSecrets (opt-in)', () => {
  it('reads only the named dockerconfigjson Secrets, each once, and reports what it may not read', async () => {
    const cluster = await startSimulatedCluster({
      objects: [
        secret('registry', 'kubernetes.io/dockerconfigjson'),
        secret('opaque', 'Opaque'),
        secret('forbidden', 'kubernetes.io/dockerconfigjson'),
      ],
      tokens: [
        {
          token: 'reader',
          username: 'reader',
          rules: [
            {
              apiGroups: [''],
              resources: ['secrets'],
              resourceNames: ['registry', 'opaque'],
              verbs: ['get'],
            },
          ],
        },
      ],
    });
    try {
      const client = new KubernetesApiClient(
        {
          name: 'test',
          url: cluster.url,
          authProvider: 'serviceAccount',
          serviceAccountToken: 'reader',
        } as any,
        { pageSize: 50, requestTimeoutMs: 5000 },
      );
      const workloads = buildWorkloads({
        ...emptyClusterInventory(),
        pods: [
          pod('a', ['registry', 'opaque']),
          pod('b', ['registry', 'forbidden']),
        ],
      });
      const events: Record<string, unknown>[] = [];
      const auditor: AuditorService = {
        createEvent: async options => {
          const event: Record<string, unknown> = { ...options };
          events.push(event);
          return {
            success: async () => {
              event.outcome = 'success';
            },
            fail: async ({ error, meta }) => {
              Object.assign(event, {
                outcome: 'fail',
                error: error.message,
                failMeta: meta,
              });
            },
          };
        },
      };
      const secrets = await readPullSecrets(client, workloads, {
        auditor,
        cluster: 'prod',
      });
      const [a, b] = workloads;
      expect(secrets.of(a)).toEqual([
        { type: 'kubernetes.io/dockerconfigjson', data: expect.any(Object) },
      ]);
      expect(secrets.of(b)).toHaveLength(1);
      expect(secrets.errors).toEqual([
        expect.objectContaining({
          type: 'FORBIDDEN',
          resource: 'secrets/shop/forbidden',
        }),
      ]);
      // Audited once per scan: which Secrets, where, and what failed;
      // never their values.
      expect(events).toEqual([
        {
          eventId: 'pull-secret-read',
          severityLevel: 'high',
          meta: {
            cluster: 'prod',
            secrets: ['shop/forbidden', 'shop/opaque', 'shop/registry'],
          },
          outcome: 'fail',
          error: expect.any(String),
          failMeta: { unread: ['secrets/shop/forbidden'] },
        },
      ]);
      expect(JSON.stringify(events)).not.toContain(
        secret('registry', '').data['.dockerconfigjson'],
      );
      const gets = cluster.requestLog.filter(entry =>
        entry.path.startsWith('/api/v1/namespaces/shop/secrets/'),
      );
      expect(gets.map(entry => entry.path).sort()).toEqual([
        '/api/v1/namespaces/shop/secrets/forbidden',
        '/api/v1/namespaces/shop/secrets/opaque',
        '/api/v1/namespaces/shop/secrets/registry',
      ]);
    } finally {
      await cluster.stop();
    }
  });

  it('reads and audits nothing when no workload names a pull secret', async () => {
    const auditor = { createEvent: jest.fn() };
    const workloads = buildWorkloads({
      ...emptyClusterInventory(),
      pods: [pod('a', [])],
    });
    const client = {
      request: jest.fn(),
    } as unknown as KubernetesApiClient;
    const secrets = await readPullSecrets(client, workloads, {
      auditor,
      cluster: 'prod',
    });
    expect(secrets.of(workloads[0])).toEqual([]);
    expect(auditor.createEvent).not.toHaveBeenCalled();
    expect(client.request).not.toHaveBeenCalled();
  });
});
