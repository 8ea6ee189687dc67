import {
  BUILTIN_RESOURCES,
  type ClusterCapabilities,
  type SubresourceDefinition,
} from './builtinResources';
import type { CustomResourceDefinitionInfo } from './crds';
import { compareCodeUnits } from './ordering';

/** One resource at one group version, as discovery advertises and the router serves it. */
export interface ServedResource {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: readonly string[];
  shortNames?: readonly string[];
  categories?: readonly string[];
  subresources: Readonly<Record<string, SubresourceDefinition>>;
  custom: boolean;
}

export interface ServedGroup {
  /** `` for the core (legacy) group. */
  name: string;
  /** Highest priority (the preferred version) first. */
  versions: string[];
}

const KUBE_VERSION_PATTERN = /^v(\d+)(?:(alpha|beta)(\d+))?$/;
const STABILITY_RANK: Record<string, number> = { alpha: 1, beta: 2, '': 3 };

/**
 * Orders versions the way the apiserver picks preferred versions:
 * GA before beta before alpha, higher numbers first, non-Kubernetes names last.
 * Negative when `a` has the higher priority.
 */
export function compareKubeAwareVersions(a: string, b: string): number {
  const matchA = KUBE_VERSION_PATTERN.exec(a);
  const matchB = KUBE_VERSION_PATTERN.exec(b);
  if (!matchA || !matchB) {
    if (matchA) return -1;
    if (matchB) return 1;
    return compareCodeUnits(a, b);
  }
  const rank = (match: RegExpExecArray) => [
    STABILITY_RANK[match[2] ?? ''],
    Number(match[1]),
    Number(match[3] ?? 0),
  ];
  const rankA = rank(matchA);
  const rankB = rank(matchB);
  for (let i = 0; i < rankA.length; i++) {
    if (rankA[i] !== rankB[i]) return rankB[i] - rankA[i];
  }
  return 0;
}

/** The APIs a cluster serves: built-ins per its version matrix, then every served CRD version. */
export class ServedApis {
  readonly groups: readonly ServedGroup[];
  private readonly resourcesByGroupVersion = new Map<
    string,
    ServedResource[]
  >();

  constructor(resources: readonly ServedResource[]) {
    const groups = new Map<string, Set<string>>();
    for (const resource of resources) {
      const key = `${resource.group}/${resource.version}`;
      const list = this.resourcesByGroupVersion.get(key) ?? [];
      list.push(resource);
      this.resourcesByGroupVersion.set(key, list);
      const versions = groups.get(resource.group) ?? new Set<string>();
      versions.add(resource.version);
      groups.set(resource.group, versions);
    }
    this.groups = [...groups].map(([name, versions]) => ({
      name,
      versions: [...versions].sort(compareKubeAwareVersions),
    }));
  }

  findGroup(name: string): ServedGroup | undefined {
    return this.groups.find(group => group.name === name);
  }

  resourcesIn(
    group: string,
    version: string,
  ): readonly ServedResource[] | undefined {
    return this.resourcesByGroupVersion.get(`${group}/${version}`);
  }

  find(
    group: string,
    version: string,
    plural: string,
  ): ServedResource | undefined {
    return this.resourcesIn(group, version)?.find(r => r.plural === plural);
  }
}

export function computeServedApis(
  cluster: ClusterCapabilities,
  crds: readonly CustomResourceDefinitionInfo[],
): ServedApis {
  const builtins = BUILTIN_RESOURCES.flatMap(resource =>
    resource.versions(cluster).map(
      (version): ServedResource => ({
        group: resource.group,
        version,
        plural: resource.plural,
        singular: resource.kind.toLowerCase(),
        kind: resource.kind,
        listKind: `${resource.kind}List`,
        namespaced: resource.namespaced,
        verbs: resource.verbs,
        shortNames: resource.shortNames,
        categories: resource.categories,
        subresources: resource.subresources ?? {},
        custom: false,
      }),
    ),
  );
  // Custom groups follow the built-in ones, alphabetically, as in the real /apis.
  const customs = [...crds]
    .sort((a, b) => compareCodeUnits(a.group, b.group))
    .flatMap(crd =>
      crd.versions
        .filter(version => version.served)
        .map(
          (version): ServedResource => ({
            group: crd.group,
            version: version.name,
            plural: crd.plural,
            singular: crd.singular,
            kind: crd.kind,
            listKind: crd.listKind,
            namespaced: crd.namespaced,
            verbs: [
              'delete',
              'deletecollection',
              'get',
              'list',
              'patch',
              'create',
              'update',
              'watch',
            ],
            shortNames: crd.shortNames,
            categories: crd.categories,
            subresources: version.subresources,
            custom: true,
          }),
        ),
    );
  return new ServedApis([...builtins, ...customs]);
}
