import type { WorkloadCheck } from '../types';
import { hostPathMounts, hostPathVolumes } from './hostPathVolumes';

export const hostPathReadOnly: WorkloadCheck = {
  scope: 'workload',
  id: 'host-path-read-only',
  title: 'Read-only hostPath volume',
  severity: 'medium',
  area: 'host-access',
  rationale:
    "Even read-only, a hostPath volume exposes the node's files (credentials, kubelet configuration, other pods' data) and ties the pod to the layout of its node.",
  remediation: {
    text: 'Replace the hostPath volume with a PersistentVolumeClaim, emptyDir, ConfigMap, Secret or projected volume.',
    yaml: `volumes:
  - name: data
    persistentVolumeClaim:
      claimName: data`,
  },
  docs: 'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
  equivalents: {
    polaris: 'hostPathSet',
    kubescape: 'C-0048',
    pss: { control: 'HostPath Volumes', level: 'baseline' },
    cis: '5.2.12',
  },
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
