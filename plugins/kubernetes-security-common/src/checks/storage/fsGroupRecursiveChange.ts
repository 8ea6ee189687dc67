import { podSpecFix } from '../fix';
import type { WorkloadCheck } from '../types';
import { fsGroupRecursiveChangeMetadata } from './metadata';

export const fsGroupRecursiveChange: WorkloadCheck = {
  scope: 'workload',
  ...fsGroupRecursiveChangeMetadata,
  run({ workload, volumes }) {
    return (volumes ?? [])
      .filter(volume => volume.outcome === 'applied-recursively')
      .map(volume => ({
        message: `Volume "${volume.volume}": ${volume.reason}`,
        path: `${workload.podSpecPath}.securityContext.fsGroupChangePolicy`,
        evidence: volume.fsGroupChangePolicy ?? 'unset (Always)',
        fix: podSpecFix(workload, {
          securityContext: { fsGroupChangePolicy: 'OnRootMismatch' },
        }),
      }));
  },
};
