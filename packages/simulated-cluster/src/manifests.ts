import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import {
  isCustomResourceDefinition,
  readCustomResourceDefinition,
  type CustomResourceDefinitionInfo,
} from './crds';
import { resolveStoredKind } from './kinds';
import { kubernetesTimestamp } from './store';
import type { KubeObject } from './types';
import { compareCodeUnits } from './ordering';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

async function manifestFiles(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .sort((a, b) => compareCodeUnits(a.name, b.name))
      .filter(
        entry =>
          entry.isDirectory() || MANIFEST_EXTENSIONS.has(extname(entry.name)),
      )
      .map(entry => manifestFiles(join(path, entry.name))),
  );
  return nested.flat();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `List` and typed lists such as `PodList` stand for their items; items of typed lists may omit apiVersion/kind. */
function flattenLists(
  value: Record<string, unknown>,
): Record<string, unknown>[] {
  const { kind, apiVersion, items } = value;
  if (
    typeof kind !== 'string' ||
    !kind.endsWith('List') ||
    !Array.isArray(items)
  ) {
    return [value];
  }
  const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
  return items.filter(isObject).flatMap(item =>
    flattenLists({
      ...(itemKind ? { kind: itemKind, apiVersion } : {}),
      ...item,
    }),
  );
}

/** A uid that stays the same across restarts, so bookmarks into the demo keep working. */
function stableUid(object: KubeObject): string {
  const { namespace = '', name } = object.metadata;
  const hex = createHash('sha1')
    .update(`${object.apiVersion}/${object.kind}/${namespace}/${name}`)
    .digest('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16) +
      hex.slice(18, 20),
    hex.slice(20, 32),
  ].join('-');
}

async function readManifestFile(file: string): Promise<KubeObject[]> {
  const text = await readFile(file, 'utf8');
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter });
  const objects: KubeObject[] = [];
  for (const document of documents) {
    const [error] = document.errors;
    if (error) {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      const reason = error.message
        .split('\n')[0]
        .replace(/ at line \d+, column \d+:?$/, '');
      throw new Error(
        `Invalid YAML in ${file} at line ${line}, column ${col}: ${reason}`,
      );
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    const line = lineCounter.linePos(document.range[0]).line;
    if (!isObject(value)) {
      throw new Error(`${file} at line ${line}: expected a Kubernetes object`);
    }
    for (const candidate of flattenLists(value)) {
      const { apiVersion, kind, metadata } = candidate;
      if (
        typeof apiVersion !== 'string' ||
        typeof kind !== 'string' ||
        !isObject(metadata) ||
        typeof metadata.name !== 'string'
      ) {
        throw new Error(
          `${file} at line ${line}: a Kubernetes object needs apiVersion, kind and metadata.name`,
        );
      }
      objects.push(candidate as KubeObject);
    }
  }
  return objects;
}

/**
 * Reads Kubernetes objects from YAML/JSON files and folders (recursively, in
 * name order). Multi-document files and `List` kinds are flattened; missing
 * uids and creationTimestamps are filled in, and namespaced kinds without a
 * namespace get `default`. Invalid YAML fails with the file and line.
 */
export async function loadManifests(
  pathOrPaths: string | readonly string[],
): Promise<KubeObject[]> {
  const paths = typeof pathOrPaths === 'string' ? [pathOrPaths] : pathOrPaths;
  const files = (await Promise.all(paths.map(manifestFiles))).flat();
  const objects = (await Promise.all(files.map(readManifestFile))).flat();

  const crds: CustomResourceDefinitionInfo[] = objects
    .filter(isCustomResourceDefinition)
    .map(readCustomResourceDefinition);
  const loadedAt = kubernetesTimestamp();
  return objects.map(object => {
    const kind = resolveStoredKind(object.apiVersion, object.kind, crds);
    const metadata = { ...object.metadata };
    if (kind?.namespaced) metadata.namespace ||= 'default';
    metadata.uid ||= stableUid({ ...object, metadata });
    metadata.creationTimestamp ||= loadedAt;
    return { ...object, metadata };
  });
}
