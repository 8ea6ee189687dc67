import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type express from 'express';
import { callerKey } from './callerBatches';

const DEFAULT_MAX_TOKENS = 10_000;

/**
 * Authenticates a request exactly as Backstage's credentials barrier does
 * (a user or service token, verified by the auth service), for routes that
 * take authentication over from the barrier to make repeated views cheap:
 * once a token has been verified, the same token is accepted again for
 * `reuseForMs`, and never after it expires. Anything else (no token, another
 * token, an expired one) is verified anew, so a request is never let in on
 * less than a verified token.
 */
export function createCallerAuthentication(
  httpAuth: HttpAuthService,
  options: { reuseForMs: number; maxTokens?: number },
): (req: express.Request) => Promise<BackstageCredentials> {
  // In insertion order, so the oldest tokens go first when full.
  const verified = new Map<
    string,
    { credentials: BackstageCredentials; until: number }
  >();
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;

  return async req => {
    const key = callerKey(req.headers);
    const known = key === undefined ? undefined : verified.get(key);
    if (known) {
      if (known.until > Date.now()) return known.credentials;
      verified.delete(key!);
    }
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const until = Math.min(
      Date.now() + options.reuseForMs,
      credentials.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY,
    );
    if (key !== undefined && until > Date.now()) {
      verified.set(key, { credentials, until });
      for (const oldest of verified.keys()) {
        if (verified.size <= maxTokens) break;
        verified.delete(oldest);
      }
    }
    return credentials;
  };
}
