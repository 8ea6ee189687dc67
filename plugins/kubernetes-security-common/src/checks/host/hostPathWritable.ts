import type { WorkloadCheck } from '../types';
import { hostPathMounts } from './hostPathVolumes';

export const hostPathWritable: WorkloadCheck = {
  scope: 'workload',
  id: 'host-path-writable',
  title: 'Writable hostPath volume',
  severity: 'high',
  area: 'host-access',
  rationale:
    "A writable hostPath mount lets the container change the node's files: plant binaries or cron jobs, rewrite kubelet or runtime configuration, or reach the container runtime socket.",
  remediation: {
    text: 'Replace the hostPath volume with a PersistentVolumeClaim, emptyDir, ConfigMap or Secret. If the node path is really needed, mount it with `readOnly: true`.',
    yaml: `volumeMounts:
  - name: host-logs
    mountPath: /host/var/log
    readOnly: true`,
  },
  docs: 'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
  equivalents: {
    polaris: 'hostPathSet',
    kubescape: 'C-0045',
    pss: { control: 'HostPath Volumes', level: 'baseline' },
    cis: '5.2.12',
  },
  run({ workload }) {
    return hostPathMounts(workload.template.spec, workload.podSpecPath)
      .filter(mount => mount.writable)
      .map(mount => ({
        container: mount.container,
        message: `Container "${mount.container}" mounts host path ${mount.volume.hostPath} (volume "${mount.volume.name}") writable`,
        path: `${mount.path}.readOnly`,
        evidence: mount.volume.hostPath,
      }));
  },
};
