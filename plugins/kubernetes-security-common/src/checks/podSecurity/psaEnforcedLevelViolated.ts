import type { WorkloadCheck } from '../types';
import {
  namespaceLevelViolations,
  violationFinding,
} from './namespaceLevelViolations';

export const psaEnforcedLevelViolated: WorkloadCheck = {
  scope: 'workload',
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
  run(context) {
    const result = namespaceLevelViolations(context, 'enforce');
    if (!result) return [];
    return result.violations.map(violation =>
      violationFinding(
        violation,
        result,
        'Pods with this spec are rejected at admission.',
      ),
    );
  },
};
