import type {
  ImageSignature,
  ImageSignatureState,
} from '@internal/plugin-kubernetes-security-common';

/** Everything a verdict depends on: change any part and it is verified again. */
export interface VerdictCacheKey {
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

/**
 * Where verdicts are kept between verifications. The library only reads and
 * writes through it, so the storage (the backend's database) stays with
 * whoever owns it; without one (the CLI) every image is verified afresh.
 */
export interface VerdictCache {
  get(key: VerdictCacheKey): Promise<CachedVerdict | undefined>;
  /** Keeps a verdict for as long as `cacheTtlFor` allows its state, if at all. */
  put(key: VerdictCacheKey, verdict: CachedVerdict): Promise<void>;
}

export interface VerdictCacheTtl {
  /** Verified results and cryptographic failures. Default 7 days. */
  verifiedMs: number;
  /** `unsigned`: a signature may be pushed any minute. Default 1 hour. */
  unsignedMs: number;
}

export const DEFAULT_CACHE_TTL: VerdictCacheTtl = {
  verifiedMs: 7 * 24 * 3600_000,
  unsignedMs: 3600_000,
};

/** How long a state may be cached; `undefined` for transient states, never cached. */
export function cacheTtlFor(
  state: ImageSignatureState,
  ttl: VerdictCacheTtl,
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
