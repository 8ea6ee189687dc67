import { clusterFeatures, supportStatus } from './clusterFeatures';

const stages = (minor: number, discovery = {}) =>
  Object.fromEntries(
    clusterFeatures({ major: 1, minor }, discovery).map(f => [f.id, f.stage]),
  );

describe('supportStatus', () => {
  const today = new Date('2026-11-27T12:00:00Z');
  it('flags end-of-life, maintenance and supported minors on the day of the scan', () => {
    expect(supportStatus({ major: 1, minor: 26 }, today)).toEqual({
      status: 'end-of-life',
      endOfLife: '2024-02-28',
    });
    expect(supportStatus({ major: 1, minor: 35 }, today)).toEqual({
      status: 'supported',
      endOfLife: '2027-02-28',
    });
    expect(
      supportStatus({ major: 1, minor: 35 }, new Date('2027-01-15T00:00:00Z')),
    ).toEqual({
      status: 'maintenance',
      endOfLife: '2027-02-28',
    });
    expect(supportStatus({ major: 1, minor: 36 }, today)).toEqual({
      status: 'supported',
      endOfLife: '2027-06-28',
    });
    expect(supportStatus({ major: 1, minor: 19 }, today)).toEqual({
      status: 'end-of-life',
    });
    expect(supportStatus({ major: 1, minor: 40 }, today)).toEqual({
      status: 'unknown',
    });
    expect(supportStatus(undefined, today)).toEqual({ status: 'unknown' });
  });
});

describe('clusterFeatures', () => {
  it('judges API-backed features from discovery, not from the version', () => {
    expect(
      stages(26, {
        validatingAdmissionPolicy: 'v1alpha1',
        selfSubjectReview: null,
      }),
    ).toMatchObject({
      'validating-admission-policy': 'alpha',
      'self-subject-review': 'not-available',
    });
    expect(
      stages(30, { validatingAdmissionPolicy: 'v1', selfSubjectReview: 'v1' }),
    ).toMatchObject({
      'validating-admission-policy': 'ga',
      'self-subject-review': 'ga',
    });
    expect(stages(30, {})).toMatchObject({
      'validating-admission-policy': 'unknown',
    });
  });

  it('explains why an API is absent', () => {
    const [, vap] = clusterFeatures(
      { major: 1, minor: 20 },
      { validatingAdmissionPolicy: null },
    );
    expect(vap.note).toMatch(/arrived as alpha in 1\.26, after 1\.20/);
    const ssr = clusterFeatures(
      { major: 1, minor: 27 },
      { selfSubjectReview: null },
    ).find(f => f.id === 'self-subject-review')!;
    expect(ssr.note).toMatch(
      /beta in 1\.27, off unless the APISelfSubjectReview/,
    );
  });

  it('stages version-only features by minor', () => {
    expect(stages(22)).toMatchObject({
      'windows-host-process': 'alpha',
      'csi-fsgroup-delegation': 'alpha',
      'release-signing': 'not-available',
    });
    expect(stages(26)).toMatchObject({
      'windows-host-process': 'ga',
      'release-signing': 'beta',
    });
    expect(stages(28)['legacy-token-cleanup']).toBe('ga');
    expect(stages(24)['legacy-token-cleanup']).toBe('beta');
  });
});
