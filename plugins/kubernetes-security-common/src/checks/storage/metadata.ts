import type { CheckMetadata } from '../types';

export const fsGroupNotAppliedMetadata: CheckMetadata = {
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
};

export const fsGroupRecursiveChangeMetadata: CheckMetadata = {
  id: 'fsgroup-recursive-ownership-change',
  title: 'Volume ownership changed recursively on every mount',
  severity: 'low',
  area: 'storage',
  rationale:
    'With `fsGroupChangePolicy: Always` (the default) the kubelet walks the whole volume and changes the group and ' +
    'permissions of every file each time it mounts it. On large volumes this delays pod start-up by minutes and ' +
    'rewrites permissions the application may rely on.',
  remediation: {
    text: 'Set `fsGroupChangePolicy: OnRootMismatch`, so ownership is changed only when the root of the volume does not match.',
    yaml: `spec:
  securityContext:
    fsGroup: 2000
    fsGroupChangePolicy: OnRootMismatch`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#configure-volume-permission-and-ownership-change-policy-for-pods',
  equivalents: {},
};

export const fsGroupRootMetadata: CheckMetadata = {
  id: 'fsgroup-root',
  title: 'Volumes owned by the root group (fsGroup 0)',
  severity: 'medium',
  area: 'storage',
  rationale:
    '`fsGroup: 0` makes the files of every applicable volume owned by group root and adds group 0 to every process ' +
    'of the pod, giving them access to anything else on the volume or node that is readable or writable by group root.',
  remediation: {
    text: 'Pick a dedicated, non-zero group id for the application and use it as fsGroup.',
    yaml: `spec:
  securityContext:
    fsGroup: 2000`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-the-security-context-for-a-pod',
  equivalents: {},
};

export const fsGroupMissingMetadata: CheckMetadata = {
  id: 'fsgroup-missing',
  title: 'Non-root pod writes to a volume without fsGroup',
  severity: 'low',
  area: 'storage',
  rationale:
    'The pod runs as a non-root user and mounts a writable CSI volume whose driver would apply an fsGroup, but sets none: ' +
    'the files keep the ownership they were created with, so the application often cannot write them and teams work ' +
    'around it by running as root.',
  remediation: {
    text: 'Set `fsGroup` to the group the application runs with, and `fsGroupChangePolicy: OnRootMismatch`.',
    yaml: `spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
    fsGroup: 10001
    fsGroupChangePolicy: OnRootMismatch`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-the-security-context-for-a-pod',
  equivalents: {},
};
