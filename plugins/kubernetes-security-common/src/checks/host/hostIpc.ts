import { podSpecFix } from '../fix';
import type { WorkloadCheck } from '../types';
import { hostIpcMetadata } from './metadata';

export const hostIpc: WorkloadCheck = {
  scope: 'workload',
  ...hostIpcMetadata,
  run({ workload }) {
    if (workload.template.spec?.hostIPC !== true) return [];
    return [
      {
        message: "The pod shares the node's IPC namespace",
        path: `${workload.podSpecPath}.hostIPC`,
        evidence: 'true',
        fix: podSpecFix(workload, { hostIPC: false }),
      },
    ];
  },
};
