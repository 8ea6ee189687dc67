import type { WorkloadCheck } from '../types';

export const fsGroupRoot: WorkloadCheck = {
  scope: 'workload',
  id: 'fsgroup-root',
  title: 'Volumes owned by the root group (fsGroup 0)',
  severity: 'medium',
  area: 'storage',
  rationale:
    '`fsGroup: 0` makes the files of every applicable volume owned by group root and adds group 0 to every process ' +
    'of the pod, giving them access to anything else on the volume or node that is readable or writable by group root.',
  remediation: {
    text: 'Pick a dedicated, non-zero group id for the application and use it as fsGroup.',
    yaml: `spec:
  securityContext:
    fsGroup: 2000`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-the-security-context-for-a-pod',
  equivalents: {},
  run({ workload }) {
    const securityContext = (workload.template.spec?.securityContext ?? {}) as {
      fsGroup?: number;
    };
    if (securityContext.fsGroup !== 0) return [];
    return [
      {
        message:
          'The pod sets fsGroup 0: its volumes and processes get the root group',
        path: `${workload.podSpecPath}.securityContext.fsGroup`,
        evidence: '0',
      },
    ];
  },
};
