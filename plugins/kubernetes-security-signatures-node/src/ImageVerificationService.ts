import type {
  ImageVerification,
  WorkloadRef,
} from '@internal/plugin-kubernetes-security-common';
import { registryErrorState } from './decideState';
import type { DigestVerdict, Platform } from './ImageVerifier';
import { ImageVerifier } from './ImageVerifier';
import {
  digestFromImageId,
  formatReference,
  InvalidReferenceError,
  parseImageReference,
  repositoryName,
} from './imageReference';
import type { ImageReference } from './imageReference';
import { policyForImage } from './policy';
import type { PolicySet, SignaturePolicy } from './policy';
import { credentialsFromPullSecret } from './registry/credentials';
import type { CredentialSet, PullSecret } from './registry/credentials';
import { RegistryClient } from './registry/RegistryClient';
import { isRegistryError } from './registry/RegistryError';
import type { VerdictCache } from './VerdictCache';
import type { TrustProvider } from './trust';

/** One container image to verify, as a pod runs it. */
export interface ImageVerificationRequest {
  /** The image as written in the pod spec. */
  image: string;
  /** `status.containerStatuses[].imageID`: the digest that actually runs. */
  imageId?: string;
  usedBy?: (WorkloadRef & { container: string })[];
  /**
   * A policy the image must satisfy regardless of image globs, from the
   * entity's `kubernetes-security.io/image-policy` annotation.
   */
  requiredPolicy?: string;
  /** The node's platform (`kubernetes.io/os`, `kubernetes.io/arch`). */
  platform?: Platform;
  /**
   * The workload's imagePullSecrets (`kubernetes.io/dockerconfigjson`),
   * used only when `usePullSecrets` is on.
   */
  pullSecrets?: PullSecret[];
}

export interface ImageVerificationServiceOptions {
  client: RegistryClient;
  trust: TrustProvider;
  policies: PolicySet;
  cache?: VerdictCache;
  usePullSecrets?: boolean;
  /** Digests verified at once. Default 4. */
  concurrency?: number;
  now?: () => Date;
}

type Prepared =
  | { result: Omit<ImageVerification, 'image' | 'usedBy' | 'verifiedAt'> }
  | {
      reference: ImageReference;
      digestSource: NonNullable<ImageVerification['digestSource']>;
      digest?: string;
      policy?: SignaturePolicy;
      credentials?: CredentialSet;
    };

/**
 * Verifies the images of many workloads: each unique digest once per call
 * (however many entities run it), a bounded number at a time. Never throws:
 * every request gets a result with a state and a reason.
 */
export class ImageVerificationService {
  private readonly verifier: ImageVerifier;
  private readonly now: () => Date;

  constructor(private readonly options: ImageVerificationServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.verifier = new ImageVerifier(
      options.client,
      options.trust,
      options.cache,
      this.now,
    );
  }

