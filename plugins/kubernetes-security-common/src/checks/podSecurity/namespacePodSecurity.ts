import type { KubeObject } from '../../kubernetes';
import { fixYaml } from '../fix';
import type { ClusterVersion } from '../types';
import {
  NEWEST_POD_SECURITY_MINOR,
  podSecurityMinor,
  type PodSecurityLevel,
  type PodSecurityVersion,
} from './podSecurityStandards';

export type PodSecurityMode = 'enforce' | 'warn';

export const levelLabel = (mode: PodSecurityMode) =>
  `pod-security.kubernetes.io/${mode}`;
export const versionLabel = (mode: PodSecurityMode) =>
  `pod-security.kubernetes.io/${mode}-version`;

/** A label of the namespace as written; absent when the namespace does not have it. */
export const namespaceLabel = (
  namespace: KubeObject,
  label: string,
): string | undefined => namespace.metadata?.labels?.[label];

/** Path of a namespace label, in the bracket form of the Kubernetes documentation. */
export const labelPath = (label: string) => `metadata.labels['${label}']`;

export interface ModePolicy {
  level: PodSecurityLevel;
  version: PodSecurityVersion;
}

const LEVELS: PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

const parseLevel = (value: string | undefined): PodSecurityLevel | undefined =>
  LEVELS.find(level => level === value);

/**
 * The level and version Pod Security Admission applies to a namespace in
 * `mode`, read from its labels the way k8s.io/pod-security-admission/api
 * PolicyToEvaluate does. The admission configuration's defaults are assumed
 * to be the built-in ones, `privileged` at `latest`.
 */
export function namespacePodSecurity(
  namespace: KubeObject,
  mode: PodSecurityMode,
): ModePolicy {
  const labels = namespace.metadata?.labels ?? {};
  const enforceLabel = labels[levelLabel('enforce')];
  const enforce: ModePolicy = {
    // An invalid enforce level fails closed.
    level:
      enforceLabel === undefined
        ? 'privileged'
        : parseLevel(enforceLabel) ?? 'restricted',
    version: labels[versionLabel('enforce')] ?? 'latest',
  };
  if (mode === 'enforce') return enforce;
  const warnLabel = labels[levelLabel('warn')];
  const warnVersion = labels[versionLabel('warn')];
  if (warnLabel !== undefined) {
    // An invalid warn level fails open.
    return {
      level: parseLevel(warnLabel) ?? 'privileged',
      version: warnVersion ?? 'latest',
    };
  }
  // Without a warn label, PSA warns at the enforced level too, so users see what enforcement rejects.
  return parseLevel(enforceLabel) && enforce.level !== 'privileged'
    ? { level: enforce.level, version: warnVersion ?? enforce.version }
    : { level: 'privileged', version: 'latest' };
}

/**
 * The version the cluster's admission actually evaluates: `latest` is the
 * cluster's own version, and no cluster knows checks newer than itself.
 */
export function evaluatedVersion(
  version: PodSecurityVersion,
  cluster: ClusterVersion | undefined,
): PodSecurityVersion {
  const minor = podSecurityMinor(version);
  if (!cluster || cluster.major !== 1)
    return minor === 'latest' ? 'latest' : `v1.${minor}`;
  return `v1.${
    minor === 'latest' ? cluster.minor : Math.min(minor, cluster.minor)
  }`;
}

/** The version to pin labels to: the cluster's, else the newest this plugin knows. */
export function pinnedVersion(cluster: ClusterVersion | undefined): string {
  return `v1.${
    cluster?.major === 1 ? cluster.minor : NEWEST_POD_SECURITY_MINOR
  }`;
}

/** A patch of the Namespace's labels. */
export function namespaceLabelsFix(
  labels: Record<string, string>,
  note?: string,
): string {
  return fixYaml([{ metadata: { labels } }], note);
}
