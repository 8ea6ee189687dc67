import { createHash } from 'node:crypto';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import {
  cacheTtlFor,
  DEFAULT_CACHE_TTL,
} from '@internal/plugin-kubernetes-security-signatures-node';
import type {
  CachedVerdict,
  VerdictCache,
  VerdictCacheKey,
  VerdictCacheTtl,
} from '@internal/plugin-kubernetes-security-signatures-node';
import type { Knex } from 'knex';
import { migrateDatabase } from './migrateDatabase';

const TABLE = 'kubernetes_security_signature_cache';

/** Verification verdicts in the plugin's database (SQLite or PostgreSQL). */
export class SignatureCache implements VerdictCache {
  static async create(
    database: DatabaseService,
    ttl: VerdictCacheTtl = DEFAULT_CACHE_TTL,
  ): Promise<SignatureCache> {
    const knex = await migrateDatabase(database);
    return new SignatureCache(knex, ttl);
  }

  constructor(
    private readonly knex: Knex,
    private readonly ttl: VerdictCacheTtl = DEFAULT_CACHE_TTL,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(key: VerdictCacheKey): Promise<CachedVerdict | undefined> {
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
  async put(key: VerdictCacheKey, verdict: CachedVerdict): Promise<void> {
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

function hashKey(key: VerdictCacheKey): string {
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
