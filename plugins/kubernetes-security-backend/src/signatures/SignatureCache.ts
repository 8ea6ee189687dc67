import { createHash } from 'node:crypto';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import type {
  ImageSignature,
  ImageSignatureState,
} from '@internal/plugin-kubernetes-security-common';
import type { Knex } from 'knex';
import { migrateDatabase } from '../store/migrateDatabase';

const TABLE = 'kubernetes_security_signature_cache';

/** Everything a verdict depends on: change any part and it is verified again. */
export interface SignatureCacheKey {
  repository: string;
  digest: string;
  /** Digests of the `.sig` manifest and bundle manifests found. */
  artifacts: string[];
  policyHash: string;
  trustHash: string;
}

export interface CachedVerdict {
  state: ImageSignatureState;
  reason: string;
  signatures: ImageSignature[];
  verifiedAt: string;
}

export interface SignatureCacheTtl {
  /** Verified results and cryptographic failures. Default 7 days. */
  verifiedMs: number;
  /** `unsigned`: a signature may be pushed any minute. Default 1 hour. */
  unsignedMs: number;
}

export const DEFAULT_CACHE_TTL: SignatureCacheTtl = {
  verifiedMs: 7 * 24 * 3600_000,
  unsignedMs: 3600_000,
};

/** How long a state may be cached; `undefined` for transient states, never cached. */
export function cacheTtlFor(
  state: ImageSignatureState,
  ttl: SignatureCacheTtl,
): number | undefined {
  switch (state) {
    case 'verified':
    case 'policy-mismatch':
    case 'invalid-signature':
      return ttl.verifiedMs;
    // Unsupported formats and missing trust material are fixed by a new
    // signature, policy or trust root (all in the key): re-check them soon.
    case 'unsigned':
    case 'unverifiable':
      return ttl.unsignedMs;
    default:
      return undefined;
  }
}

/** Verification verdicts in the plugin's database (SQLite or PostgreSQL). */
export class SignatureCache {
  static async create(
    database: DatabaseService,
    ttl: SignatureCacheTtl = DEFAULT_CACHE_TTL,
  ): Promise<SignatureCache> {
    const knex = await migrateDatabase(database);
    return new SignatureCache(knex, ttl);
  }

  constructor(
    private readonly knex: Knex,
    private readonly ttl: SignatureCacheTtl = DEFAULT_CACHE_TTL,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(key: SignatureCacheKey): Promise<CachedVerdict | undefined> {
    const row = await this.knex(TABLE)
      .where({ cache_key: hashKey(key) })
      .where('expires_at', '>', this.now().toISOString())
      .first();
    if (!row) return undefined;
    try {
      return JSON.parse(row.result) as CachedVerdict;
    } catch {
      return undefined;
    }
  }

  /** Stores a verdict if its state may be cached at all. */
  async put(key: SignatureCacheKey, verdict: CachedVerdict): Promise<void> {
    const ttl = cacheTtlFor(verdict.state, this.ttl);
    if (ttl === undefined) return;
    const now = this.now();
    await this.knex(TABLE)
      .insert({
        cache_key: hashKey(key),
        repository: key.repository.slice(0, 512),
        digest: key.digest,
        state: verdict.state,
        result: JSON.stringify(verdict),
        verified_at: verdict.verifiedAt,
        expires_at: new Date(now.getTime() + ttl).toISOString(),
      })
      .onConflict('cache_key')
      .merge();
  }

  /** Deletes expired entries; returns how many. */
  async prune(): Promise<number> {
    return this.knex(TABLE)
      .where('expires_at', '<=', this.now().toISOString())
      .delete();
  }
}

function hashKey(key: SignatureCacheKey): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        key.repository,
        key.digest,
        [...key.artifacts].sort(),
        key.policyHash,
        key.trustHash,
      ]),
    )
    .digest('hex');
}
