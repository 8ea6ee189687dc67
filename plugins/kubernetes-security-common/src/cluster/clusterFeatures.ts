/**
 * The cluster panel's facts about a Kubernetes version: upstream support and
 * the v1.26 security features (release signing, ValidatingAdmissionPolicy,
 * CSI fsGroup delegation, SelfSubjectReview, legacy token reduction, Windows
 * HostProcess). Features with an API are judged from discovery, the others
 * from the version.
 */
import type { ClusterVersion } from '../checks/types';
import type {
  ClusterFeature,
  ClusterStatus,
  FeatureStage,
} from '../reportSections';

/**
 * End of upstream patch support per 1.x minor (kubernetes.io/releases).
 * Maintenance mode starts about two months before.
 */
const END_OF_LIFE: Record<number, string> = {
  24: '2023-07-28',
  25: '2023-10-28',
  26: '2024-02-28',
  27: '2024-06-28',
  28: '2024-10-28',
  29: '2025-02-28',
  30: '2025-06-28',
  31: '2025-10-28',
  32: '2026-02-28',
  33: '2026-06-28',
  34: '2026-10-27',
  35: '2027-02-28',
  36: '2027-06-28',
};
const MAINTENANCE_MS = 61 * 24 * 60 * 60 * 1000;

export function supportStatus(
  version: ClusterVersion | undefined,
  today: Date,
): ClusterStatus['support'] {
  if (!version || version.major !== 1) return { status: 'unknown' };
  const endOfLife = END_OF_LIFE[version.minor];
  if (!endOfLife) {
    // Older than the table: long out of support; newer: too new to be listed.
    return version.minor < 24
      ? { status: 'end-of-life' }
      : { status: 'unknown' };
  }
  const end = Date.parse(`${endOfLife}T23:59:59Z`);
  const now = today.getTime();
  if (now > end) return { status: 'end-of-life', endOfLife };
  if (now > end - MAINTENANCE_MS) return { status: 'maintenance', endOfLife };
  return { status: 'supported', endOfLife };
}

/** Alpha/beta/GA by minor version, for features without an API to discover. */
function stageByVersion(
  version: ClusterVersion | undefined,
  stages: { alpha?: number; beta?: number; ga?: number },
): FeatureStage {
  if (!version || version.major !== 1) return 'unknown';
  const { minor } = version;
  if (stages.ga !== undefined && minor >= stages.ga) return 'ga';
  if (stages.beta !== undefined && minor >= stages.beta) return 'beta';
  if (stages.alpha !== undefined && minor >= stages.alpha) return 'alpha';
  return 'not-available';
}

function stageOfApiVersion(apiVersion: string | undefined): FeatureStage {
  if (!apiVersion) return 'not-available';
  if (apiVersion.includes('alpha')) return 'alpha';
  if (apiVersion.includes('beta')) return 'beta';
  return 'ga';
}

/** What discovery said about the APIs behind two of the features. */
export interface FeatureDiscovery {
  /** Preferred served version of `validatingadmissionpolicies`; null = not served, undefined = unknown. */
  validatingAdmissionPolicy?: string | null;
  /** Preferred served version of `selfsubjectreviews`; null = not served, undefined = unknown. */
  selfSubjectReview?: string | null;
}

function label(version: ClusterVersion | undefined) {
  return version ? `${version.major}.${version.minor}` : 'this version';
}

function servedFeature(
  served: string | null | undefined,
  version: ClusterVersion | undefined,
  stages: { alpha: number; beta: number; ga: number },
  gate: string,
): { stage: FeatureStage; note: string } {
  if (served === undefined)
    return {
      stage: 'unknown',
      note: 'Discovery of the API group failed, so this is unknown.',
    };
  if (served) {
    const stage = stageOfApiVersion(served);
    return {
      stage,
      note:
        stage === 'ga'
          ? `Served at ${served}.`
          : `Served at ${served} (${stage}: the ${gate} gate is on).`,
    };
  }
  const expected = stageByVersion(version, stages);
  if (expected === 'not-available')
    return {
      stage: 'not-available',
      note: `Not served: it arrived as alpha in 1.${
        stages.alpha
      }, after ${label(version)}.`,
    };
  if (expected === 'ga')
    return {
      stage: 'not-available',
      note: `Not served, although GA since 1.${stages.ga}: the API is disabled on this cluster.`,
    };
  return {
    stage: 'not-available',
    note: `Not served: ${expected} in ${label(
      version,
    )}, off unless the ${gate} feature gate and API version are enabled.`,
  };
}

