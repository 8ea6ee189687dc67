import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import {
  EntityReport,
  entityScore,
} from '@internal/plugin-kubernetes-security-common';
import type { ClusterScanRecord, ReportStore } from '../store/ReportStore';
import type { VisibleClusters } from './clusterVisibility';

const gzip = promisify(gzipCallback);

/** How long scan records read from the database are trusted (other replicas write too). */
const SCANS_MAX_AGE_MS = 1000;
/** The rendered views kept in memory, all entities together. */
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** One entity's report, rendered for one set of visible cluster panels. */
export interface RenderedView {
  json: Buffer;
  gzip: Buffer;
  /** Changes whenever the body does. */
  etag: string;
}

interface ScansSnapshot {
  /** Every write of reports also writes its cluster's scan record. */
  revision: string;
  /** Each cluster's panel as JSON, ready to splice into a report. */
  statusJson: Map<string, string>;
  readAt: number;
}

interface EntityEntry {
  revision: string;
  /** The report up to `clusterStatus`, without its closing brace. */
  head: string;
  scannedClusters: string[];
  /** By the visible clusters among `scannedClusters`. */
  variants: Map<string, RenderedView>;
  bytes: number;
}

/**
 * Entity reports as the endpoint sends them, built once per scan result:
 * the database is read, parsed, scored and serialized when a cluster's
 * results change, and the bytes (plain and gzip) are reused by every view
 * until then. Only the cluster panels depend on the caller, so each set of
 * visible clusters gets its own bytes.
 */
export class EntityViews {
  readonly #store: ReportStore;
  readonly #maxBytes: number;
  #scans?: ScansSnapshot;
  #scansLoading?: Promise<ScansSnapshot>;
  // Bumped by every local write, so that a read begun before it is not kept.
  #generation = 0;
  // In least-recently-used order: Map keeps insertion order.
  readonly #entries = new Map<string, EntityEntry>();
  readonly #loading = new Map<string, Promise<EntityEntry>>();
  #bytes = 0;

  constructor(store: ReportStore, options: { maxBytes?: number } = {}) {
    this.#store = store;
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    store.onChange(() => {
      this.#generation++;
      this.#scans = undefined;
      this.#scansLoading = undefined;
    });
  }

  async render(
    entityRef: string,
    visible: VisibleClusters,
  ): Promise<RenderedView> {
    const scans = await this.#currentScans();
    const entry = await this.#entry(entityRef, scans);
    const shown = entry.scannedClusters.filter(
      cluster => scans.statusJson.has(cluster) && visible.has(cluster),
    );
    const variantKey = shown.join('\n');
    let view = entry.variants.get(variantKey);
    if (!view) {
      const json = Buffer.from(
        `${entry.head},"clusterStatus":[${shown
          .map(cluster => scans.statusJson.get(cluster))
          .join(',')}]}`,
      );
      view = {
        json,
        gzip: await gzip(json),
        etag: `W/"${createHash('sha1')
          .update(entry.revision)
          .update('\0')
          .update(variantKey)
          .digest('base64url')}"`,
      };
      // Another request may have rendered it meanwhile; either is right.
      if (!entry.variants.has(variantKey)) {
        entry.variants.set(variantKey, view);
        this.#account(entry, view.json.length + view.gzip.length);
      }
    }
    return view;
  }

  async #currentScans(): Promise<ScansSnapshot> {
    const scans = this.#scans;
    if (scans && Date.now() - scans.readAt < SCANS_MAX_AGE_MS) return scans;
    if (!this.#scansLoading) {
      const generation = this.#generation;
      const loading = this.#store.listClusterScans().then(records => {
        const snapshot = snapshotOf(records);
        if (generation === this.#generation) this.#scans = snapshot;
        return snapshot;
      });
      this.#scansLoading = loading;
      loading
        .finally(() => {
          if (this.#scansLoading === loading) this.#scansLoading = undefined;
        })
        .catch(() => undefined);
    }
    return this.#scansLoading;
  }

  async #entry(entityRef: string, scans: ScansSnapshot): Promise<EntityEntry> {
    const cached = this.#entries.get(entityRef);
    if (cached?.revision === scans.revision) {
      // Most recently used goes last.
      this.#entries.delete(entityRef);
      this.#entries.set(entityRef, cached);
      return cached;
    }
    const key = `${entityRef}\n${scans.revision}`;
    let loading = this.#loading.get(key);
    if (!loading) {
      loading = this.#load(entityRef, scans.revision).finally(() =>
        this.#loading.delete(key),
      );
      this.#loading.set(key, loading);
    }
    return loading;
  }

  async #load(entityRef: string, revision: string): Promise<EntityEntry> {
    const clusters = await this.#store.getEntityReports(entityRef);
    const score = entityScore(clusters);
    const report: EntityReport = {
      entityRef,
      ...(score ? { score } : {}),
      clusters,
      errors: [],
    };
    const head = JSON.stringify(report).slice(0, -1);
    const entry: EntityEntry = {
      revision,
      head,
      scannedClusters: clusters.map(cluster => cluster.cluster),
      variants: new Map(),
      bytes: 0,
    };
    const previous = this.#entries.get(entityRef);
    if (previous) this.#forget(entityRef, previous);
    this.#entries.set(entityRef, entry);
    this.#account(entry, head.length);
    return entry;
  }

  #account(entry: EntityEntry, bytes: number) {
    entry.bytes += bytes;
    this.#bytes += bytes;
    for (const [entityRef, oldest] of this.#entries) {
      if (this.#bytes <= this.#maxBytes || oldest === entry) break;
      this.#forget(entityRef, oldest);
    }
  }

  #forget(entityRef: string, entry: EntityEntry) {
    this.#entries.delete(entityRef);
    this.#bytes -= entry.bytes;
  }
}

function snapshotOf(records: ClusterScanRecord[]): ScansSnapshot {
  const statusJson = new Map<string, string>();
  for (const record of records) {
    if (record.status) {
      statusJson.set(record.cluster, JSON.stringify(record.status));
    }
  }
  return {
    revision: records
      .map(record => `${record.cluster}@${record.attemptedAt}`)
      .join('\n'),
    statusJson,
    readAt: Date.now(),
  };
}
