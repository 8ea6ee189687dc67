import { podSpecFix } from '../fix';
import type { WorkloadCheck } from '../types';
import { hostNetworkMetadata } from './metadata';

export const hostNetwork: WorkloadCheck = {
  scope: 'workload',
  ...hostNetworkMetadata,
  run({ workload }) {
    if (workload.template.spec?.hostNetwork !== true) return [];
    return [
      {
        message: "The pod shares the node's network namespace",
        path: `${workload.podSpecPath}.hostNetwork`,
        evidence: 'true',
        fix: podSpecFix(workload, { hostNetwork: false }),
      },
    ];
  },
};
