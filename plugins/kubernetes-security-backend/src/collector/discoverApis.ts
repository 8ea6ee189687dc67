import {
  ADMISSION_RESOURCES,
  REQUIRED_RESOURCES,
  type ScanError,
} from '@internal/plugin-kubernetes-security-common';
import type { KubernetesApiClient } from '../clusters/KubernetesApiClient';
import { toScanError } from './toScanError';

interface ApiGroupList {
  groups?: { name: string; versions?: { version: string }[] }[];
}

interface ApiResourceList {
  resources?: { name: string; verbs?: string[] }[];
}

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;
const STABILITY: Record<string, number> = { alpha: 1, beta: 2, '': 3 };

/** GA before beta before alpha, higher numbers first (as the apiserver prefers). */
export function compareApiVersions(a: string, b: string): number {
  const rank = (version: string) => {
    const match = KUBE_VERSION.exec(version);
    return match
      ? [STABILITY[match[2] ?? ''], Number(match[1]), Number(match[3] ?? 0)]
      : [0, 0, 0];
  };
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < ra.length; i++) {
    if (ra[i] !== rb[i]) return rb[i] - ra[i];
  }
  return a.localeCompare(b);
}

/**
 * What a cluster serves, from discovery. Support for an API is decided here,
 * never from an error code: an unsupported version answers 404 to an admin
 * but 403 to a user without rights.
 */
export class ApiDiscovery {
  constructor(
    /** `group/version` → served resource names (subresources included, e.g. `pods/log`). */
    private readonly resources: Map<string, Set<string>>,
    /** Discovery requests that failed; lookups in those groups are unknown. */
    readonly errors: ScanError[],
  ) {}

  /** The versions serving `resource` in `group` (`''` = core), preferred first. */
  versions(group: string, resource: string): string[] {
    const prefix = `${group}/`;
    return [...this.resources]
      .filter(([key, names]) => key.startsWith(prefix) && names.has(resource))
      .map(([key]) => key.slice(prefix.length))
      .sort(compareApiVersions);
  }

  /** The preferred served version, if any. */
  preferredVersion(group: string, resource: string): string | undefined {
    return this.versions(group, resource)[0];
  }

  serves(group: string, resource: string): boolean {
    return this.versions(group, resource).length > 0;
  }

  /** Whether discovery of this group failed, so absence means "unknown". */
  isUnknown(group: string): boolean {
    return this.errors.some(error => error.resource === `discovery/${group}`);
  }

  /** The API path of a served collection, e.g. `/apis/kyverno.io/v1/clusterpolicies`. */
  static collectionPath(group: string, version: string, resource: string) {
    return group === ''
      ? `/api/${version}/${resource}`
      : `/apis/${group}/${version}/${resource}`;
  }
}

/** The API groups whose support decides what a scan reads and reports. */
export const DISCOVERED_GROUPS = [
  ...new Set([
    // SelfSubjectReview, for who the plugin is.
    'authentication.k8s.io',
    ...REQUIRED_RESOURCES.filter(row => row.preferDiscoveredVersion).map(
      row => row.group,
    ),
    ...ADMISSION_RESOURCES.map(row => row.group),
  ]),
];

/**
 * Reads discovery for the named groups only (`''` = core): one request for
 * the group list, then one per served version of each group asked for.
 */
export async function discoverApis(
  client: KubernetesApiClient,
  groups: string[],
): Promise<ApiDiscovery> {
  const resources = new Map<string, Set<string>>();
  const errors: ScanError[] = [];
  const versionsByGroup = new Map<string, string[]>();
  if (groups.includes('')) versionsByGroup.set('', ['v1']);
  const named = groups.filter(group => group !== '');
  if (named.length > 0) {
    try {
      const list = await client.request<ApiGroupList>('GET', '/apis');
      for (const group of list.groups ?? []) {
        if (named.includes(group.name)) {
          versionsByGroup.set(
            group.name,
            (group.versions ?? []).map(v => v.version),
          );
        }
      }
    } catch (error) {
      for (const group of named) {
        errors.push(toScanError(error, `discovery/${group}`));
      }
    }
  }
  await Promise.all(
    [...versionsByGroup].flatMap(([group, versions]) =>
      versions.map(async version => {
        const path =
          group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
        try {
          const list = await client.request<ApiResourceList>('GET', path);
          resources.set(
            `${group}/${version}`,
            new Set((list.resources ?? []).map(r => r.name)),
          );
        } catch (error) {
          errors.push(toScanError(error, `discovery/${group}`));
        }
      }),
    ),
  );
  return new ApiDiscovery(resources, errors);
}
