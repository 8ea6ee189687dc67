import { canonicalRegistryHost } from '../imageReference';

/** Credentials for one registry: a username/password pair or an identity token. */
export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** An OAuth2 refresh/identity token (docker config `identitytoken`). */
  identityToken?: string;
}

/** Credentials by canonical registry host (`docker.io`, `ghcr.io`, `host:port`). */
export type CredentialSet = Map<string, RegistryCredentials>;

/**
 * A Kubernetes Secret of type `kubernetes.io/dockerconfigjson` or
 * `kubernetes.io/dockercfg`, as listed from the API (`data` base64).
 */
export interface PullSecret {
  type?: string;
  data?: Record<string, string>;
}

interface DockerAuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
  identitytoken?: unknown;
}

/**
 * The credentials an imagePullSecret holds. Malformed secrets yield nothing
 * rather than an error: a bad secret must not stop verification, which then
 * proceeds anonymously.
 */
export function credentialsFromPullSecret(secret: PullSecret): CredentialSet {
  const result: CredentialSet = new Map();
  let auths: Record<string, DockerAuthEntry> | undefined;
  try {
    if (secret.type === 'kubernetes.io/dockerconfigjson') {
      const raw = secret.data?.['.dockerconfigjson'];
      if (raw)
        auths = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'))?.auths;
    } else if (secret.type === 'kubernetes.io/dockercfg') {
      const raw = secret.data?.['.dockercfg'];
      if (raw) auths = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
    }
  } catch {
    return result;
  }
  if (!auths || typeof auths !== 'object') return result;
  for (const [host, entry] of Object.entries(auths)) {
    const credentials = credentialsFromEntry(entry);
    if (credentials) result.set(canonicalRegistryHost(host), credentials);
  }
  return result;
}

function credentialsFromEntry(
  entry: DockerAuthEntry | undefined,
): RegistryCredentials | undefined {
  if (!entry || typeof entry !== 'object') return undefined;
  if (typeof entry.identitytoken === 'string' && entry.identitytoken)
    return { identityToken: entry.identitytoken };
  if (typeof entry.username === 'string' && typeof entry.password === 'string')
    return { username: entry.username, password: entry.password };
  if (typeof entry.auth === 'string') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0)
      return {
        username: decoded.slice(0, colon),
        password: decoded.slice(colon + 1),
      };
  }
  return undefined;
}

export function basicAuthorization(
  credentials: RegistryCredentials,
): string | undefined {
  if (credentials.username === undefined || credentials.password === undefined)
    return undefined;
  return `Basic ${Buffer.from(
    `${credentials.username}:${credentials.password}`,
  ).toString('base64')}`;
}
