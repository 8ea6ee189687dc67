import {
  bundleLayer,
  bundleToCandidate,
  isAttestation,
  PREDICATE_ANNOTATION,
} from './cosign/bundle';
import type { Attestation } from './cosign/bundle';
import type { SignatureCandidate } from './cosign/candidate';
import {
  BUNDLE_V03_MEDIA_TYPE,
  COSIGN_SIGN_PREDICATE,
  digestTag,
} from './cosign/constants';
import { legacyLayerToCandidate } from './cosign/legacy';
import type { CredentialSet } from './registry/credentials';
import type {
  Descriptor,
  RegistryClient,
  RepositoryRef,
} from './registry/RegistryClient';
import {
  asRegistryError,
  isRegistryError,
  RegistryError,
} from './registry/RegistryError';

/** A hostile registry must not make us fetch without end. */
const MAX_ARTIFACTS = 20;

/** Where signatures for one digest live, found with HEADs and one referrers call. */
export interface SignatureArtifacts {
  digest: string;
  /** The digest of the `sha256-<hex>.sig` manifest, if the tag exists. */
  legacy?: string;
  /** Referrer manifests that may hold signature bundles. */
  bundles: Descriptor[];
  /** Referrers already known to be attestations from their annotations. */
  attestations: Attestation[];
  /** `referrers-api` or the `sha256-<hex>` tag fallback. */
  bundleSource: 'referrers-api' | 'tag-fallback';
  /** Lookups that failed: what we found may be incomplete. */
  errors: RegistryError[];
}

export interface LoadedSignatures {
  candidates: SignatureCandidate[];
  attestations: Attestation[];
  errors: RegistryError[];
}

/**
 * Finds both places cosign writes signatures: the legacy `.sig` tag and
 * sigstore bundles attached as OCI referrers (or the referrers tag fallback
 * on registries without the API).
 */
export async function findSignatureArtifacts(
  client: RegistryClient,
  repo: RepositoryRef,
  digest: string,
  credentials?: CredentialSet,
): Promise<SignatureArtifacts> {
  const errors: RegistryError[] = [];
  const collect = (error: unknown) => {
    errors.push(asRegistryError(error));
    return undefined;
  };
  const [legacy, referrers] = await Promise.all([
    client.resolve(repo, digestTag(digest, '.sig'), credentials).catch(collect),
    client
      .getReferrers(repo, digest, BUNDLE_V03_MEDIA_TYPE, credentials)
      .catch(collect),
  ]);
  let descriptors = referrers?.manifests ?? [];
  let bundleSource: SignatureArtifacts['bundleSource'] = 'referrers-api';
  if (referrers && !referrers.supported) {
    bundleSource = 'tag-fallback';
    const fallback = await client
      .resolve(repo, digestTag(digest), credentials)
      .then(
        found => found && client.getManifest(repo, found.digest, credentials),
      )
      .catch(collect);
    descriptors = fallback?.manifest.manifests ?? [];
  }
  const bundles: Descriptor[] = [];
  const attestations: Attestation[] = [];
  for (const descriptor of descriptors) {
    if (descriptor.artifactType !== BUNDLE_V03_MEDIA_TYPE) continue;
    const predicate = descriptor.annotations?.[PREDICATE_ANNOTATION];
    if (predicate && predicate !== COSIGN_SIGN_PREDICATE)
      attestations.push({
        artifactDigest: descriptor.digest,
        predicateType: predicate,
      });
    else bundles.push(descriptor);
  }
  return {
    digest,
    legacy: legacy?.digest,
    bundles: bundles.slice(0, MAX_ARTIFACTS),
    attestations,
    bundleSource,
    errors,
  };
}

/** The identity of what was found, for the cache key. */
export function artifactDigests(artifacts: SignatureArtifacts): string[] {
  return [
    ...(artifacts.legacy ? [artifacts.legacy] : []),
    ...artifacts.bundles.map(bundle => bundle.digest),
  ].sort();
}

/** Fetches the payloads and bundles and turns them into candidates. */
export async function loadSignatures(
  client: RegistryClient,
  repo: RepositoryRef,
  artifacts: SignatureArtifacts,
  credentials?: CredentialSet,
): Promise<LoadedSignatures> {
  const candidates: SignatureCandidate[] = [];
  const attestations = [...artifacts.attestations];
  const errors: RegistryError[] = [];
  const record = (error: unknown) => {
    errors.push(asRegistryError(error));
  };
  if (artifacts.legacy) {
    try {
      const manifest = await client.getManifest(
        repo,
        artifacts.legacy,
        credentials,
      );
      const layers = manifest?.manifest.layers ?? [];
      for (const [index, layer] of layers.slice(0, MAX_ARTIFACTS).entries()) {
        try {
          const payload = await client.getBlob(repo, layer.digest, credentials);
          candidates.push(
            legacyLayerToCandidate(
              layer,
              payload,
              artifacts.digest,
              artifacts.legacy,
              index,
            ),
          );
        } catch (error) {
          if (isBadSignatureContent(error))
            candidates.push({
              format: 'legacy',
              artifactDigest: artifacts.legacy,
              layer: index,
              keyed: false,
              problem: `payload of layer ${index}: ${error.message}`,
            });
          else record(error);
        }
      }
    } catch (error) {
      record(error);
    }
  }
  for (const descriptor of artifacts.bundles) {
    try {
      const manifest = await client.getManifest(
        repo,
        descriptor.digest,
        credentials,
      );
      const layer = manifest && bundleLayer(manifest);
      if (!manifest || !layer) continue;
      const bytes = await client.getBlob(repo, layer.digest, credentials);
      const result = bundleToCandidate(manifest, bytes, artifacts.digest);
      if (isAttestation(result)) attestations.push(result);
      else candidates.push(result);
    } catch (error) {
      if (isBadSignatureContent(error))
        candidates.push({
          format: 'bundle',
          artifactDigest: descriptor.digest,
          keyed: false,
          problem: error.message,
        });
      else record(error);
    }
  }
  return { candidates, attestations, errors };
}

/**
 * A signature artifact the registry served but we will not use: a problem
 * of that one signature, not a lookup that failed.
 */
function isBadSignatureContent(error: unknown): error is RegistryError {
  return (
    isRegistryError(error, 'invalid') || isRegistryError(error, 'too-large')
  );
}
