import { BASELINE_CAPABILITIES } from '../podSecurity/baselineCapabilities';
import type { CheckMetadata } from '../types';

export const privilegedContainerMetadata: CheckMetadata = {
  id: 'privileged-container',
  title: 'Privileged container',
  severity: 'critical',
  area: 'host-access',
  rationale:
    'A privileged container has every capability and access to all host devices: escaping to the node is trivial.',
  remediation: {
    text: 'Remove `privileged: true`. Grant only the capabilities the process needs.',
    yaml: `securityContext:
  privileged: false`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  equivalents: {
    polaris: 'runAsPrivileged',
    kubescape: 'C-0057',
    pss: { control: 'Privileged Containers', level: 'baseline' },
    cis: '5.2.2',
  },
};

export const allowPrivilegeEscalationMetadata: CheckMetadata = {
  id: 'allow-privilege-escalation',
  title: 'Privilege escalation allowed',
  severity: 'medium',
  area: 'workload-hardening',
  rationale:
    'Unless `allowPrivilegeEscalation` is false, a process in the container can gain privileges through set-user-ID binaries or file capabilities; Linux containers allow it by default.',
  remediation: {
    text: 'Set `allowPrivilegeEscalation: false` in the security context of every container, init and ephemeral containers included. The pod-level security context has no such field.',
    yaml: `securityContext:
  allowPrivilegeEscalation: false`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
  equivalents: {
    polaris: 'privilegeEscalationAllowed',
    kubescape: 'C-0016',
    pss: { control: 'Privilege Escalation', level: 'restricted' },
    cis: '5.2.6',
  },
};

export const dangerousCapabilitiesAddedMetadata: CheckMetadata = {
  id: 'dangerous-capabilities-added',
  title: 'Dangerous capabilities added',
  severity: 'high',
  area: 'workload-hardening',
  rationale:
    'Capabilities such as SYS_ADMIN, SYS_MODULE, SYS_PTRACE, BPF or NET_ADMIN give a container kernel powers that lead out of it: mounting file systems, loading kernel modules, tracing processes, reconfiguring the node network.',
  remediation: {
    text: 'Remove the dangerous capabilities from `capabilities.add`; drop ALL and add back only what the process needs, such as NET_BIND_SERVICE.',
    yaml: `securityContext:
  capabilities:
    drop: ["ALL"]
    add: ["NET_BIND_SERVICE"]`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container',
  equivalents: {
    polaris: 'dangerousCapabilities',
    kubescape: 'C-0046',
  },
};

export const capabilitiesAddedBeyondBaselineMetadata: CheckMetadata = {
  id: 'capabilities-added-beyond-baseline',
  title: 'Capabilities added beyond the default set',
  severity: 'medium',
  area: 'workload-hardening',
  rationale:
    "Adding a capability outside the runtime's default set (NET_RAW included) gives the container kernel privileges ordinary containers do not have.",
  remediation: {
    text: `Add only capabilities from the default set (${BASELINE_CAPABILITIES.join(
      ', ',
    )}), spelled exactly so, and preferably none but NET_BIND_SERVICE.`,
    yaml: `securityContext:
  capabilities:
    drop: ["ALL"]
    add: ["NET_BIND_SERVICE"]`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  equivalents: {
    pss: { control: 'Capabilities', level: 'baseline' },
    cis: '5.2.9',
  },
};

export const capabilitiesNotDroppedMetadata: CheckMetadata = {
  id: 'capabilities-not-dropped',
  title: 'Capabilities not dropped',
  severity: 'low',
  area: 'workload-hardening',
  rationale:
    "A container keeps the runtime's default capabilities (NET_RAW, SETUID, DAC_OVERRIDE, …) unless it drops them; most processes need none of them.",
  remediation: {
    text: 'Drop ALL capabilities in every container and add back at most NET_BIND_SERVICE. Pod Security admission compares the names exactly: write `ALL` and `NET_BIND_SERVICE`.',
    yaml: `securityContext:
  capabilities:
    drop: ["ALL"]
    add: ["NET_BIND_SERVICE"]`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
  equivalents: {
    polaris: 'insecureCapabilities',
    pss: { control: 'Capabilities', level: 'restricted' },
    cis: '5.2.10',
  },
};

export const runAsNonRootNotSetMetadata: CheckMetadata = {
  id: 'run-as-non-root-not-set',
  title: 'Containers not required to run as non-root',
  severity: 'medium',
  area: 'workload-hardening',
  rationale:
    'Without `runAsNonRoot: true` the kubelet starts a container whose image runs as root, and root in a container is one kernel bug or misconfiguration away from root on the node.',
  remediation: {
    text: 'Set `runAsNonRoot: true` in the pod security context (or in every container), and build the image with a non-root USER or set `runAsUser`.',
    yaml: `spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
  equivalents: {
    polaris: 'runAsRootAllowed',
    pss: { control: 'Running as Non-root', level: 'restricted' },
    cis: '5.2.7',
  },
};

export const runAsUserRootMetadata: CheckMetadata = {
  id: 'run-as-user-root',
  title: 'Container runs as user ID 0',
  severity: 'high',
  area: 'workload-hardening',
  rationale:
    'An explicit `runAsUser: 0` runs the container as root whatever the image says, so any escape from the container lands as root on the node.',
  remediation: {
    text: 'Set `runAsUser` to a non-zero user ID, or remove it and build the image with a non-root USER.',
    yaml: `securityContext:
  runAsUser: 10001
  runAsNonRoot: true`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
  equivalents: {
    pss: { control: 'Running as Non-root user', level: 'restricted' },
    cis: '5.2.7',
  },
};

export const readOnlyRootFilesystemDisabledMetadata: CheckMetadata = {
  id: 'read-only-root-filesystem-disabled',
  title: 'Root filesystem writable',
  severity: 'low',
  area: 'workload-hardening',
  rationale:
    'A writable root filesystem lets an intruder drop tools and modify binaries or configuration of the running container.',
  remediation: {
    text: 'Set `readOnlyRootFilesystem: true` on every container and mount an emptyDir where the application must write (for example /tmp).',
    yaml: `securityContext:
  readOnlyRootFilesystem: true
volumeMounts:
  - name: tmp
    mountPath: /tmp`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
  equivalents: {
    polaris: 'notReadOnlyRootFilesystem',
    kubescape: 'C-0017',
  },
};

export const seccompProfileMissingMetadata: CheckMetadata = {
  id: 'seccomp-profile-missing',
  title: 'No seccomp profile',
  severity: 'medium',
  area: 'workload-hardening',
  rationale:
    'Without a seccomp profile a container runs Unconfined (unless the kubelet defaults to RuntimeDefault) and can call every system call, including the rarely used ones most kernel exploits go through.',
  remediation: {
    text: 'Set `seccompProfile.type: RuntimeDefault` (or `Localhost` with a profile of your own) in the pod security context, or in every container.',
    yaml: `spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault`,
  },
  docs: 'https://kubernetes.io/docs/tutorials/security/seccomp/',
  equivalents: {
    kubescape: 'C-0210',
    pss: { control: 'Seccomp', level: 'restricted' },
    cis: '5.7.2',
  },
};

export const seccompUnconfinedMetadata: CheckMetadata = {
  id: 'seccomp-unconfined',
  title: 'Seccomp explicitly disabled',
  severity: 'high',
  area: 'workload-hardening',
  rationale:
    "An Unconfined seccomp profile turns off the runtime's system call filter, even where the kubelet would apply RuntimeDefault, and exposes the whole kernel interface to the container.",
  remediation: {
    text: 'Set `seccompProfile.type` to `RuntimeDefault` or `Localhost`, and remove the deprecated `seccomp.security.alpha.kubernetes.io` annotations.',
    yaml: `securityContext:
  seccompProfile:
    type: RuntimeDefault`,
  },
  docs: 'https://kubernetes.io/docs/tutorials/security/seccomp/',
  equivalents: {
    pss: { control: 'Seccomp', level: 'baseline' },
  },
};

export const appArmorUnconfinedMetadata: CheckMetadata = {
  id: 'apparmor-unconfined',
  title: 'AppArmor explicitly disabled',
  severity: 'high',
  area: 'workload-hardening',
  rationale:
    'On nodes with AppArmor the runtime confines containers with its default profile; an Unconfined profile removes that layer, which blocks, among others, mounts and writes to sensitive /proc and /sys files.',
  remediation: {
    text: 'Set `appArmorProfile.type` to `RuntimeDefault` or `Localhost` (Kubernetes 1.30+), or remove the field; remove `unconfined` values of the deprecated `container.apparmor.security.beta.kubernetes.io` annotation.',
    yaml: `securityContext:
  appArmorProfile:
    type: RuntimeDefault`,
  },
  docs: 'https://kubernetes.io/docs/tutorials/security/apparmor/',
  equivalents: {
    pss: { control: 'AppArmor', level: 'baseline' },
  },
};

export const procMountUnmaskedMetadata: CheckMetadata = {
  id: 'proc-mount-unmasked',
  title: '/proc mounted unmasked',
  severity: 'high',
  area: 'workload-hardening',
  rationale:
    "The runtime masks and makes read-only the parts of /proc that expose or control the node's kernel; `procMount: Unmasked` removes those masks.",
  remediation: {
    text: 'Remove `procMount` or set it to `Default`. Unmasked /proc is meant only for nested containers in a user namespace (`hostUsers: false`).',
    yaml: `securityContext:
  procMount: Default`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  equivalents: {
    polaris: 'procMount',
    pss: { control: '/proc Mount Type', level: 'baseline' },
  },
};

export const unsafeSysctlsMetadata: CheckMetadata = {
  id: 'unsafe-sysctls',
  title: 'Unsafe sysctls',
  severity: 'medium',
  area: 'workload-hardening',
  rationale:
    'Sysctls outside the safe set are not isolated per pod: they can change the kernel behaviour of the whole node or of its other pods, or disable security mechanisms.',
  remediation: {
    text: 'Remove the sysctls outside the safe set. If one is really needed, set it on dedicated, tainted nodes whose kubelet allows it with `--allowed-unsafe-sysctls`.',
    yaml: `spec:
  securityContext:
    sysctls:
      - name: net.ipv4.ip_local_port_range
        value: "1024 65535"`,
  },
  docs: 'https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/',
  equivalents: {
    pss: { control: 'Sysctls', level: 'baseline' },
  },
};

export const seLinuxCustomOptionsMetadata: CheckMetadata = {
  id: 'selinux-custom-options',
  title: 'Custom SELinux options',
  severity: 'medium',
  area: 'workload-hardening',
  rationale:
    'A custom SELinux type, user or role can give the container a label the node policy trusts more than the runtime default, up to an unconfined domain.',
  remediation: {
    text: 'Remove `seLinuxOptions.user` and `seLinuxOptions.role`, and leave `type` unset or use one of the container types (`container_t`, `container_init_t`, `container_kvm_t`, `container_engine_t`).',
    yaml: `securityContext:
  seLinuxOptions:
    level: "s0:c123,c456"`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  equivalents: {
    pss: { control: 'SELinux', level: 'baseline' },
  },
};
