import { createHash } from 'node:crypto';

/** Content-addressed bytes: a manifest or a blob, with its OCI descriptor. */
export interface Content {
  mediaType: string;
  digest: string;
  size: number;
  bytes: Buffer;
}

/** A manifest and the blobs it references, ready to push. */
export interface Artifact {
  manifest: Content;
  blobs: Content[];
}

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';

export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function content(mediaType: string, bytes: Buffer | string): Content {
  const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  return {
    mediaType,
    digest: sha256Digest(data),
    size: data.length,
    bytes: data,
  };
}

export function descriptor(item: Content, extra: Record<string, unknown> = {}) {
  return {
    mediaType: item.mediaType,
    digest: item.digest,
    size: item.size,
    ...extra,
  };
}

/**
 * A small runnable-looking image: a config and one layer, both derived only
 * from `name` (e.g. `payments/api:1.4.2`) and the platform, so the same
 * build has the same digest on every start and every machine, and the
 * example manifests can name it.
 */
export function buildImage(
  name: string,
  platform: { os: string; architecture: string } = {
    os: 'linux',
    architecture: 'amd64',
  },
): Artifact {
  const layer = content(
    'application/vnd.oci.image.layer.v1.tar+gzip',
    Buffer.from(`${name} ${platform.os}/${platform.architecture}\n`),
  );
  const binary = name.split('/').pop()!.split(':')[0];
  const config = content(
    'application/vnd.oci.image.config.v1+json',
    JSON.stringify({
      architecture: platform.architecture,
      os: platform.os,
      config: { Entrypoint: [`/${binary}`] },
      rootfs: { type: 'layers', diff_ids: [layer.digest] },
    }),
  );
  const manifest = content(
    OCI_MANIFEST,
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: descriptor(config),
      layers: [descriptor(layer)],
    }),
  );
  return { manifest, blobs: [config, layer] };
}

/** A multi-platform index over per-platform images. */
export function buildIndex(
  images: {
    artifact: Artifact;
    platform: { os: string; architecture: string };
  }[],
): Content {
  return content(
    OCI_INDEX,
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: images.map(({ artifact, platform }) =>
        descriptor(artifact.manifest, { platform }),
      ),
    }),
  );
}
