import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { getTrustedRoot } from '@sigstore/tuf';
import { toTrustMaterial } from '@sigstore/verify';
import type { TrustMaterial } from '@sigstore/verify';

/** Verification material and a hash identifying it, for cache keys. */
export interface LoadedTrust {
  material: TrustMaterial;
  hash: string;
  /** Where it came from, for messages. */
  source: string;
}

export type TrustResult = LoadedTrust | { error: string };

export function isTrustError(result: TrustResult): result is { error: string } {
  return 'error' in result;
}

/**
 * Builds trust material from one or more `trusted_root.json` documents
 * (their CAs, logs and TSAs are pooled). Throws on malformed input.
 */
export function trustFromTrustedRoots(
  documents: unknown[],
  source: string,
): LoadedTrust {
  const roots = documents.map(document => TrustedRoot.fromJSON(document));
  const merged: TrustedRoot = {
    mediaType: roots[0]?.mediaType ?? '',
    tlogs: roots.flatMap(root => root.tlogs),
    certificateAuthorities: roots.flatMap(root => root.certificateAuthorities),
    ctlogs: roots.flatMap(root => root.ctlogs),
    timestampAuthorities: roots.flatMap(root => root.timestampAuthorities),
  };
  const hash = createHash('sha256')
    .update(JSON.stringify(TrustedRoot.toJSON(merged)))
    .digest('hex');
  return { material: toTrustMaterial(merged), hash, source };
}

export interface TrustOptions {
  /** Air-gapped: `trusted_root.json` files instead of TUF. */
  trustedRootFiles?: string[];
  /** Sigstore public-good via TUF (needs the network once, then its cache). */
  tuf?: { cachePath?: string; mirrorUrl?: string };
  /** How long loaded material is used before it is loaded again. Default 24 h. */
  refreshMs?: number;
  /** How long a failure is remembered before retrying. Default 5 min. */
  retryMs?: number;
}

/**
 * Loads trust material lazily and keeps it; a failure is reported as a
 * result (images become `unverifiable`), never thrown, and retried later.
 */
export class TrustProvider {
  private current?: { result: TrustResult; until: number };
  private loading?: Promise<TrustResult>;

  constructor(private readonly options: TrustOptions = {}) {}

  async get(): Promise<TrustResult> {
    if (this.current && this.current.until > Date.now())
      return this.current.result;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<TrustResult> {
    let result: TrustResult;
    try {
      result = await this.loadOnce();
    } catch (error) {
      result = {
        error: `trust material could not be loaded: ${
          error instanceof Error ? error.message : String(error)
        }`,
      };
    }
    const ttl = isTrustError(result)
      ? this.options.retryMs ?? 5 * 60_000
      : this.options.refreshMs ?? 24 * 3600_000;
    this.current = { result, until: Date.now() + ttl };
    return result;
  }

  private async loadOnce(): Promise<LoadedTrust> {
    const files = this.options.trustedRootFiles ?? [];
    if (files.length) {
      const documents = await Promise.all(
        files.map(async file => {
          try {
            return JSON.parse(await readFile(file, 'utf8'));
          } catch (error) {
            throw new Error(
              `${file}: ${
                error instanceof Error ? error.message : String(error)
              }`,
            );
          }
        }),
      );
      return trustFromTrustedRoots(documents, files.join(', '));
    }
    const root = await getTrustedRoot({
      ...(this.options.tuf?.cachePath
        ? { cachePath: this.options.tuf.cachePath }
        : {}),
      ...(this.options.tuf?.mirrorUrl
        ? { mirrorURL: this.options.tuf.mirrorUrl }
        : {}),
    });
    return trustFromTrustedRoots(
      [TrustedRoot.toJSON(root)],
      `sigstore public-good TUF (${
        this.options.tuf?.mirrorUrl ?? 'tuf-repo-cdn.sigstore.dev'
      })`,
    );
  }
}
