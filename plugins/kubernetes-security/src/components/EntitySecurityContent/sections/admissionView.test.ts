import type { AdmissionCoverageCell } from '@internal/plugin-kubernetes-security-common';
import {
  controlDescriptions,
  coverageStatus,
  outcomeStatus,
} from './admissionView';

const psa = (mode: string) => ({
  mechanism: 'pod-security-admission' as const,
  name: `pod-security.kubernetes.io/${mode}`,
  action: ({ enforce: 'deny', warn: 'warn', audit: 'audit' } as const)[
    mode as 'enforce' | 'warn' | 'audit'
  ],
});
const levelCell = (
  ...controls: AdmissionCoverageCell['controls']
): AdmissionCoverageCell => ({
  requirement: 'pod-security-level',
  ...(controls.length ? { strongestAction: controls[0].action } : {}),
  controls,
});

describe('coverageStatus', () => {
  it('does not count enforce=privileged as enforcing anything', () => {
    const labels = { 'pod-security.kubernetes.io/enforce': 'privileged' };
    expect(coverageStatus(levelCell(psa('enforce')), labels)).toEqual({
      tone: 'error',
      label: 'not enforced',
      reason: 'enforce=privileged allows every pod',
    });
    expect(controlDescriptions(levelCell(psa('enforce')), labels)).toEqual([
      'Pod Security enforce: privileged',
    ]);
  });

  it('names the enforced level and its version', () => {
    const labels = {
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.30',
    };
    expect(coverageStatus(levelCell(psa('enforce')), labels)).toEqual({
      tone: 'ok',
      label: 'restricted enforced',
    });
    expect(controlDescriptions(levelCell(psa('enforce')), labels)).toEqual([
      'Pod Security enforce: restricted (v1.30)',
    ]);
  });

  it('says a level that is only warned about is not enforced, and why', () => {
    const labels = {
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/warn': 'restricted',
    };
    expect(
      coverageStatus(levelCell(psa('enforce'), psa('warn')), labels),
    ).toEqual({
      tone: 'warning',
      label: 'restricted warn only',
      reason: 'enforce=privileged allows every pod',
    });
  });

  it('shows other requirements by their strongest action', () => {
    const vap = {
      mechanism: 'validating-admission-policy' as const,
      name: 'deny-privileged',
      action: 'deny' as const,
    };
    const cell: AdmissionCoverageCell = {
      requirement: 'privileged-blocked',
      strongestAction: 'deny',
      controls: [vap],
    };
    expect(coverageStatus(cell, {})).toEqual({ tone: 'ok', label: 'deny' });
    expect(controlDescriptions(cell, {})).toEqual([
      'ValidatingAdmissionPolicy deny-privileged: deny',
    ]);
    expect(
      coverageStatus({ ...cell, controls: [{ ...vap, action: 'audit' }] }, {}),
    ).toEqual({
      tone: 'warning',
      label: 'audit only',
      reason: 'objections are reported, not denied',
    });
    expect(coverageStatus(undefined, {})).toEqual({
      tone: 'error',
      label: 'not covered',
    });
  });
});

describe('outcomeStatus', () => {
  it('colours each dry-run outcome', () => {
    expect(outcomeStatus('would-pass').tone).toBe('ok');
    expect(outcomeStatus('would-be-denied').tone).toBe('error');
    expect(outcomeStatus('not-enforced')).toEqual({
      tone: 'warning',
      label: 'Not enforced',
    });
    expect(outcomeStatus('unknown').tone).toBe('unknown');
  });
});
