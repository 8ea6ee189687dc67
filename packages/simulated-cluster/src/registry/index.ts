/**
 * An in-process OCI registry and a fake sigstore world (Fulcio, CT log,
 * Rekor, trusted root) for tests and the demo of image signature checks.
 */
export { startDemoRegistry } from './demoRegistry';
export type { DemoImage, DemoRegistry } from './demoRegistry';
export {
  buildDemoImage,
  DEMO_IDENTITY,
  DEMO_IDENTITY_REGEXP,
  DEMO_IMAGES,
  DEMO_ISSUER,
  demoImageId,
  GITHUB_ISSUER,
  GOOGLE_ISSUER,
  KREL_TRUST,
} from './demoImages';
export type {
  DemoBuild,
  DemoImageSeed,
  DemoSigner,
  DemoSigning,
  DemoState,
} from './demoImages';
export { buildImage, buildIndex, content, sha256Digest } from './oci';
export type { Artifact, Content } from './oci';
export { startOciRegistry } from './ociRegistry';
export type {
  InjectedFault,
  OciRegistry,
  OciRegistryOptions,
  RecordedRequest,
} from './ociRegistry';
export { digestTag, publishBundle, publishLegacySignatures } from './publish';
export { pushArtifact, pushBlob, pushManifest } from './push';
export { COSIGN_SIGN_PREDICATE, SigningWorld } from './signingWorld';
export type {
  LegacySignature,
  LegacySignOptions,
  Signer,
  SigningKey,
} from './signingWorld';
