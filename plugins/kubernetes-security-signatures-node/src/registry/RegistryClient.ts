import { createHash } from 'node:crypto';
import { ACCESS_SETTINGS } from './addressPolicy';
import type { CredentialSet } from './credentials';
import { RegistryAuth } from './RegistryAuth';
import { RegistryError } from './RegistryError';
import { readLimited, RegistryTransport } from './RegistryTransport';
import type { RegistryTransportOptions } from './RegistryTransport';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST =
  'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST =
  'application/vnd.docker.distribution.manifest.list.v2+json';
const MANIFEST_ACCEPT = [
  OCI_INDEX,
  OCI_MANIFEST,
  DOCKER_MANIFEST_LIST,
  DOCKER_MANIFEST,
].join(', ');

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  platform?: { os?: string; architecture?: string; variant?: string };
}

/** A manifest or index whose bytes hash to `digest`. */
export interface FetchedManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
  manifest: {
    mediaType?: string;
    artifactType?: string;
    config?: Descriptor;
    layers?: Descriptor[];
    manifests?: Descriptor[];
    subject?: Descriptor;
    annotations?: Record<string, string>;
  };
}

export interface RepositoryRef {
  /** Canonical registry, e.g. `docker.io`. */
  registry: string;
  repository: string;
}

export interface RegistryClientOptions extends RegistryTransportOptions {
  /** Credentials from backend config, by canonical registry host. */
  credentials?: CredentialSet;
  /** Largest manifest, index or referrers list read. Default 4 MiB. */
  maxManifestBytes?: number;
  /**
   * Largest blob read; the client only reads signature payloads and
   * bundles. Default 256 KiB.
   */
  maxBlobBytes?: number;
}

/**
 * A thin OCI distribution client: manifests, referrers and blobs, HEAD before
 * GET, every manifest and blob checked against its digest, bounded sizes.
 * Authentication is `RegistryAuth`'s, and how requests travel (access policy,
 * redirects, limits, retries) is `RegistryTransport`'s.
 */
