import { content, descriptor, OCI_INDEX } from './oci';
import type { Artifact } from './oci';
import { pushArtifact, pushManifest } from './push';
import { SigningWorld } from './signingWorld';
import type { LegacySignature } from './signingWorld';

/** How cosign names the tags it writes next to an image digest. */
export function digestTag(digest: string, suffix = ''): string {
  return `${digest.replace(':', '-')}${suffix}`;
}

/** Pushes legacy signatures as the `sha256-<hex>.sig` manifest, as cosign v2 does. */
export async function publishLegacySignatures(
  registryUrl: string,
  repository: string,
  imageDigest: string,
  signatures: LegacySignature[],
  headers?: Record<string, string>,
): Promise<Artifact> {
  const artifact = SigningWorld.legacySignatureArtifact(signatures);
  await pushArtifact(
    registryUrl,
    repository,
    artifact,
    digestTag(imageDigest, '.sig'),
    headers,
  );
  return artifact;
}

/**
 * Attaches a bundle referrer. Without a referrers API, also writes the
 * OCI 1.1 tag-schema fallback index at `sha256-<hex>` as cosign v3 does.
 */
export async function publishBundle(
  registryUrl: string,
  repository: string,
  imageDigest: string,
  bundle: Artifact,
  options: { referrersApi: boolean; headers?: Record<string, string> },
): Promise<void> {
  await pushArtifact(
    registryUrl,
    repository,
    bundle,
    undefined,
    options.headers,
  );
  if (options.referrersApi) return;
  const tag = digestTag(imageDigest);
  const existing = await fetch(
    `${registryUrl}/v2/${repository}/manifests/${tag}`,
    {
      headers: { accept: OCI_INDEX, ...options.headers },
    },
  );
  const index = existing.ok
    ? ((await existing.json()) as { manifests?: unknown[] })
    : (await existing.body?.cancel(), { manifests: [] });
  const parsed = JSON.parse(bundle.manifest.bytes.toString('utf8'));
  const updated = content(
    OCI_INDEX,
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        ...(index.manifests ?? []),
        descriptor(bundle.manifest, {
          artifactType: parsed.artifactType,
          ...(parsed.annotations ? { annotations: parsed.annotations } : {}),
        }),
      ],
    }),
  );
  await pushManifest(registryUrl, repository, updated, tag, options.headers);
}
