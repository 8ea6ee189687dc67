import type { Artifact, Content } from './oci';

/**
 * Pushes over the OCI distribution API (monolithic blob uploads), so the
 * same code seeds the in-process registry and a real one.
 */
export async function pushArtifact(
  registryUrl: string,
  repository: string,
  artifact: Artifact,
  tag?: string,
  headers: Record<string, string> = {},
): Promise<void> {
  for (const blob of artifact.blobs)
    await pushBlob(registryUrl, repository, blob, headers);
  await pushManifest(registryUrl, repository, artifact.manifest, tag, headers);
}

export async function pushBlob(
  registryUrl: string,
  repository: string,
  blob: Content,
  headers: Record<string, string> = {},
): Promise<void> {
  const exists = await fetch(
    `${registryUrl}/v2/${repository}/blobs/${blob.digest}`,
    {
      method: 'HEAD',
      headers,
    },
  );
  if (exists.ok) return;
  const start = await fetch(`${registryUrl}/v2/${repository}/blobs/uploads/`, {
    method: 'POST',
    headers,
  });
  await start.body?.cancel();
  const location = start.headers.get('location');
  if (start.status !== 202 || !location)
    throw new Error(
      `starting a blob upload to ${repository} failed: HTTP ${start.status}`,
    );
  const url = new URL(location, registryUrl);
  url.searchParams.set('digest', blob.digest);
  const put = await fetch(url, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body: blob.bytes,
  });
  if (put.status !== 201)
    throw new Error(
      `uploading ${blob.digest} to ${repository} failed: HTTP ${
        put.status
      } ${await put.text()}`,
    );
  await put.body?.cancel();
}

export async function pushManifest(
  registryUrl: string,
  repository: string,
  manifest: Content,
  tag?: string,
  headers: Record<string, string> = {},
): Promise<void> {
  const response = await fetch(
    `${registryUrl}/v2/${repository}/manifests/${tag ?? manifest.digest}`,
    {
      method: 'PUT',
      headers: { ...headers, 'content-type': manifest.mediaType },
      body: manifest.bytes,
    },
  );
  if (response.status !== 201)
    throw new Error(
      `pushing manifest ${
        tag ?? manifest.digest
      } to ${repository} failed: HTTP ${
        response.status
      } ${await response.text()}`,
    );
  await response.body?.cancel();
}