  async verifyAll(
    requests: ImageVerificationRequest[],
  ): Promise<ImageVerification[]> {
    const resolutions = new Map<
      string,
      Promise<{ digest?: string; error?: unknown }>
    >();
    const verdicts = new Map<string, Promise<DigestVerdict>>();
    const limit = limiter(this.options.concurrency ?? 4);
    return Promise.all(
      requests.map(async request => {
        const verifiedAt = () => this.now().toISOString();
        const base = { image: request.image, usedBy: request.usedBy ?? [] };
        try {
          const prepared = this.prepare(request);
          if ('result' in prepared)
            return { ...base, ...prepared.result, verifiedAt: verifiedAt() };
          let digest = prepared.digest;
          if (!digest) {
            // Tag resolution is shared too: many pods name the same tag.
            const key = formatReference(prepared.reference);
            if (!resolutions.has(key))
              resolutions.set(
                key,
                limit(() =>
                  this.options.client
                    .resolve(
                      prepared.reference,
                      prepared.reference.tag!,
                      prepared.credentials,
                    )
                    .then(
                      found => ({ digest: found?.digest }),
                      error => ({ error }),
                    ),
                ),
              );
            const resolved = await resolutions.get(key)!;
            if (!resolved.digest)
              return {
                ...base,
                ...digestUnknown(prepared, resolved.error),
                verifiedAt: verifiedAt(),
              };
            digest = resolved.digest;
          }
          const verdictKey = [
            repositoryName(prepared.reference),
            digest,
            prepared.policy?.name ?? '',
            request.platform ? JSON.stringify(request.platform) : '',
            prepared.reference.tag ?? '',
          ].join('|');
          if (!verdicts.has(verdictKey))
            verdicts.set(
              verdictKey,
              limit(() =>
                this.verifier.verifyImage({
                  reference: prepared.reference,
                  digest: digest!,
                  digestSource: prepared.digestSource,
                  policy: prepared.policy,
                  platform: request.platform,
                  credentials: prepared.credentials,
                }),
              ),
            );
          const verdict = await verdicts.get(verdictKey)!;
          return {
            ...base,
            digest,
            digestSource: prepared.digestSource,
            ...(prepared.policy ? { policy: prepared.policy.name } : {}),
            state: verdict.state,
            reason:
              prepared.digestSource === 'tag-resolution'
                ? `${verdict.reason} (Digest from resolving the tag now; the pod reported none, so it may run another.)`
                : verdict.reason,
            signatures: verdict.signatures,
            verifiedAt: verdict.verifiedAt,
          };
        } catch (error) {
          return {
            ...base,
            state: 'unverifiable' as const,
            reason: `Verification failed unexpectedly: ${
              error instanceof Error ? error.message : String(error)
            }`,
            signatures: [],
            verifiedAt: verifiedAt(),
          };
        }
      }),
    );
  }

  private prepare(request: ImageVerificationRequest): Prepared {
    let reference: ImageReference;
    try {
      reference = parseImageReference(request.image);
    } catch (error) {
      if (!(error instanceof InvalidReferenceError)) throw error;
      return {
        result: {
          state: 'digest-unknown',
          reason: `${error.message}.`,
          signatures: [],
        },
      };
    }
    let policy: SignaturePolicy | undefined;
    if (request.requiredPolicy) {
      policy = this.options.policies.policies.find(
        p => p.name === request.requiredPolicy,
      );
      if (!policy)
        return {
          result: {
            state: 'unverifiable',
            policy: request.requiredPolicy,
            reason: `The entity requires signature policy "${request.requiredPolicy}", which is not configured.`,
            signatures: [],
          },
        };
    } else {
      policy = policyForImage(this.options.policies, repositoryName(reference));
    }
    let credentials: CredentialSet | undefined;
    if (this.options.usePullSecrets && request.pullSecrets?.length) {
      credentials = new Map();
      for (const secret of request.pullSecrets)
        for (const [host, creds] of credentialsFromPullSecret(secret))
          if (!credentials.has(host)) credentials.set(host, creds);
    }
    // The pod spec's digest is what the kubelet pulled; else the runtime's report.
    const fromImageId = digestFromImageId(request.imageId);
    if (reference.digest)
      return {
        reference,
        digestSource: 'reference',
        digest: reference.digest,
        policy,
        credentials,
      };
    if (fromImageId)
      return {
        reference,
        digestSource: 'image-id',
        digest: fromImageId,
        policy,
        credentials,
      };
    return { reference, digestSource: 'tag-resolution', policy, credentials };
  }
}

function digestUnknown(
  prepared: Extract<Prepared, { reference: ImageReference }>,
  error: unknown,
): Omit<ImageVerification, 'image' | 'usedBy' | 'verifiedAt'> {
  const name = formatReference(prepared.reference);
  const policy = prepared.policy ? { policy: prepared.policy.name } : {};
  const failed = isRegistryError(error) && registryErrorState(error);
  if (failed)
    return {
      ...policy,
      state: failed,
      reason: `The tag of ${name} could not be resolved: ${error.message}.`,
      signatures: [],
    };
  return {
    ...policy,
    state: 'digest-unknown',
    reason: `The pod reports no image digest and ${name} ${
      error
        ? `could not be resolved: ${
            error instanceof Error ? error.message : String(error)
          }`
        : 'does not exist in the registry'
    }.`,
    signatures: [],
  };
}

/** Runs at most `n` tasks at once. */
function limiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>(resolve => queue.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
}
