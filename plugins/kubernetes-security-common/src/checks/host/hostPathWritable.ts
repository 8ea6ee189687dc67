import { containerFix } from '../fix';
import type { WorkloadCheck } from '../types';
import { hostPathMounts } from './hostPathVolumes';
import { hostPathWritableMetadata } from './metadata';

export const hostPathWritable: WorkloadCheck = {
  scope: 'workload',
  ...hostPathWritableMetadata,
  run({ workload }) {
    return hostPathMounts(workload.template.spec, workload.podSpecPath)
      .filter(mount => mount.writable)
      .map(mount => ({
        container: mount.container,
        message: `Container "${mount.container}" mounts host path ${mount.volume.hostPath} (volume "${mount.volume.name}") writable`,
        path: `${mount.path}.readOnly`,
        evidence: mount.volume.hostPath,
        // Mounts merge by mountPath, which a mount must have.
        fix:
          mount.mountPath === undefined
            ? undefined
            : containerFix(
                workload,
                { field: mount.containerField, name: mount.container },
                {
                  volumeMounts: [
                    {
                      name: mount.volume.name,
                      mountPath: mount.mountPath,
                      readOnly: true,
                    },
                  ],
                },
              ),
      }));
  },
};
