import { findStorableBuiltin } from './builtinResources';
import type { CustomResourceDefinitionInfo } from './crds';

/** Where objects of one kind live, independent of the version they were written in. */
export interface StoredKind {
  group: string;
  plural: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  /** Custom resources keep apiVersion/kind on list items; built-ins do not. */
  custom: boolean;
}

/** `apps/v1` → `apps`, `v1` → `` (the core group). */
export function groupOfApiVersion(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** Resolves a kind against the built-in resources, then against the given CRDs. */
export function resolveStoredKind(
  apiVersion: string,
  kind: string,
  crds: readonly CustomResourceDefinitionInfo[],
): StoredKind | undefined {
  const group = groupOfApiVersion(apiVersion);
  const builtin = findStorableBuiltin(group, kind);
  if (builtin) {
    return {
      group,
      plural: builtin.plural,
      kind,
      listKind: `${kind}List`,
      namespaced: builtin.namespaced,
      custom: false,
    };
  }
  const crd = crds.find(c => c.group === group && c.kind === kind);
  return crd
    ? {
        group,
        plural: crd.plural,
        kind,
        listKind: crd.listKind,
        namespaced: crd.namespaced,
        custom: true,
      }
    : undefined;
}
