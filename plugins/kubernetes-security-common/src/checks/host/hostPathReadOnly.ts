import type { WorkloadCheck } from '../types';
import { hostPathMounts, hostPathVolumes } from './hostPathVolumes';
import { hostPathReadOnlyMetadata } from './metadata';

export const hostPathReadOnly: WorkloadCheck = {
  scope: 'workload',
  ...hostPathReadOnlyMetadata,
  run({ workload }) {
    const { spec } = workload.template;
    const mounts = hostPathMounts(spec, workload.podSpecPath);
    // A volume with any writable mount is reported by host-path-writable instead.
    return hostPathVolumes(spec, workload.podSpecPath)
      .filter(
        volume =>
          !mounts.some(
            mount => mount.volume.path === volume.path && mount.writable,
          ),
      )
      .map(volume => ({
        message: `The pod has hostPath volume "${volume.name}" for ${
          volume.hostPath
        }, ${
          mounts.some(mount => mount.volume.path === volume.path)
            ? 'mounted read-only'
            : 'not mounted by any container'
        }`,
        path: `${volume.path}.hostPath`,
        evidence: volume.hostPath,
      }));
  },
};
