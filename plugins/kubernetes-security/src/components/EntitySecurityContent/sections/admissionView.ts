import type {
  AdmissionCoverageCell,
  AdmissionMechanism,
  AdmissionOutcome,
} from '@internal/plugin-kubernetes-security-common';
import type { StatusTone } from '../../grades/gradeStyles';

/** How a cell or an outcome is shown: a coloured label, and why when it is not fine. */
export interface AdmissionStatus {
  tone: StatusTone;
  label: string;
  reason?: string;
}

const MECHANISMS: Record<AdmissionMechanism, string> = {
  'pod-security-admission': 'Pod Security',
  'validating-admission-policy': 'ValidatingAdmissionPolicy',
  kyverno: 'Kyverno',
  gatekeeper: 'Gatekeeper',
  'policy-controller': 'policy-controller',
};

export function mechanismLabel(mechanism: AdmissionMechanism): string {
  return MECHANISMS[mechanism] ?? mechanism;
}

const OUTCOMES: Record<AdmissionOutcome, Omit<AdmissionStatus, 'reason'>> = {
  'would-pass': { tone: 'ok', label: 'Would pass' },
  'would-be-denied': { tone: 'error', label: 'Would be denied' },
  'would-warn': { tone: 'warning', label: 'Would warn' },
  'would-audit': { tone: 'warning', label: 'Would be audited' },
  // The workload gets in, but only because the policy is not run.
  'not-enforced': { tone: 'warning', label: 'Not enforced' },
  unknown: { tone: 'unknown', label: 'Could not evaluate' },
};

export function outcomeStatus(outcome: AdmissionOutcome): AdmissionStatus {
  return OUTCOMES[outcome] ?? { tone: 'unknown', label: outcome };
}

const PSA_LABEL = 'pod-security.kubernetes.io/';

/**
 * What one namespace's coverage cell means. A Pod Security Admission mode
 * set to `privileged` allows every pod, so it covers nothing even though
 * the mode is `enforce` (whose action is deny): the namespace labels say
 * which level each mode sets.
 */
export function coverageStatus(
  cell: AdmissionCoverageCell | undefined,
  namespaceLabels: Record<string, string> | undefined,
): AdmissionStatus {
  const levelOf = (control: { mechanism: string; name: string }) =>
    control.mechanism === 'pod-security-admission'
      ? namespaceLabels?.[control.name]
      : undefined;
  const controls = cell?.controls ?? [];
  const allowingAll = controls.filter(c => levelOf(c) === 'privileged');
  const effective = controls.filter(c => !allowingAll.includes(c));
  const reason = allowingAll.length
    ? `${allowingAll
        .map(c => `${c.name.replace(PSA_LABEL, '')}=privileged`)
        .join(', ')} allows every pod`
    : undefined;
  const deny = effective.find(c => c.action === 'deny');
  if (deny) {
    const level = levelOf(deny);
    return {
      tone: 'ok',
      label:
        level && cell?.requirement === 'pod-security-level'
          ? `${level} enforced`
          : 'deny',
    };
  }
  const softest = effective.find(c => c.action === 'warn') ?? effective[0];
  if (softest) {
    const level = levelOf(softest);
    return {
      tone: 'warning',
      label: `${level ? `${level} ` : ''}${softest.action} only`,
      reason: reason ?? 'objections are reported, not denied',
    };
  }
  if (reason) return { tone: 'error', label: 'not enforced', reason };
  return { tone: 'error', label: 'not covered' };
}

/** "Pod Security enforce: restricted (v1.30)", "Kyverno disallow-privileged: deny". */
export function controlDescriptions(
  cell: AdmissionCoverageCell | undefined,
  namespaceLabels: Record<string, string> | undefined,
): string[] {
  return (cell?.controls ?? []).map(control => {
    if (control.mechanism === 'pod-security-admission') {
      const mode = control.name.replace(PSA_LABEL, '');
      const level = namespaceLabels?.[control.name];
      const version = namespaceLabels?.[`${control.name}-version`];
      return `Pod Security ${mode}: ${level ?? control.action}${
        version ? ` (${version})` : ''
      }`;
    }
    return `${mechanismLabel(control.mechanism)} ${control.name}: ${
      control.action
    }`;
  });
}
