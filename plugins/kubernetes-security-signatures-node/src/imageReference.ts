/**
 * Image references as the container runtime understands them, with Docker
 * Hub's implicit registry and `library/` namespace made explicit, so policy
 * globs and credentials always see the same canonical name.
 */

export const DOCKER_HUB = 'docker.io';
/** Docker Hub's API is not served on docker.io itself. */
const DOCKER_HUB_API = 'registry-1.docker.io';
const DOCKER_HUB_ALIASES = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com',
]);

const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
const TAG_PATTERN = /^[\w][\w.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/** DNS labels or a bracketed IPv6 address, and a port, as in Docker's reference grammar. */
const REGISTRY_HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[a-f0-9:.]+\])(?::[0-9]{1,5})?$/;

export interface ImageReference {
  /** Canonical registry host (with port), e.g. `docker.io`, `registry.k8s.io`. */
  registry: string;
  /** Repository path within the registry, e.g. `library/nginx`. */
  repository: string;
  tag?: string;
  digest?: string;
}

export class InvalidReferenceError extends Error {
  constructor(reference: string, why: string) {
    super(`"${reference}" is not a valid image reference: ${why}`);
    this.name = 'InvalidReferenceError';
  }
}

/** Parses `[registry/]repository[:tag][@digest]` the way Docker does. */
export function parseImageReference(reference: string): ImageReference {
  const input = reference.trim();
  if (!input || input.length > 1024)
    throw new InvalidReferenceError(reference, 'empty or too long');
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_PATTERN.test(digest))
      throw new InvalidReferenceError(reference, 'digest is not sha256:<hex>');
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG_PATTERN.test(tag))
      throw new InvalidReferenceError(reference, `invalid tag "${tag}"`);
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  // The first component is a registry only when it looks like a host.
  if (
    parts.length > 1 &&
    (parts[0].includes('.') ||
      parts[0].includes(':') ||
      parts[0] === 'localhost')
  ) {
    registry = parts.shift()!.toLowerCase();
  }
  if (!isRegistryHost(registry))
    throw new InvalidReferenceError(reference, 'invalid registry host');
  if (DOCKER_HUB_ALIASES.has(registry)) registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  if (!parts.length || parts.some(part => !PATH_COMPONENT.test(part)))
    throw new InvalidReferenceError(reference, 'invalid repository name');
  if (!tag && !digest) tag = 'latest';
  return { registry, repository: parts.join('/'), tag, digest };
}

/**
 * Whether the registry is exactly the host a request will go to. The URL
 * parser reads some names the grammar allows as IPv4 addresses (`0x7f.1` is
 * 127.0.0.1) or refuses them (`a.0`): those are refused here, so that
 * policies, credentials and access rules see the host that is contacted.
 */
function isRegistryHost(registry: string): boolean {
  if (!REGISTRY_HOST.test(registry)) return false;
  try {
    return (
      new URL(`https://${registry}`).hostname === registry.replace(/:\d+$/, '')
    );
  } catch {
    return false;
  }
}

/** `registry/repository`, the name policies match against. */
export function repositoryName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}

export function formatReference(ref: ImageReference): string {
  return `${repositoryName(ref)}${ref.tag ? `:${ref.tag}` : ''}${
    ref.digest ? `@${ref.digest}` : ''
  }`;
}

/** The host serving the registry API for a canonical registry name. */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
}

/** Canonical registry name for a host as written in a docker config. */
export function canonicalRegistryHost(host: string): string {
  const bare = host
    .replace(/^https?:\/\//, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  return DOCKER_HUB_ALIASES.has(bare) ? DOCKER_HUB : bare;
}

export function isDigest(value: string): boolean {
  return DIGEST_PATTERN.test(value);
}

/**
 * The repository digest in a container status's `imageID`. Runtimes report
 * `docker-pullable://repo@sha256:…` (dockershim, cri-dockerd),
 * `repo@sha256:…` (containerd, CRI-O) or a bare `sha256:…`, which is the
 * local image (config) ID, not a registry digest, and so is not usable.
 */
export function digestFromImageId(
  imageId: string | undefined,
): string | undefined {
  if (!imageId) return undefined;
  const withoutScheme = imageId.replace(/^[a-z-]+:\/\//, '');
  const at = withoutScheme.lastIndexOf('@');
  if (at < 0) return undefined;
  const digest = withoutScheme.slice(at + 1);
  return DIGEST_PATTERN.test(digest) ? digest : undefined;
}
