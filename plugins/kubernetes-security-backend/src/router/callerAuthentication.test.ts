import { mockCredentials } from '@backstage/backend-test-utils';
import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import type express from 'express';
import { createCallerAuthentication } from './callerAuthentication';

/** An auth service that knows two tokens, counting its verifications. */
function countingHttpAuth(tokens: Record<string, BackstageCredentials>) {
  const verify = jest.fn(async (req: express.Request) => {
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    const credentials = token ? tokens[token] : undefined;
    if (!credentials) throw new AuthenticationError('Illegal token');
    return credentials;
  });
  return {
    httpAuth: { credentials: verify } as unknown as HttpAuthService,
    verify,
  };
}

const requestWith = (token?: string) =>
  ({
    headers: token ? { authorization: `Bearer ${token}` } : {},
  } as express.Request);

describe('createCallerAuthentication', () => {
  const alice = mockCredentials.user('user:default/alice');
  const bob = mockCredentials.user('user:default/bob');

  it('verifies a token once, then reuses it for that same token only', async () => {
    const { httpAuth, verify } = countingHttpAuth({ a: alice, b: bob });
    const authenticate = createCallerAuthentication(httpAuth, {
      reuseForMs: 10_000,
    });
    await expect(authenticate(requestWith('a'))).resolves.toBe(alice);
    await expect(authenticate(requestWith('a'))).resolves.toBe(alice);
    expect(verify).toHaveBeenCalledTimes(1);
    await expect(authenticate(requestWith('b'))).resolves.toBe(bob);
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('lets nothing in on a reused token: no token and unknown tokens are refused every time', async () => {
    const { httpAuth, verify } = countingHttpAuth({ a: alice });
    const authenticate = createCallerAuthentication(httpAuth, {
      reuseForMs: 10_000,
    });
    await authenticate(requestWith('a'));
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(authenticate(requestWith())).rejects.toThrow(
        AuthenticationError,
      );
      await expect(authenticate(requestWith('forged'))).rejects.toThrow(
        AuthenticationError,
      );
    }
    expect(verify).toHaveBeenCalledTimes(5);
  });

  it("verifies again once the reuse time or the token's own expiry has passed", async () => {
    const expired = {
      ...alice,
      expiresAt: new Date(Date.now() - 1),
    } as BackstageCredentials;
    const { httpAuth, verify } = countingHttpAuth({ old: expired, a: alice });
    const noReuse = createCallerAuthentication(httpAuth, { reuseForMs: 0 });
    await noReuse(requestWith('a'));
    await noReuse(requestWith('a'));
    expect(verify).toHaveBeenCalledTimes(2);
    const reusing = createCallerAuthentication(httpAuth, {
      reuseForMs: 10_000,
    });
    await reusing(requestWith('old'));
    await reusing(requestWith('old'));
    expect(verify).toHaveBeenCalledTimes(4);
  });
});
