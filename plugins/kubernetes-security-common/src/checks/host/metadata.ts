import type { CheckMetadata } from '../types';

export const hostPidMetadata: CheckMetadata = {
  id: 'host-pid',
  title: 'Host PID namespace shared',
  severity: 'critical',
  area: 'host-access',
  rationale:
    "A pod in the node's PID namespace sees every process of the node, can read their environment and, as root, signal or ptrace them: a short path to the node.",
  remediation: {
    text: 'Remove `hostPID: true`. To share processes between containers of one pod, use `shareProcessNamespace` instead.',
    yaml: `spec:
  hostPID: false`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  equivalents: {
    polaris: 'hostPIDSet',
    kubescape: 'C-0275',
    pss: { control: 'Host Namespaces', level: 'baseline' },
    cis: '5.2.3',
  },
};

export const hostIpcMetadata: CheckMetadata = {
  id: 'host-ipc',
  title: 'Host IPC namespace shared',
  severity: 'high',
  area: 'host-access',
  rationale:
    "A pod in the node's IPC namespace can read and write the shared memory and message queues of every process on the node.",
  remediation: {
    text: 'Remove `hostIPC: true`. Containers of one pod already share an IPC namespace.',
    yaml: `spec:
  hostIPC: false`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  equivalents: {
    polaris: 'hostIPCSet',
    kubescape: 'C-0276',
    pss: { control: 'Host Namespaces', level: 'baseline' },
    cis: '5.2.4',
  },
};

export const hostNetworkMetadata: CheckMetadata = {
  id: 'host-network',
  title: 'Host network namespace shared',
  severity: 'high',
  area: 'host-access',
  rationale:
    "A pod on the host network sees every interface of the node, can reach services bound to the node's localhost and can sniff other pods' traffic; network policies do not apply to it.",
  remediation: {
    text: 'Remove `hostNetwork: true` and expose the workload through a Service instead.',
    yaml: `spec:
  hostNetwork: false`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  equivalents: {
    polaris: 'hostNetworkSet',
    kubescape: 'C-0041',
    pss: { control: 'Host Namespaces', level: 'baseline' },
    cis: '5.2.5',
  },
};

export const hostPathWritableMetadata: CheckMetadata = {
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
};

export const hostPathReadOnlyMetadata: CheckMetadata = {
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
};

export const hostPortMetadata: CheckMetadata = {
  id: 'host-port',
  title: 'Container binds a host port',
  severity: 'medium',
  area: 'host-access',
  rationale:
    'A host port exposes the container on every address of its node, around Services and network policies, and ties the pod to nodes where the port is free.',
  remediation: {
    text: 'Remove `hostPort` and reach the container through a Service (NodePort or LoadBalancer when it must be reachable from outside).',
    yaml: `ports:
  - containerPort: 8080`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  equivalents: {
    polaris: 'hostPortSet',
    kubescape: 'C-0044',
    pss: { control: 'Host Ports', level: 'baseline' },
    cis: '5.2.13',
  },
};

export const windowsHostProcessMetadata: CheckMetadata = {
  id: 'windows-host-process',
  title: 'Windows HostProcess container',
  severity: 'critical',
  area: 'host-access',
  rationale:
    "A HostProcess container runs directly on the Windows node, outside any container isolation, with the node's network and file system and the rights of a node account such as SYSTEM.",
  remediation: {
    text: 'Remove `windowsOptions.hostProcess: true` from the pod and its containers. Keep HostProcess pods to node agents in a namespace of their own with a privileged Pod Security level.',
    yaml: `securityContext:
  windowsOptions:
    hostProcess: false`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/',
  equivalents: {
    polaris: 'hostProcess',
    pss: { control: 'HostProcess', level: 'baseline' },
    cis: '5.2.11',
  },
};

export const windowsHostProcessInconsistentMetadata: CheckMetadata = {
  id: 'windows-host-process-inconsistent',
  title: 'Windows HostProcess set inconsistently',
  severity: 'low',
  area: 'host-access',
  rationale:
    'Kubernetes runs a pod either wholly as HostProcess containers or not at all: the API server rejects a pod whose containers differ, or whose container value contradicts the pod value, so the workload cannot start.',
  remediation: {
    text: 'Set `windowsOptions.hostProcess` once at pod level and remove the container-level values, or give every container, init containers included, the same value.',
    yaml: `spec:
  hostNetwork: true
  securityContext:
    windowsOptions:
      hostProcess: true`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/',
  equivalents: {},
};

export const windowsHostProcessMissingHostNetworkMetadata: CheckMetadata = {
  id: 'windows-host-process-missing-host-network',
  title: 'Windows HostProcess pod without host network',
  severity: 'low',
  area: 'host-access',
  rationale:
    "HostProcess containers always use the node's network, and the API server rejects a pod with HostProcess containers unless it sets `hostNetwork: true`: the workload cannot start.",
  remediation: {
    text: 'Set `hostNetwork: true` on pods that run HostProcess containers, or stop running them as HostProcess containers.',
    yaml: `spec:
  hostNetwork: true`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/',
  equivalents: {},
};
