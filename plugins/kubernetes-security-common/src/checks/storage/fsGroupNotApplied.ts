import type { WorkloadCheck } from '../types';

export const fsGroupNotApplied: WorkloadCheck = {
  scope: 'workload',
  id: 'fsgroup-not-applied',
  title: 'fsGroup silently not applied to a CSI volume',
  severity: 'medium',
  area: 'storage',
  rationale:
    "The pod asks for group ownership of its volumes with `fsGroup`, but the volume's CSI driver policy means the kubelet " +
    'never changes ownership (`fsGroupPolicy: None`, or a volume that is not ReadWriteOnce with an fsType under the default ' +
    'policy). The application then runs with whatever ownership the volume has, which often leads teams to run it as root ' +
    'or to make files world-writable.',
  remediation: {
    text:
      'Give the files the right owner another way: use a StorageClass whose driver applies fsGroup (`fsGroupPolicy: File`), ' +
      'set ownership at provisioning time (e.g. NFS export options), or run an init container that fixes ownership once. ' +
      'Do not fall back to running as root.',
    yaml: `apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata:
  name: files.csi.example.com
spec:
  fsGroupPolicy: File`,
  },
  docs: 'https://kubernetes.io/docs/concepts/storage/volumes/#csi',
  equivalents: {},
  run({ workload, volumes }) {
    return (volumes ?? [])
      .filter(volume => volume.outcome === 'not-applied')
      .map(volume => ({
        message: `Volume "${volume.volume}"${
          volume.driver ? ` (${volume.driver})` : ''
        }: ${volume.reason}`,
        path: `${workload.podSpecPath}.securityContext.fsGroup`,
        evidence: `fsGroup: ${volume.fsGroup}, fsGroupPolicy: ${
          volume.fsGroupPolicy
        }, accessModes: ${(volume.accessModes ?? []).join(',')}, fsType: ${
          volume.fsType ?? 'none'
        }`,
      }));
  },
};
