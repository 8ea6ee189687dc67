import type { CheckMetadata } from '../types';

export const psaEnforceMissingMetadata: CheckMetadata = {
  id: 'psa-enforce-missing',
  title: 'Namespace enforces no Pod Security level',
  severity: 'medium',
  area: 'pod-security-admission',
  rationale:
    'Without the `pod-security.kubernetes.io/enforce` label, Pod Security Admission applies the cluster default, ' +
    'which is `privileged` (no restriction) unless the admission configuration says otherwise: anyone who can ' +
    'create pods here can run privileged, host-namespace or hostPath pods. System namespaces such as kube-system ' +
    'are not exempt by default and are flagged too. Exclude this check where another admission controller ' +
    '(Kyverno, Gatekeeper, …) enforces pod security.',
  remediation: {
    text: 'Label the namespace with the strictest level its workloads meet, pinned to a version.',
    yaml: `apiVersion: v1
kind: Namespace
metadata:
  name: my-app
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: v1.30`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces',
  equivalents: { kubescape: 'C-0192', cis: '5.2.1' },
};

export const psaEnforcePrivilegedMetadata: CheckMetadata = {
  id: 'psa-enforce-privileged',
  title: 'Namespace enforces the privileged Pod Security level',
  severity: 'medium',
  area: 'pod-security-admission',
  rationale:
    'The `privileged` level restricts nothing: pods here may run privileged, share host namespaces and mount the ' +
    "node's filesystem. It is meant for trusted system workloads (kube-system usually needs it, and is flagged " +
    'like any other namespace), not for applications.',
  remediation: {
    text: 'Enforce `baseline` or `restricted`; move workloads that need host access to a dedicated namespace.',
    yaml: `metadata:
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/enforce-version: v1.30`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#privileged',
  equivalents: {},
};

export const psaVersionUnpinnedMetadata: CheckMetadata = {
  id: 'psa-version-unpinned',
  title: 'Enforced Pod Security level not pinned to a version',
  severity: 'info',
  area: 'pod-security-admission',
  rationale:
    'Without `pod-security.kubernetes.io/enforce-version` (or with `latest`, or an invalid value), the enforced level ' +
    'follows the cluster version: an upgrade can add or tighten controls and start rejecting pods that were ' +
    'admitted the day before. Pinning makes tightening a reviewed change.',
  remediation: {
    text: 'Pin the enforced level to the Kubernetes minor version you validated, and raise it deliberately.',
    yaml: `metadata:
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: v1.30`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces',
  equivalents: {},
};

export const psaEnforcedLevelViolatedMetadata: CheckMetadata = {
  id: 'psa-enforced-level-violated',
  title: "Pods violate their namespace's enforced Pod Security level",
  severity: 'high',
  area: 'pod-security-admission',
  rationale:
    'Pod Security Admission rejects new pods that violate the level enforced on their namespace. Pods already running ' +
    'were admitted before the label (or its version) changed, or under an exemption; their controller cannot ' +
    'replace them, so the next rollout, reschedule or scale-up fails. The evaluation follows ' +
    'k8s.io/pod-security-admission, at the version the label pins (`latest` means the cluster version); ' +
    'exemptions in the admission configuration are not known here.',
  remediation: {
    text:
      'Bring the pod template in line with the reported control, or, if the workload really needs it, run it in ' +
      'a namespace with a more permissive level.',
    yaml: `securityContext:
  runAsNonRoot: true
  seccompProfile:
    type: RuntimeDefault
containers:
  - name: app
    securityContext:
      allowPrivilegeEscalation: false
      capabilities:
        drop: ["ALL"]`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
  equivalents: {},
};

export const psaWarnLevelViolatedMetadata: CheckMetadata = {
  id: 'psa-warn-level-violated',
  title: "Pods violate their namespace's warn Pod Security level",
  severity: 'low',
  area: 'pod-security-admission',
  rationale:
    'The `warn` level shows what a stricter level would reject, usually before it is enforced. Only fields that the ' +
    'enforced level does not already reject are reported here. Without a warn label, Pod Security Admission warns ' +
    'at the enforced level, which adds nothing new.',
  remediation: {
    text: 'Fix the reported fields before the namespace enforces the warn level.',
    yaml: `metadata:
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/warn: restricted`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces',
  equivalents: {},
};
