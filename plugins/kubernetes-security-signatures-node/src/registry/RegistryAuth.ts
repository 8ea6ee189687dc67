import { createHash } from 'node:crypto';
import { parseChallenge } from './challenge';
import { basicAuthorization } from './credentials';
import type { RegistryCredentials } from './credentials';
import { RegistryError } from './RegistryError';
import { readLimited } from './RegistryTransport';
import type { RegistryTransport } from './RegistryTransport';

/** What a 401 asked for and what we may answer with. */
export interface AuthenticationRequest {
  /** The URL that was refused. */
  url: URL;
  /** Its `WWW-Authenticate` header. */
  challenge: string | null;
  /** The scope to ask a token for, e.g. `repository:team/app:pull`. */
  scope: string;
  credentials?: RegistryCredentials;
}

interface CachedToken {
  authorization: string;
  expiresAt: number;
}

const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;
// Registries issue tokens for at least 60 s; renewing a little early avoids a 401 per expiry.
const TOKEN_LIFETIME_MS = 50_000;

/**
 * Answers registries' authentication challenges: basic credentials, or a
 * bearer token from the token service the registry names (anonymous, with
 * basic credentials, or with an identity token), cached per host, scope and
 * credentials.
 */
export class RegistryAuth {
  private readonly tokens = new Map<string, CachedToken>();

  constructor(private readonly transport: RegistryTransport) {}

  /** A still-valid Authorization header from an earlier challenge, if any. */
  cachedAuthorization(
    host: string,
    scope: string,
    credentials: RegistryCredentials | undefined,
  ): string | undefined {
    const key = tokenKey(host, scope, credentials);
    const token = this.tokens.get(key);
    if (token && token.expiresAt > Date.now()) return token.authorization;
    this.tokens.delete(key);
    return undefined;
  }

  /** The Authorization header that answers a 401's challenge, if we can; remembered for later requests. */
  async authenticate(
    request: AuthenticationRequest,
  ): Promise<string | undefined> {
    const authorization = await this.answerChallenge(request);
    if (authorization)
      this.tokens.set(
        tokenKey(request.url.host, request.scope, request.credentials),
        { authorization, expiresAt: Date.now() + TOKEN_LIFETIME_MS },
      );
    return authorization;
  }

  private async answerChallenge({
    url,
    challenge: header,
    scope,
    credentials,
  }: AuthenticationRequest): Promise<string | undefined> {
    const challenge = parseChallenge(header);
    if (!challenge) return undefined;
    if (challenge.scheme === 'basic')
      return credentials && basicAuthorization(credentials);
    if (challenge.scheme !== 'bearer' || !challenge.params.realm)
      return undefined;
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm);
    } catch {
      throw new RegistryError(
        'invalid',
        `invalid token realm "${challenge.params.realm}"`,
      );
    }
    // Credentials go to the realm the registry names; never over plain HTTP
    // unless the registry itself is spoken to that way (loopback, opt-in).
    if (
      realm.protocol !== 'https:' &&
      !(
        realm.protocol === 'http:' &&
        this.transport.scheme(realm.host) === 'http'
      )
    )
      throw new RegistryError(
        'invalid',
        `refusing token realm ${realm.origin}: not https`,
      );
    this.transport.checkTokenRealm(url, realm);
    if (challenge.params.service)
      realm.searchParams.set('service', challenge.params.service);
    realm.searchParams.set('scope', challenge.params.scope ?? scope);
    const headers: Record<string, string> = { accept: 'application/json' };
    let method = 'GET';
    let body: string | undefined;
    if (credentials?.identityToken) {
      // OAuth2 refresh-token grant, as docker does for identity tokens.
      method = 'POST';
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credentials.identityToken,
        service: challenge.params.service ?? '',
        scope: challenge.params.scope ?? scope,
        client_id: 'kubernetes-security',
      }).toString();
    } else if (credentials) {
      const basic = basicAuthorization(credentials);
      if (basic) headers.authorization = basic;
    }
    const response = await this.transport.fetch(realm, {
      method,
      headers,
      body,
    });
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new RegistryError(
        'auth',
        `the token service ${realm.origin} refused the credentials (HTTP ${response.status})`,
        response.status,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new RegistryError(
        response.status >= 500 || response.status === 429
          ? 'unreachable'
          : 'invalid',
        `the token service ${realm.origin} answered HTTP ${response.status}`,
        response.status,
      );
    }
    const bytes = await readLimited(response, {
      limit: MAX_TOKEN_RESPONSE_BYTES,
      what: `the answer of the token service ${realm.origin}`,
    });
    let token: unknown;
    try {
      const parsed = JSON.parse(bytes.toString('utf8'));
      token = parsed?.token ?? parsed?.access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || !token || /[\r\n]/.test(token))
      throw new RegistryError(
        'invalid',
        `the token service ${realm.origin} sent no token`,
      );
    return `Bearer ${token}`;
  }
}

function tokenKey(
  host: string,
  scope: string,
  credentials: RegistryCredentials | undefined,
): string {
  return `${host}|${scope}|${credentialKey(credentials)}`;
}

function credentialKey(credentials: RegistryCredentials | undefined): string {
  if (!credentials) return 'anonymous';
  return createHash('sha256')
    .update(JSON.stringify(credentials))
    .digest('hex')
    .slice(0, 16);
}
