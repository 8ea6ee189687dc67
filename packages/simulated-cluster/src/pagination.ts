import { badRequestError } from './status';
import { storageKeyOf } from './store';
import type { KubeObject } from './types';

/**
 * Continue tokens have the apiserver's format: unpadded base64url JSON of
 * `{"v":"meta.k8s.io/v1","rv":<revision>,"start":"<next key>"}`.
 * An rv of -1 means "continue from the latest revision" (handed out with 410s).
 */
export interface ContinueToken {
  resourceVersion: number;
  startKey: string;
}

const TOKEN_VERSION = 'meta.k8s.io/v1';
export const LATEST_REVISION = -1;

export function encodeContinueToken(token: ContinueToken): string {
  return Buffer.from(
    JSON.stringify({
      v: TOKEN_VERSION,
      rv: token.resourceVersion,
      start: token.startKey,
    }),
  ).toString('base64url');
}

export function decodeContinueToken(text: string): ContinueToken {
  const invalid = (why: string) =>
    badRequestError(
      `invalid continue token: continue key is not valid: ${why}`,
    );
  if (!/^[A-Za-z0-9_-]+$/.test(text)) {
    throw invalid('illegal base64 data');
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid('invalid JSON');
  }
  const { v, rv, start } = (decoded ?? {}) as Record<string, unknown>;
  if (v !== TOKEN_VERSION) {
    throw invalid(
      `server does not recognize this encoded version "${String(v)}"`,
    );
  }
  if (
    typeof rv !== 'number' ||
    !Number.isInteger(rv) ||
    rv === 0 ||
    rv < LATEST_REVISION
  ) {
    throw invalid(
      `incorrect encoded start resourceVersion (version ${TOKEN_VERSION})`,
    );
  }
  if (typeof start !== 'string' || start === '') {
    throw invalid('encoded start key empty');
  }
  return { resourceVersion: rv, startKey: start };
}

export interface Page {
  items: KubeObject[];
  /** Where the next page starts, when there may be more. */
  nextStartKey?: string;
  /** Objects after this page; only known when nothing is filtered out, as in the real server. */
  remainingItemCount?: number;
}

/** Index of the first object whose storage key is >= key. */
function lowerBound(objects: readonly KubeObject[], key: string): number {
  let low = 0;
  let high = objects.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (storageKeyOf(objects[middle]) < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Takes up to `limit` matching objects from sorted `objects`, starting at
 * `startKey`. Like etcd-backed lists, a continue point is returned whenever
 * objects remain after the page, even if none of them will match.
 */
export function selectPage(
  objects: readonly KubeObject[],
  options: {
    startKey?: string;
    limit?: number;
    matches?: (object: KubeObject) => boolean;
  },
): Page {
  const { startKey, limit, matches } = options;
  const items: KubeObject[] = [];
  let index = startKey ? lowerBound(objects, startKey) : 0;
  for (; index < objects.length; index++) {
    if (limit && items.length === limit) break;
    if (!matches || matches(objects[index])) items.push(objects[index]);
  }
  if (!limit || items.length < limit || index >= objects.length) {
    return { items };
  }
  return {
    items,
    nextStartKey: `${storageKeyOf(items[items.length - 1])}\u0000`,
    ...(!matches && { remainingItemCount: objects.length - index }),
  };
}

/**
 * The object lists that outstanding continue tokens refer to, so later pages
 * come from the same revision as the first, as etcd's MVCC gives the apiserver.
 * Old ones are dropped, like etcd compaction; their tokens then get 410 Gone.
 */
export class ListSnapshots {
  private readonly snapshots = new Map<
    string,
    { objects: readonly KubeObject[]; takenAt: number }
  >();

  constructor(
    private readonly maxSnapshots = 64,
    private readonly maxAgeMs = 5 * 60_000,
  ) {}

  remember(
    resource: string,
    resourceVersion: number,
    objects: readonly KubeObject[],
  ): void {
    const key = `${resource}@${resourceVersion}`;
    this.snapshots.delete(key);
    this.snapshots.set(key, { objects, takenAt: Date.now() });
    while (this.snapshots.size > this.maxSnapshots) {
      const oldest = this.snapshots.keys().next().value as string;
      this.snapshots.delete(oldest);
    }
  }

  recall(
    resource: string,
    resourceVersion: number,
  ): readonly KubeObject[] | undefined {
    const key = `${resource}@${resourceVersion}`;
    const snapshot = this.snapshots.get(key);
    if (snapshot && Date.now() - snapshot.takenAt > this.maxAgeMs) {
      this.snapshots.delete(key);
      return undefined;
    }
    return snapshot?.objects;
  }
}