export class RegistryClient {
  private readonly transport: RegistryTransport;
  private readonly auth: RegistryAuth;
  private readonly manifests = new Map<string, FetchedManifest>();
  private readonly maxManifestBytes: number;
  private readonly maxBlobBytes: number;

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.transport = new RegistryTransport(options);
    this.auth = new RegistryAuth(this.transport);
    this.maxManifestBytes = options.maxManifestBytes ?? 4 * 1024 * 1024;
    this.maxBlobBytes = options.maxBlobBytes ?? 256 * 1024;
  }

  /**
   * The digest a tag (or digest) points at, by HEAD: Docker Hub counts GETs,
   * not HEADs, against its pull rate limit. `undefined` when it does not exist.
   */
  async resolve(
    repo: RepositoryRef,
    reference: string,
    credentials?: CredentialSet,
  ): Promise<{ digest: string; mediaType?: string } | undefined> {
    const response = await this.send(repo, `manifests/${reference}`, {
      method: 'HEAD',
      accept: MANIFEST_ACCEPT,
      credentials,
    });
    if (response.status === 404) return undefined;
    this.assertOk(response, repo, `manifest ${reference}`);
    const digest = response.headers.get('docker-content-digest');
    const mediaType = response.headers.get('content-type') ?? undefined;
    if (digest && /^sha256:[a-f0-9]{64}$/.test(digest))
      return { digest, mediaType };
    // Registries need not send the digest on HEAD: fetch and hash instead.
    const fetched = await this.getManifest(repo, reference, credentials);
    return fetched && { digest: fetched.digest, mediaType: fetched.mediaType };
  }

  /** A manifest by tag or digest, digest-checked; `undefined` on 404. */
  async getManifest(
    repo: RepositoryRef,
    reference: string,
    credentials?: CredentialSet,
  ): Promise<FetchedManifest | undefined> {
    const cacheKey = `${repo.registry}/${repo.repository}@${reference}`;
    const cached = this.manifests.get(cacheKey);
    if (cached) return cached;
    const response = await this.send(repo, `manifests/${reference}`, {
      method: 'GET',
      accept: MANIFEST_ACCEPT,
      credentials,
    });
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    this.assertOk(response, repo, `manifest ${reference}`);
    const bytes = await readLimited(response, {
      limit: this.maxManifestBytes,
      what: `${repo.registry}/${repo.repository}: manifest ${reference}`,
      setting: `${ACCESS_SETTINGS}.maxManifestBytes`,
    });
    const digest = sha256(bytes);
    const expected = reference.startsWith('sha256:')
      ? reference
      : response.headers.get('docker-content-digest');
    if (expected && expected !== digest)
      throw new RegistryError(
        'invalid',
        `${repo.registry}/${repo.repository}: manifest ${reference} hashes to ${digest}, not ${expected}`,
      );
    let manifest: FetchedManifest['manifest'];
    try {
      manifest = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new RegistryError('invalid', `manifest ${digest} is not JSON`);
    }
    if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest))
      throw new RegistryError('invalid', `manifest ${digest} is not an object`);
    const fetched: FetchedManifest = {
      digest,
      mediaType:
        manifest.mediaType ??
        response.headers.get('content-type')?.split(';')[0] ??
        OCI_MANIFEST,
      bytes,
      manifest,
    };
    // Content-addressed manifests never change; tags can.
    if (reference.startsWith('sha256:')) this.manifests.set(cacheKey, fetched);
    return fetched;
  }

  /** A blob, digest-checked and size-bounded. */
  async getBlob(
    repo: RepositoryRef,
    digest: string,
    credentials?: CredentialSet,
  ): Promise<Buffer> {
    const response = await this.send(repo, `blobs/${digest}`, {
      method: 'GET',
      credentials,
    });
    if (response.status === 404) {
      await response.body?.cancel();
      throw new RegistryError('not-found', `blob ${digest} not found`, 404);
    }
    this.assertOk(response, repo, `blob ${digest}`);
    const bytes = await readLimited(response, {
      limit: this.maxBlobBytes,
      what: `${repo.registry}/${repo.repository}: blob ${digest}`,
      setting: `${ACCESS_SETTINGS}.maxBlobBytes`,
    });
    if (sha256(bytes) !== digest)
      throw new RegistryError(
        'invalid',
        `blob ${digest} does not match its digest`,
      );
    return bytes;
  }

  /**
   * The OCI 1.1 referrers of a digest. `supported: false` when the registry
   * has no referrers API (404), so the caller tries the tag-schema fallback.
   */
  async getReferrers(
    repo: RepositoryRef,
    digest: string,
    artifactType: string,
    credentials?: CredentialSet,
  ): Promise<{ supported: boolean; manifests: Descriptor[] }> {
    const response = await this.send(
      repo,
      `referrers/${digest}?artifactType=${encodeURIComponent(artifactType)}`,
      { method: 'GET', accept: OCI_INDEX, credentials },
    );
    if ([404, 405, 400].includes(response.status)) {
      await response.body?.cancel();
      return { supported: false, manifests: [] };
    }
    this.assertOk(response, repo, `referrers of ${digest}`);
    const bytes = await readLimited(response, {
      limit: this.maxManifestBytes,
      what: `${repo.registry}/${repo.repository}: referrers of ${digest}`,
      setting: `${ACCESS_SETTINGS}.maxManifestBytes`,
    });
    let index: { manifests?: unknown };
    try {
      index = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new RegistryError('invalid', `referrers of ${digest} is not JSON`);
    }
    return { supported: true, manifests: descriptors(index?.manifests) };
  }

  private assertOk(
    response: Response,
    repo: RepositoryRef,
    what: string,
  ): void {
    if (response.ok) return;
    const name = `${repo.registry}/${repo.repository}`;
    response.body?.cancel().catch(() => undefined);
    if (response.status === 401 || response.status === 403)
      throw new RegistryError(
        'auth',
        `${name}: ${what} was refused (HTTP ${response.status}); configure credentials for ${repo.registry}`,
        response.status,
      );
    if (response.status === 429 || response.status >= 500)
      throw new RegistryError(
        'unreachable',
        `${name}: ${what} failed with HTTP ${response.status}${
          response.status === 429 ? ' (rate limited)' : ''
        }`,
        response.status,
      );
    if (response.status === 404)
      throw new RegistryError('not-found', `${name}: ${what} not found`, 404);
    throw new RegistryError(
      'invalid',
      `${name}: ${what} answered HTTP ${response.status}`,
      response.status,
    );
  }

  /** One API request with authentication and retries, within the host's limit. */
  private async send(
    repo: RepositoryRef,
    path: string,
    request: { method: string; accept?: string; credentials?: CredentialSet },
  ): Promise<Response> {
    const url = this.transport.apiUrl(repo.registry, repo.repository, path);
    const scope = `repository:${repo.repository}:pull`;
    const credentials =
      request.credentials?.get(repo.registry) ??
      this.options.credentials?.get(repo.registry);
    return this.transport.withinHostLimit(url.host, async () => {
      let authorization = this.auth.cachedAuthorization(
        url.host,
        scope,
        credentials,
      );
      let challenged = false;
      for (let attempt = 0; ; attempt++) {
        const headers: Record<string, string> = {};
        if (request.accept) headers.accept = request.accept;
        if (authorization) headers.authorization = authorization;
        const response = await this.transport.fetch(url, {
          method: request.method,
          headers,
        });
        if (response.status === 401 && !challenged) {
          challenged = true;
          await response.body?.cancel();
          authorization = await this.auth.authenticate({
            url,
            challenge: response.headers.get('www-authenticate'),
            scope,
            credentials,
          });
          if (authorization) continue;
          throw new RegistryError(
            'auth',
            `${repo.registry}/${repo.repository}: the registry asks for credentials and none are configured for ${repo.registry}`,
            401,
          );
        }
        const wait = this.transport.retryDelayMs(response, attempt);
        if (wait !== undefined) {
          await response.body?.cancel();
          await delay(wait);
          continue;
        }
        return response;
      }
    });
  }
}

function descriptors(value: unknown): Descriptor[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (d): d is Descriptor =>
      !!d &&
      typeof d === 'object' &&
      typeof d.digest === 'string' &&
      /^sha256:[a-f0-9]{64}$/.test(d.digest) &&
      typeof d.mediaType === 'string',
  );
}

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function delay(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
