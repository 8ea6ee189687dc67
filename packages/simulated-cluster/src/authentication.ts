import type { PolicyRule, TokenGrant } from './types';

/** A user the bearer-token authenticator recognised. */
export interface AuthenticatedUser {
  username: string;
  uid?: string;
  /** Includes `system:authenticated`, which the apiserver adds to every authenticated user. */
  groups: string[];
  extra?: Record<string, string[]>;
  rules: readonly PolicyRule[];
}

/** `authentication.k8s.io` UserInfo, as SelfSubjectReview and TokenReview report it. */
export function userInfoOf(user: AuthenticatedUser) {
  return {
    username: user.username,
    ...(user.uid ? { uid: user.uid } : {}),
    groups: user.groups,
    ...(user.extra ? { extra: user.extra } : {}),
  };
}

/**
 * What unauthenticated requests may do when anonymous requests are enabled
 * (kube-apiserver `--anonymous-auth` with RBAC bound to `system:anonymous`),
 * e.g. to stand in for a cluster reached through `kubectl proxy`.
 */
export interface AnonymousAccess {
  rules: PolicyRule[];
}

export class TokenAuthenticator {
  private readonly usersByToken = new Map<string, AuthenticatedUser>();
  private readonly anonymousUser?: AuthenticatedUser;

  constructor(grants: readonly TokenGrant[], anonymous?: AnonymousAccess) {
    if (anonymous) {
      this.anonymousUser = {
        username: 'system:anonymous',
        groups: ['system:unauthenticated'],
        rules: anonymous.rules,
      };
    }
    for (const grant of grants) {
      const groups = grant.groups ?? [];
      this.usersByToken.set(grant.token, {
        username: grant.username,
        uid: grant.uid,
        groups: groups.includes('system:authenticated')
          ? groups
          : [...groups, 'system:authenticated'],
        extra: grant.extra,
        rules: grant.rules,
      });
    }
  }

  authenticateToken(token: string): AuthenticatedUser | undefined {
    return this.usersByToken.get(token);
  }

  /**
   * Reads `Authorization: Bearer <token>`; anything else is unauthenticated.
   * Without the header, the anonymous user when enabled; a token that is not
   * accepted stays a 401 even then, as in kube-apiserver.
   */
  authenticateHeader(
    authorization: string | undefined,
  ): AuthenticatedUser | undefined {
    if (authorization === undefined) return this.anonymousUser;
    const match = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    return match ? this.authenticateToken(match[1]) : undefined;
  }
}
