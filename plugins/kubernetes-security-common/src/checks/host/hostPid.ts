import { podSpecFix } from '../fix';
import type { WorkloadCheck } from '../types';
import { hostPidMetadata } from './metadata';

export const hostPid: WorkloadCheck = {
  scope: 'workload',
  ...hostPidMetadata,
  run({ workload }) {
    if (workload.template.spec?.hostPID !== true) return [];
    return [
      {
        message: "The pod shares the node's process ID namespace",
        path: `${workload.podSpecPath}.hostPID`,
        evidence: 'true',
        fix: podSpecFix(workload, { hostPID: false }),
      },
    ];
  },
};
