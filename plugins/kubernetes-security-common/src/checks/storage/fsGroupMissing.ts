import type { WorkloadCheck } from '../types';

export const fsGroupMissing: WorkloadCheck = {
  scope: 'workload',
  id: 'fsgroup-missing',
  title: 'Non-root pod writes to a volume without fsGroup',
  severity: 'low',
  area: 'storage',
  rationale:
    'The pod runs as a non-root user and mounts a writable CSI volume whose driver would apply an fsGroup, but sets none: ' +
    'the files keep the ownership they were created with, so the application often cannot write them and teams work ' +
    'around it by running as root.',
  remediation: {
    text: 'Set `fsGroup` to the group the application runs with, and `fsGroupChangePolicy: OnRootMismatch`.',
    yaml: `spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
    fsGroup: 10001
    fsGroupChangePolicy: OnRootMismatch`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-the-security-context-for-a-pod',
  equivalents: {},
  run({ workload, volumes }) {
    const spec = workload.template.spec ?? {};
    const containers = spec.containers ?? [];
    const podContext = (spec.securityContext ?? {}) as {
      runAsNonRoot?: boolean;
      runAsUser?: number;
    };
    // Every container ends up non-root: by the pod's settings unless it overrides them.
    const nonRoot =
      containers.length > 0 &&
      containers.every(container => {
        const own = (container.securityContext ?? {}) as {
          runAsNonRoot?: boolean;
          runAsUser?: number;
        };
        const runAsUser = own.runAsUser ?? podContext.runAsUser;
        if (runAsUser !== undefined) return runAsUser !== 0;
        return (own.runAsNonRoot ?? podContext.runAsNonRoot) === true;
      });
    if (!nonRoot) return [];
    return (volumes ?? [])
      .filter(
        volume => volume.outcome === 'no-fs-group' && volume.fsGroupWouldApply,
      )
      .map(volume => ({
        message: `Volume "${volume.volume}"${
          volume.driver ? ` (${volume.driver})` : ''
        } is written by a non-root pod without fsGroup`,
        path: `${workload.podSpecPath}.securityContext`,
        evidence: 'fsGroup unset',
      }));
  },
};