export function clusterFeatures(
  version: ClusterVersion | undefined,
  discovery: FeatureDiscovery,
): ClusterFeature[] {
  const releaseSigning = stageByVersion(version, { alpha: 24, beta: 26 });
  const csiDelegation = stageByVersion(version, {
    alpha: 22,
    beta: 23,
    ga: 26,
  });
  const tracking = stageByVersion(version, { alpha: 26, beta: 27, ga: 28 });
  const cleanup = stageByVersion(version, { alpha: 28, beta: 29, ga: 30 });
  const noAutoGeneration = stageByVersion(version, { beta: 24, ga: 26 });
  // The most advanced of the three steps of KEP-2799 this version has.
  let tokenStage = noAutoGeneration;
  if (tracking !== 'not-available') tokenStage = tracking;
  if (cleanup === 'ga') tokenStage = 'ga';
  const hostProcess = stageByVersion(version, { alpha: 22, beta: 23, ga: 26 });
  return [
    {
      id: 'release-signing',
      title: 'Signed release artifacts and images',
      kep: 'KEP-3031',
      docs: 'https://kubernetes.io/docs/tasks/administer-cluster/verify-signed-artifacts/',
      stage: releaseSigning,
      note:
        releaseSigning === 'not-available'
          ? `Images of ${label(
              version,
            )} predate signing (from 1.24); control-plane images cannot be verified.`
          : 'Control-plane images of this release are signed keyless by krel-trust@k8s-releng-prod.iam.gserviceaccount.com.',
    },
    {
      id: 'validating-admission-policy',
      title: 'ValidatingAdmissionPolicy (CEL)',
      kep: 'KEP-3488',
      docs: 'https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/',
      ...servedFeature(
        discovery.validatingAdmissionPolicy,
        version,
        { alpha: 26, beta: 28, ga: 30 },
        'ValidatingAdmissionPolicy',
      ),
    },
    {
      id: 'csi-fsgroup-delegation',
      title: 'fsGroup delegation to CSI drivers',
      kep: 'KEP-2317',
      docs: 'https://kubernetes.io/docs/concepts/storage/volumes/#csi',
      stage: csiDelegation,
      note:
        csiDelegation === 'ga'
          ? 'Drivers with VOLUME_MOUNT_GROUP receive fsGroup at mount time; the API does not show which drivers do.'
          : `In ${label(
              version,
            )} the kubelet applies fsGroup itself unless the DelegateFSGroupToCSIDriver gate is on.`,
    },
    {
      id: 'self-subject-review',
      title: 'SelfSubjectReview (who am I)',
      kep: 'KEP-3325',
      docs: 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#self-subject-review',
      ...servedFeature(
        discovery.selfSubjectReview,
        version,
        { alpha: 26, beta: 27, ga: 28 },
        'APISelfSubjectReview',
      ),
    },
    {
      id: 'legacy-token-cleanup',
      title: 'Legacy service-account token reduction, tracking and clean-up',
      kep: 'KEP-2799',
      docs: 'https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#auto-generated-legacy-serviceaccount-token-clean-up',
      stage: tokenStage,
      note: [
        noAutoGeneration === 'not-available'
          ? 'Token Secrets are still generated for every ServiceAccount.'
          : 'No token Secrets are generated automatically any more.',
        tracking === 'not-available'
          ? 'Use of legacy tokens is not tracked.'
          : `Use is tracked (${tracking}) in the kubernetes.io/legacy-token-last-used label.`,
        cleanup === 'not-available'
          ? 'Unused tokens are never invalidated.'
          : `Unused auto-generated tokens are invalidated after a year (${cleanup}).`,
      ].join(' '),
    },
    {
      id: 'windows-host-process',
      title: 'Windows HostProcess containers',
      kep: 'KEP-1981',
      docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/',
      stage: hostProcess,
      note:
        hostProcess === 'ga'
          ? 'HostProcess pods are generally available: keep them out of application namespaces with Pod Security.'
          : `HostProcess is ${hostProcess} in ${label(version)}.`,
    },
  ];
}
