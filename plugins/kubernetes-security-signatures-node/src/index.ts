/**
 * Container image signature verification with sigstore: cosign's legacy
 * `.sig` signatures and sigstore bundles attached as OCI referrers, checked
 * in-process against a policy of keyless identities and keys. Used by the
 * Kubernetes Security backend plugin and the CLI's `verify-image`.
 *
 * @packageDocumentation
 */
export { createImageVerificationService } from './createImageVerificationService';
export { readSignatureSettings } from './config';
export type { SignatureSettings } from './config';
export { ImageVerificationService } from './ImageVerificationService';
export type {
  ImageVerificationRequest,
  ImageVerificationServiceOptions,
} from './ImageVerificationService';
export type { Platform } from './ImageVerifier';
export {
  digestFromImageId,
  parseImageReference,
  repositoryName,
} from './imageReference';
export type { ImageReference } from './imageReference';
export {
  IMAGE_POLICY_ANNOTATION,
  KUBERNETES_RELEASE,
  KUBERNETES_RELEASE_POLICY,
  keyAuthority,
  keylessAuthority,
  policyForEntity,
  policyForImage,
  PolicyConfigError,
} from './policy';
export type {
  Authority,
  KeyAuthority,
  KeylessAuthority,
  PolicySet,
  SignaturePolicy,
} from './policy';
export { credentialsFromPullSecret } from './registry/credentials';
export type { PullSecret, RegistryCredentials } from './registry/credentials';
export { RegistryClient } from './registry/RegistryClient';
export type { RegistryClientOptions } from './registry/RegistryClient';
export { releaseImageRequests, verifyReleaseImages } from './releaseImages';
export type { PodLike } from './releaseImages';
export { TrustProvider } from './trust';
export type { TrustOptions } from './trust';
export { cacheTtlFor, DEFAULT_CACHE_TTL } from './VerdictCache';
export type {
  CachedVerdict,
  VerdictCache,
  VerdictCacheKey,
  VerdictCacheTtl,
} from './VerdictCache';
