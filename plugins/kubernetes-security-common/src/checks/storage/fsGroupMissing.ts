import { podSpecFix } from '../fix';
import type { WorkloadCheck } from '../types';
import { VOLUME_GROUP } from './volumeGroup';
import { fsGroupMissingMetadata } from './metadata';

export const fsGroupMissing: WorkloadCheck = {
  scope: 'workload',
  ...fsGroupMissingMetadata,
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
        // OnRootMismatch, or the kubelet walks the whole volume on every mount.
        fix: podSpecFix(workload, {
          securityContext: {
            fsGroup: VOLUME_GROUP,
            fsGroupChangePolicy: 'OnRootMismatch',
          },
        }),
      }));
  },
};
