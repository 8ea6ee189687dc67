import {
  ClusterContext,
  clusterFeatures,
  ClusterStatus,
  ImageVerification,
  qualifiedResource,
  ScanError,
  SCANNED_RESOURCES,
  supportStatus,
} from '@internal/plugin-kubernetes-security-common';
import type { ApiDiscovery } from '../collector/discoverApis';
import type { IdentityProbe } from '../collector/probeIdentity';
import type { ClusterScanRecord } from '../store/ReportStore';

const OS_LABEL = 'kubernetes.io/os';

function servedVersion(
  discovery: ApiDiscovery,
  group: string,
  resource: string,
) {
  if (discovery.isUnknown(group)) return undefined;
  return discovery.preferredVersion(group, resource) ?? null;
}

/** The cluster panel of one scan attempt. */
export function buildClusterStatus(input: {
  scan: ClusterScanRecord;
  context: ClusterContext;
  discovery: ApiDiscovery;
  identity?: IdentityProbe;
  /** E.g. admission policies that could not be read. */
  otherErrors?: ScanError[];
  /** kube-system images checked against the `kubernetes-release` policy. */
  releaseImages?: ImageVerification[];
}): ClusterStatus {
  const { scan, context, discovery, identity } = input;
  const version = context.clusterVersion;
  return {
    cluster: scan.cluster,
    ...(scan.gitVersion ? { gitVersion: scan.gitVersion } : {}),
    ...(version ? { version } : {}),
    support: supportStatus(version, new Date(scan.attemptedAt)),
    features: clusterFeatures(version, {
      validatingAdmissionPolicy: servedVersion(
        discovery,
        'admissionregistration.k8s.io',
        'validatingadmissionpolicies',
      ),
      selfSubjectReview: servedVersion(
        discovery,
        'authentication.k8s.io',
        'selfsubjectreviews',
      ),
    }),
    ...(identity?.identity ? { identity: identity.identity } : {}),
    ...(identity?.identityUnavailableReason
      ? { identityUnavailableReason: identity.identityUnavailableReason }
      : {}),
    ...(!identity
      ? { identityUnavailableReason: 'The cluster could not be reached.' }
      : {}),
    permissions: identity?.permissions ?? [],
    ...(identity?.missingPermissionsClusterRole
      ? {
          missingPermissionsClusterRole: identity.missingPermissionsClusterRole,
        }
      : {}),
    ...(context.nodes
      ? {
          windowsNodes: context.nodes
            .filter(node => node.metadata?.labels?.[OS_LABEL] === 'windows')
            .map(node => node.metadata?.name ?? '')
            .sort(),
        }
      : {}),
    ...(input.releaseImages ? { releaseImages: input.releaseImages } : {}),
    attemptedAt: scan.attemptedAt,
    ...(scan.succeededAt ? { succeededAt: scan.succeededAt } : {}),
    durationMs: scan.durationMs,
    errors: [
      ...scan.errors,
      ...discovery.errors,
      ...(identity?.errors ?? []),
      ...(input.otherErrors ?? []),
    ],
  };
}

/** A 403 on a collection says which report data it costs. */
export function explainMissingPermission(error: ScanError): ScanError {
  if (error.type !== 'FORBIDDEN' || !error.resource) return error;
  const read = SCANNED_RESOURCES.find(
    row => qualifiedResource(row) === error.resource,
  );
  if (!read) return error;
  return {
    ...error,
    message: `Missing permission: ${read.verb} ${error.resource}. Not shown: ${read.why}. (${error.message})`,
  };
}
