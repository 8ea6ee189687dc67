import type { SubresourceDefinition } from './builtinResources';
import type { KubeObject } from './types';

const CRD_GROUP = 'apiextensions.k8s.io';

/** The parts of an apiextensions.k8s.io/v1 CustomResourceDefinition the simulator uses. */
export interface CustomResourceDefinitionInfo {
  group: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  versions: Array<{
    name: string;
    served: boolean;
    subresources: Record<string, SubresourceDefinition>;
  }>;
}

export function isCustomResourceDefinition(object: KubeObject): boolean {
  return (
    object.kind === 'CustomResourceDefinition' &&
    object.apiVersion.startsWith(`${CRD_GROUP}/`)
  );
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function asStringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every(item => typeof item === 'string')
    ? value
    : undefined;
}

/** Reads a CRD, throwing when it lacks what an apiserver would require to serve it. */
export function readCustomResourceDefinition(
  crd: KubeObject,
): CustomResourceDefinitionInfo {
  const spec = asRecord(crd.spec);
  const names = asRecord(spec.names);
  const problem = (what: string) =>
    new Error(`CustomResourceDefinition "${crd.metadata.name}": ${what}`);

  if (typeof spec.group !== 'string' || !spec.group) {
    throw problem('spec.group is required');
  }
  if (typeof names.plural !== 'string' || typeof names.kind !== 'string') {
    throw problem('spec.names.plural and spec.names.kind are required');
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    throw problem('spec.scope must be Namespaced or Cluster');
  }
  if (!Array.isArray(spec.versions) || spec.versions.length === 0) {
    throw problem('spec.versions must list at least one version');
  }

  const versions = spec.versions.map(rawVersion => {
    const version = asRecord(rawVersion);
    if (typeof version.name !== 'string') {
      throw problem('every entry of spec.versions needs a name');
    }
    const declared = asRecord(version.subresources);
    const subresources: Record<string, SubresourceDefinition> = {};
    if ('status' in declared) {
      subresources.status = { verbs: ['get', 'patch', 'update'] };
    }
    if ('scale' in declared) {
      subresources.scale = {
        verbs: ['get', 'patch', 'update'],
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
      };
    }
    return {
      name: version.name,
      served: version.served !== false,
      subresources,
    };
  });

  return {
    group: spec.group,
    plural: names.plural,
    singular:
      typeof names.singular === 'string'
        ? names.singular
        : names.kind.toLowerCase(),
    kind: names.kind,
    listKind:
      typeof names.listKind === 'string' ? names.listKind : `${names.kind}List`,
    namespaced: spec.scope === 'Namespaced',
    shortNames: asStringArray(names.shortNames),
    categories: asStringArray(names.categories),
    versions,
  };
}
