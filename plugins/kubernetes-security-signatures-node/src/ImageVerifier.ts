import type {
  ImageSignature,
  ImageSignatureState,
  ImageVerification,
} from '@internal/plugin-kubernetes-security-common';
import { decideState } from './decideState';
import {
  artifactDigests,
  findSignatureArtifacts,
  loadSignatures,
} from './findSignatureArtifacts';
import type { ImageReference } from './imageReference';
import { repositoryName } from './imageReference';
import { policyHash } from './policy';
import type { SignaturePolicy } from './policy';
import type { CredentialSet } from './registry/credentials';
import { DOCKER_MANIFEST_LIST, OCI_INDEX } from './registry/RegistryClient';
import type { RegistryClient, RepositoryRef } from './registry/RegistryClient';
import { isRegistryError } from './registry/RegistryError';
import type { CachedVerdict, VerdictCache } from './VerdictCache';
import type { TrustProvider } from './trust';
import { isTrustError } from './trust';
import { verifyCandidate } from './verifyCandidate';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface DigestVerdict {
  state: ImageSignatureState;
  reason: string;
  signatures: ImageSignature[];
  verifiedAt: string;
}

export interface VerifyImageInput {
  reference: ImageReference;
  digest: string;
  digestSource: NonNullable<ImageVerification['digestSource']>;
  policy?: SignaturePolicy;
  /** The node's platform, to pick the manifest of an unsigned index. */
  platform?: Platform;
  credentials?: CredentialSet;
}

const TRANSIENT: ImageSignatureState[] = [
  'registry-auth-failed',
  'registry-unreachable',
  // Related manifests live on the same registry: refused just the same.
  'registry-refused',
];
/** Children of an index we are willing to check when the index itself is unsigned. */
const MAX_CHILDREN = 16;

/**
 * Verifies the signatures of one image digest: both cosign formats, the
 * cache, and the index ↔ platform manifest relation (cosign signs the digest
 * it is given; `--recursive` also signs each platform manifest).
 */
export class ImageVerifier {
  constructor(
    private readonly client: RegistryClient,
    private readonly trust: TrustProvider,
    private readonly cache?: VerdictCache,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async verifyImage(input: VerifyImageInput): Promise<DigestVerdict> {
    const repo: RepositoryRef = input.reference;
    const own = await this.verifyDigest(
      repo,
      input.digest,
      input.policy,
      input.credentials,
    );
    if (
      own.state === 'verified' ||
      TRANSIENT.includes(own.state) ||
      !input.policy
    )
      return own;
    try {
      const related = await this.verifyRelated(input, own);
      return related ?? own;
    } catch (error) {
      // The related manifest was only a second chance; the digest's own verdict stands.
      if (isRegistryError(error)) return own;
      throw error;
    }
  }

  /**
   * An index signed only per platform, or a platform manifest whose index is
   * signed: either vouches for what runs, and the reason says which.
   */
  private async verifyRelated(
    input: VerifyImageInput,
    own: DigestVerdict,
  ): Promise<DigestVerdict | undefined> {
    const repo: RepositoryRef = input.reference;
    const head = await this.client.resolve(
      repo,
      input.digest,
      input.credentials,
    );
    if (isIndex(head?.mediaType)) {
      const index = await this.client.getManifest(
        repo,
        input.digest,
        input.credentials,
      );
      const children = (index?.manifest.manifests ?? []).filter(
        child => child.platform?.os !== 'unknown',
      );
      const chosen = input.platform
        ? children.filter(child =>
            samePlatform(child.platform, input.platform!),
          )
        : children;
      if (!chosen.length || chosen.length > MAX_CHILDREN) return undefined;
      const verdicts = [];
      for (const child of chosen) {
        const verdict = await this.verifyDigest(
          repo,
          child.digest,
          input.policy,
          input.credentials,
        );
        if (verdict.state !== 'verified') return undefined;
        verdicts.push(verdict);
      }
      const which = input.platform
        ? `its ${formatPlatform(input.platform)} manifest ${
            chosen[0].digest
          } is`
        : `every platform manifest it lists (${chosen.length}) is`;
      return {
        ...own,
        state: 'verified',
        reason: `The index itself is not signed, but ${which}: ${verdicts[0].reason}`,
        signatures: [...own.signatures, ...verdicts.flatMap(v => v.signatures)],
      };
    }
    if (!input.reference.tag) return undefined;
    const tagged = await this.client.resolve(
      repo,
      input.reference.tag,
      input.credentials,
    );
    if (!tagged || tagged.digest === input.digest || !isIndex(tagged.mediaType))
      return undefined;
    const index = await this.client.getManifest(
      repo,
      tagged.digest,
      input.credentials,
    );
    if (
      !index?.manifest.manifests?.some(child => child.digest === input.digest)
    )
      return undefined;
    const verdict = await this.verifyDigest(
      repo,
      tagged.digest,
      input.policy,
      input.credentials,
    );
    if (verdict.state !== 'verified') return undefined;
    return {
      ...own,
      state: 'verified',
      reason: `This platform manifest is not signed itself, but the index ${tagged.digest} (tag ${input.reference.tag}) that lists it is: ${verdict.reason}`,
      signatures: [...own.signatures, ...verdict.signatures],
    };
  }

  async verifyDigest(
    repo: RepositoryRef,
    digest: string,
    policy: SignaturePolicy | undefined,
    credentials?: CredentialSet,
  ): Promise<DigestVerdict> {
    const artifacts = await findSignatureArtifacts(
      this.client,
      repo,
      digest,
      credentials,
    );
    const trust = await this.trust.get();
    const key = {
      repository: repositoryName(repo as ImageReference),
      digest,
      artifacts: artifactDigests(artifacts),
      policyHash: policyHash(policy),
      trustHash: isTrustError(trust) ? 'none' : trust.hash,
    };
    const complete = !artifacts.errors.length;
    if (complete && !isTrustError(trust)) {
      const cached = await this.cache?.get(key).catch(() => undefined);
      if (cached) return cached;
    }
    const loaded = await loadSignatures(
      this.client,
      repo,
      artifacts,
      credentials,
    );
    const results = loaded.candidates.map(candidate =>
      verifyCandidate(candidate, trust, policy),
    );
    const { state, reason } = decideState({
      results,
      policy,
      errors: [...artifacts.errors, ...loaded.errors],
      attestations: loaded.attestations.length,
    });
    const verdict: CachedVerdict = {
      state,
      reason,
      signatures: results.map(r => r.signature),
      verifiedAt: this.now().toISOString(),
    };
    if (complete && !loaded.errors.length && !isTrustError(trust))
      // A broken cache must not break verification.
      await this.cache?.put(key, verdict).catch(() => undefined);
    return verdict;
  }
}

function isIndex(mediaType: string | undefined): boolean {
  const type = mediaType?.split(';')[0].trim();
  return type === OCI_INDEX || type === DOCKER_MANIFEST_LIST;
}

function samePlatform(
  candidate:
    | { os?: string; architecture?: string; variant?: string }
    | undefined,
  wanted: Platform,
): boolean {
  return (
    candidate?.os === wanted.os &&
    candidate.architecture === wanted.architecture &&
    (!wanted.variant || candidate.variant === wanted.variant)
  );
}

function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant]
    .filter(Boolean)
    .join('/');
}
