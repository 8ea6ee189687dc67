import { randomUUID } from 'node:crypto';
import {
  isCustomResourceDefinition,
  readCustomResourceDefinition,
  type CustomResourceDefinitionInfo,
} from './crds';
import { resolveStoredKind, type StoredKind } from './kinds';
import type { KubeObject, ObjectRef } from './types';
import { compareCodeUnits } from './ordering';

/** The key objects are ordered by, as etcd orders `/registry/<resource>/<ns>/<name>`. */
export function storageKeyOf(object: KubeObject): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${namespace}/${name}` : String(name);
}

function resourceKey(group: string, plural: string): string {
  return `${group}/${plural}`;
}

/** Timestamps in the apiserver's RFC 3339 form, without fractional seconds. */
export function kubernetesTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The objects of one simulated cluster, keyed by group/resource so that an
 * object is served at every version of its group, like etcd storage.
 * Every change bumps a cluster-wide revision, the source of resourceVersions.
 */
export class ObjectStore {
  private objectsByResource = new Map<string, Map<string, KubeObject>>();
  private sortedByResource = new Map<string, readonly KubeObject[]>();
  private crds: CustomResourceDefinitionInfo[] = [];
  private revision = 0;

  /** The current revision: the resourceVersion of the latest change. */
  get resourceVersion(): number {
    return this.revision;
  }

  get customResourceDefinitions(): readonly CustomResourceDefinitionInfo[] {
    return this.crds;
  }

  /** Resolves where objects of a kind are stored, or undefined for unknown kinds. */
  private kindOf(apiVersion: string, kind: string): StoredKind | undefined {
    return resolveStoredKind(apiVersion, kind, this.crds);
  }

  /** Adds or replaces an object; returns the stored copy with its new resourceVersion. */
  add(object: KubeObject): KubeObject {
    const storedKind = this.kindOf(object.apiVersion, object.kind);
    if (!storedKind) {
      throw new Error(
        `no matches for kind "${object.kind}" in version "${object.apiVersion}"`,
      );
    }
    if (!object.metadata?.name) {
      throw new Error(`${object.kind} object has no metadata.name`);
    }
    const stored = structuredClone(object);
    if (storedKind.namespaced) {
      stored.metadata.namespace ||= 'default';
    } else {
      delete stored.metadata.namespace;
    }
    stored.metadata.uid ||= randomUUID();
    stored.metadata.creationTimestamp ||= kubernetesTimestamp();
    if (isCustomResourceDefinition(stored)) {
      const info = readCustomResourceDefinition(stored);
      this.crds = [...this.withoutCrd(info), info];
    }

    this.revision += 1;
    stored.metadata.resourceVersion = String(this.revision);
    const key = resourceKey(storedKind.group, storedKind.plural);
    let objects = this.objectsByResource.get(key);
    if (!objects) {
      objects = new Map();
      this.objectsByResource.set(key, objects);
    }
    objects.set(storageKeyOf(stored), stored);
    this.sortedByResource.delete(key);
    return stored;
  }

  /** Removes an object; removing a CRD also removes its custom resources, as the apiserver does. */
  remove(ref: ObjectRef): boolean {
    const storedKind = this.kindOf(ref.apiVersion, ref.kind);
    if (!storedKind) return false;
    const key = resourceKey(storedKind.group, storedKind.plural);
    const namespace = storedKind.namespaced
      ? ref.namespace || 'default'
      : undefined;
    const objectKey = namespace ? `${namespace}/${ref.name}` : ref.name;
    const removed = this.objectsByResource.get(key)?.get(objectKey);
    if (!removed) return false;

    this.objectsByResource.get(key)?.delete(objectKey);
    this.sortedByResource.delete(key);
    if (isCustomResourceDefinition(removed)) {
      const info = readCustomResourceDefinition(removed);
      this.crds = this.withoutCrd(info);
      const customKey = resourceKey(info.group, info.plural);
      this.objectsByResource.delete(customKey);
      this.sortedByResource.delete(customKey);
    }
    this.revision += 1;
    return true;
  }

  /**
   * Replaces every object at once (CRDs are added first so that their custom
   * resources resolve). On error the previous contents are kept.
   */
  replaceAll(objects: readonly KubeObject[]): void {
    const previous = {
      objectsByResource: this.objectsByResource,
      sortedByResource: this.sortedByResource,
      crds: this.crds,
      revision: this.revision,
    };
    this.objectsByResource = new Map();
    this.sortedByResource = new Map();
    this.crds = [];
    try {
      const crds = objects.filter(isCustomResourceDefinition);
      const others = objects.filter(
        object => !isCustomResourceDefinition(object),
      );
      for (const object of [...crds, ...others]) this.add(object);
    } catch (error) {
      Object.assign(this, previous);
      throw error;
    }
  }

  get(
    group: string,
    plural: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const objectKey = namespace ? `${namespace}/${name}` : name;
    return this.objectsByResource
      .get(resourceKey(group, plural))
      ?.get(objectKey);
  }

  /** All objects of a resource in storage-key order. The array is never mutated afterwards. */
  list(group: string, plural: string): readonly KubeObject[] {
    const key = resourceKey(group, plural);
    let sorted = this.sortedByResource.get(key);
    if (!sorted) {
      const objects = [...(this.objectsByResource.get(key)?.values() ?? [])];
      sorted = objects
        .map(object => ({ object, key: storageKeyOf(object) }))
        .sort((a, b) => compareCodeUnits(a.key, b.key))
        .map(entry => entry.object);
      this.sortedByResource.set(key, sorted);
    }
    return sorted;
  }

  private withoutCrd(
    info: CustomResourceDefinitionInfo,
  ): CustomResourceDefinitionInfo[] {
    return this.crds.filter(
      crd => !(crd.group === info.group && crd.plural === info.plural),
    );
  }
}
