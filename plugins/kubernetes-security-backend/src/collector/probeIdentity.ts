import {
  ADMISSION_RESOURCES,
  EVERY_RESOURCE,
  qualifiedResource,
  REQUIRED_RESOURCES,
  type ClusterIdentity,
  type ClusterVersion,
  type PermissionCheck,
  type ScanError,
  type ScannedResource,
} from '@internal/plugin-kubernetes-security-common';
import type { KubernetesApiClient } from '../clusters/KubernetesApiClient';
import { toScanError } from './toScanError';
import type { ApiDiscovery } from './discoverApis';

/** A permission the scan uses, and what goes missing without it. */
export interface RequiredPermission {
  verb: 'list' | 'get';
  group: string;
  resource: string;
  neededFor: string;
}

function permissionOf(row: ScannedResource): RequiredPermission {
  return {
    verb: row.verb,
    group: row.group,
    resource: row.resource,
    neededFor: row.why,
  };
}

/** The permissions of what every scan reads, in the order they are reported. */
export const REQUIRED_PERMISSIONS = REQUIRED_RESOURCES.map(permissionOf);

/** Admission APIs: checked only where the cluster serves them. */
export const ADMISSION_PERMISSIONS = ADMISSION_RESOURCES.filter(
  // Gatekeeper's per-template constraint resources have no single permission to ask for.
  row => row.resource !== EVERY_RESOURCE,
).map(permissionOf);

export interface IdentityProbe {
  identity?: ClusterIdentity;
  identityUnavailableReason?: string;
  permissions: PermissionCheck[];
  missingPermissionsClusterRole?: string;
  errors: ScanError[];
}

const SSR_GROUP = 'authentication.k8s.io';

/** Why SelfSubjectReview is absent, by version (never guessed from an error code). */
function selfSubjectReviewAbsence(version: ClusterVersion | undefined): string {
  const minor = version?.major === 1 ? version.minor : undefined;
  if (minor === undefined)
    return 'SelfSubjectReview is not served by this cluster.';
  if (minor < 26)
    return `SelfSubjectReview is not available before 1.26 (this cluster runs 1.${minor}).`;
  if (minor === 26)
    return 'SelfSubjectReview is alpha in 1.26 and not served unless the APISelfSubjectReview feature gate is on.';
  if (minor === 27)
    return 'SelfSubjectReview is beta in 1.27, but this cluster does not serve it.';
  return `SelfSubjectReview is GA since 1.28, but this cluster (1.${minor}) does not serve it.`;
}

async function whoAmI(
  client: KubernetesApiClient,
  discovery: ApiDiscovery,
  version: ClusterVersion | undefined,
): Promise<
  Pick<IdentityProbe, 'identity' | 'identityUnavailableReason'> & {
    error?: ScanError;
  }
> {
  if (discovery.isUnknown(SSR_GROUP)) {
    return {
      identityUnavailableReason:
        'Discovery of authentication.k8s.io failed, so SelfSubjectReview support is unknown.',
    };
  }
  const apiVersion = discovery.preferredVersion(
    SSR_GROUP,
    'selfsubjectreviews',
  );
  if (!apiVersion)
    return { identityUnavailableReason: selfSubjectReviewAbsence(version) };
  try {
    const review = await client.request<{
      status?: {
        userInfo?: { username?: string; uid?: string; groups?: string[] };
      };
    }>('POST', `/apis/${SSR_GROUP}/${apiVersion}/selfsubjectreviews`, {
      body: {
        apiVersion: `${SSR_GROUP}/${apiVersion}`,
        kind: 'SelfSubjectReview',
      },
      // A review creates nothing: asking again is harmless.
      retrySafe: true,
    });
    const user = review.status?.userInfo;
    if (!user?.username) {
      return {
        identityUnavailableReason: 'SelfSubjectReview answered without a user.',
      };
    }
    return {
      identity: {
        username: user.username,
        ...(user.uid ? { uid: user.uid } : {}),
        groups: user.groups ?? [],
        source: `${SSR_GROUP}/${apiVersion} SelfSubjectReview`,
      },
    };
  } catch (error) {
    const scanError = toScanError(error, `${SSR_GROUP}/selfsubjectreviews`);
    return {
      identityUnavailableReason: `SelfSubjectReview failed: ${scanError.message}`,
      error: scanError,
    };
  }
}

