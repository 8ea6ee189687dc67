import type { ClusterListResponse } from '@internal/plugin-kubernetes-security-common';
import { prodStatus } from '../EntitySecurityContent/testFixtures';

const minutesAgo = (n: number) =>
  new Date(Date.now() - n * 60_000).toISOString();

/** prod scanned with a permission missing; staging's last scan failed; a locator failed. */
export const clusterList: ClusterListResponse = {
  items: [
    {
      name: 'prod',
      lastScan: {
        cluster: 'prod',
        attemptedAt: minutesAgo(3),
        succeededAt: minutesAgo(3),
        errors: [],
        durationMs: 5200,
        entityCount: 9,
        workloadCount: 31,
        gitVersion: 'v1.30.1',
        status: {
          ...prodStatus,
          windowsNodes: [],
          releaseImages: [
            {
              image: 'registry.k8s.io/kube-apiserver:v1.30.1',
              state: 'verified',
              policy: 'kubernetes-release',
              reason: 'Signed by the Kubernetes release process.',
              signatures: [],
              verifiedAt: minutesAgo(3),
              usedBy: [
                {
                  kind: 'Pod',
                  namespace: 'kube-system',
                  name: 'kube-apiserver',
                  container: 'kube-apiserver',
                },
              ],
            },
          ],
        },
      },
    },
    {
      name: 'staging',
      lastScan: {
        cluster: 'staging',
        attemptedAt: minutesAgo(1),
        errors: [
          {
            type: 'UNREACHABLE',
            message: 'Cannot reach 127.0.0.1:6552: ECONNREFUSED',
          },
        ],
        durationMs: 30,
        entityCount: 9,
        workloadCount: 0,
      },
    },
    { name: 'edge', title: 'Edge (catalog)' },
  ],
  problems: [
    {
      cluster: 'edge',
      message: 'URL is not allowed',
      entityRef: 'resource:default/edge',
    },
    { message: 'The gke locator failed: quota exceeded', locator: 'gke' },
  ],
};
