import { evaluatedVersion, namespacePodSecurity } from './namespacePodSecurity';

const namespace = (labels: Record<string, string>) => ({
  kind: 'Namespace',
  metadata: { name: 'ns', labels },
});

describe('namespacePodSecurity', () => {
  it('defaults to privileged at latest without labels', () => {
    expect(namespacePodSecurity(namespace({}), 'enforce')).toEqual({
      level: 'privileged',
      version: 'latest',
    });
    expect(namespacePodSecurity(namespace({}), 'warn')).toEqual({
      level: 'privileged',
      version: 'latest',
    });
  });

  it('reads the enforce level and version', () => {
    const ns = namespace({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'v1.30',
    });
    expect(namespacePodSecurity(ns, 'enforce')).toEqual({
      level: 'baseline',
      version: 'v1.30',
    });
  });

  it('fails closed on an invalid enforce level', () => {
    const ns = namespace({ 'pod-security.kubernetes.io/enforce': 'Baseline' });
    expect(namespacePodSecurity(ns, 'enforce').level).toBe('restricted');
    // Only a valid enforce level raises the default warn level.
    expect(namespacePodSecurity(ns, 'warn').level).toBe('privileged');
  });

  it('warns at the enforced level without a warn label, with the warn version if set', () => {
    const ns = namespace({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.30',
      'pod-security.kubernetes.io/warn-version': 'v1.25',
    });
    expect(namespacePodSecurity(ns, 'warn')).toEqual({
      level: 'restricted',
      version: 'v1.25',
    });
  });

  it('reads the warn label, failing open when invalid', () => {
    const warn = (level: string) =>
      namespacePodSecurity(
        namespace({
          'pod-security.kubernetes.io/enforce': 'baseline',
          'pod-security.kubernetes.io/warn': level,
        }),
        'warn',
      );
    expect(warn('restricted')).toEqual({
      level: 'restricted',
      version: 'latest',
    });
    expect(warn('strict').level).toBe('privileged');
  });
});

describe('evaluatedVersion', () => {
  it('resolves latest to the cluster version when known', () => {
    expect(evaluatedVersion('latest', undefined)).toBe('latest');
    expect(evaluatedVersion('latest', { major: 1, minor: 30 })).toBe('v1.30');
    expect(evaluatedVersion('not-a-version', { major: 1, minor: 30 })).toBe(
      'v1.30',
    );
  });

  it('caps a pinned version at the cluster version', () => {
    expect(evaluatedVersion('v1.25', { major: 1, minor: 30 })).toBe('v1.25');
    expect(evaluatedVersion('v1.32', { major: 1, minor: 30 })).toBe('v1.30');
    expect(evaluatedVersion('v1.32', undefined)).toBe('v1.32');
  });
});
