import type { WorkloadCheck } from '../types';
import {
  namespaceLevelViolations,
  violationFinding,
} from './namespaceLevelViolations';

export const psaWarnLevelViolated: WorkloadCheck = {
  scope: 'workload',
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
  run(context) {
    const warned = namespaceLevelViolations(context, 'warn');
    if (!warned) return [];
    const enforced = new Set(
      namespaceLevelViolations(context, 'enforce')?.violations.flatMap(
        ({ fields }) => fields.map(({ path }) => path),
      ),
    );
    return warned.violations
      .map(violation => ({
        ...violation,
        fields: violation.fields.filter(({ path }) => !enforced.has(path)),
      }))
      .filter(({ fields }) => fields.length > 0)
      .map(violation =>
        violationFinding(
          violation,
          warned,
          'Creating such pods prints a warning.',
        ),
      );
  },
};
