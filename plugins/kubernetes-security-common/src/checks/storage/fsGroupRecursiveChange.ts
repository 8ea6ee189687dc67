import type { WorkloadCheck } from '../types';

export const fsGroupRecursiveChange: WorkloadCheck = {
  scope: 'workload',
  id: 'fsgroup-recursive-ownership-change',
  title: 'Volume ownership changed recursively on every mount',
  severity: 'low',
  area: 'storage',
  rationale:
    'With `fsGroupChangePolicy: Always` (the default) the kubelet walks the whole volume and changes the group and ' +
    'permissions of every file each time it mounts it. On large volumes this delays pod start-up by minutes and ' +
    'rewrites permissions the application may rely on.',
  remediation: {
    text: 'Set `fsGroupChangePolicy: OnRootMismatch`, so ownership is changed only when the root of the volume does not match.',
    yaml: `spec:
  securityContext:
    fsGroup: 2000
    fsGroupChangePolicy: OnRootMismatch`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#configure-volume-permission-and-ownership-change-policy-for-pods',
  equivalents: {},
  run({ workload, volumes }) {
    return (volumes ?? [])
      .filter(volume => volume.outcome === 'applied-recursively')
      .map(volume => ({
        message: `Volume "${volume.volume}": ${volume.reason}`,
        path: `${workload.podSpecPath}.securityContext.fsGroupChangePolicy`,
        evidence: volume.fsGroupChangePolicy ?? 'unset (Always)',
      }));
  },
};