async function mayI(
  client: KubernetesApiClient,
  permission: RequiredPermission,
): Promise<boolean> {
  const review = await client.request<{ status?: { allowed?: boolean } }>(
    'POST',
    '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    {
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: {
          resourceAttributes: {
            verb: permission.verb,
            group: permission.group,
            resource: permission.resource,
          },
        },
      },
      retrySafe: true,
    },
  );
  return review.status?.allowed === true;
}

/** A ClusterRole granting exactly what is missing, ready for `kubectl apply`. */
export function missingPermissionsClusterRole(
  missing: RequiredPermission[],
): string | undefined {
  if (missing.length === 0) return undefined;
  const byGroup = new Map<string, Set<string>>();
  for (const permission of missing) {
    byGroup.set(
      permission.group,
      (byGroup.get(permission.group) ?? new Set()).add(permission.resource),
    );
  }
  const rules = [...byGroup]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([group, resources]) =>
        `  - apiGroups: ["${group}"]\n    resources: [${[...resources]
          .sort()
          .map(r => `"${r}"`)
          .join(', ')}]\n    verbs: ["list"]`,
    );
  return [
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: ClusterRole',
    'metadata:',
    '  name: kubernetes-security-reader-missing',
    'rules:',
    ...rules,
  ].join('\n');
}

/**
 * Who the plugin is on this cluster and which of the permissions it uses it
 * lacks, asked with SelfSubjectAccessReview (SelfSubjectRulesReview may be
 * incomplete, so it is not used to decide).
 */
export async function probeIdentity(
  client: KubernetesApiClient,
  discovery: ApiDiscovery,
  version: ClusterVersion | undefined,
): Promise<IdentityProbe> {
  const errors: ScanError[] = [];
  const needed = [
    ...REQUIRED_PERMISSIONS,
    ...ADMISSION_PERMISSIONS.filter(permission =>
      discovery.serves(permission.group, permission.resource),
    ),
  ];
  const [identity, answers] = await Promise.all([
    whoAmI(client, discovery, version),
    Promise.all(
      needed.map(permission =>
        mayI(client, permission).then(
          allowed => ({ permission, allowed }),
          error => {
            errors.push(
              toScanError(
                error,
                'authorization.k8s.io/selfsubjectaccessreviews',
              ),
            );
            return { permission, allowed: undefined };
          },
        ),
      ),
    ),
  ]);
  if (identity.error) errors.push(identity.error);
  const checked = answers.filter(
    (answer): answer is { permission: RequiredPermission; allowed: boolean } =>
      answer.allowed !== undefined,
  );
  const missing = checked
    .filter(answer => !answer.allowed)
    .map(answer => answer.permission);
  return {
    ...(identity.identity ? { identity: identity.identity } : {}),
    ...(identity.identityUnavailableReason
      ? { identityUnavailableReason: identity.identityUnavailableReason }
      : {}),
    permissions: checked.map(({ permission, allowed }) => ({
      verb: permission.verb,
      resource: qualifiedResource(permission),
      allowed,
      neededFor: permission.neededFor,
    })),
    ...(missing.length > 0
      ? {
          missingPermissionsClusterRole: missingPermissionsClusterRole(missing),
        }
      : {}),
    // One error for all failed reviews is enough to explain the gap.
    errors: errors.filter(
      (error, index) =>
        errors.findIndex(other => other.message === error.message) === index,
    ),
  };
}
