import { createHash, createPublicKey, KeyObject } from 'node:crypto';

/** Keyless (Fulcio certificate) signer: SAN exactly or by anchored regex, issuer exactly. */
export interface KeylessAuthority {
  type: 'keyless';
  identity?: string;
  identityRegExp?: string;
  issuer: string;
}

/** A signer holding a private key; `keyId` is the SHA-256 of its SPKI. */
export interface KeyAuthority {
  type: 'key';
  keyId: string;
  publicKey: KeyObject;
  /** cosign's `--insecure-ignore-tlog`: accept signatures with no Rekor entry. */
  ignoreTlog?: boolean;
}

export type Authority = KeylessAuthority | KeyAuthority;

export interface SignaturePolicy {
  name: string;
  /** Globs over `registry/repository`: `*` within a path segment, `**` across. */
  images: string[];
  authorities: Authority[];
  /** Distinct signers that must match an authority. */
  threshold: number;
}

export const KUBERNETES_RELEASE_POLICY = 'kubernetes-release';

/** KEP-3031: Kubernetes release images are signed keyless by the krel-trust service account. */
export const KUBERNETES_RELEASE: SignaturePolicy = {
  name: KUBERNETES_RELEASE_POLICY,
  images: ['registry.k8s.io/**'],
  authorities: [
    {
      type: 'keyless',
      identity: 'krel-trust@k8s-releng-prod.iam.gserviceaccount.com',
      issuer: 'https://accounts.google.com',
    },
  ],
  threshold: 1,
};

/** The entity annotation naming a policy all its images must satisfy. */
export const IMAGE_POLICY_ANNOTATION = 'kubernetes-security.io/image-policy';

export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyConfigError';
  }
}

export function keyIdOf(key: KeyObject): string {
  return `sha256:${createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;
}

export function keyAuthority(pem: string, ignoreTlog?: boolean): KeyAuthority {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(pem);
  } catch (error) {
    throw new PolicyConfigError(
      `not a PEM public key: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  return {
    type: 'key',
    keyId: keyIdOf(publicKey),
    publicKey,
    ...(ignoreTlog ? { ignoreTlog } : {}),
  };
}

export function keylessAuthority(options: {
  identity?: string;
  identityRegExp?: string;
  issuer?: string;
}): KeylessAuthority {
  if (!options.issuer)
    throw new PolicyConfigError('a keyless authority needs an issuer');
  if (!options.identity === !options.identityRegExp)
    throw new PolicyConfigError(
      'a keyless authority needs exactly one of identity or identityRegExp',
    );
  if (options.identityRegExp) anchored(options.identityRegExp);
  return {
    type: 'keyless',
    issuer: options.issuer,
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.identityRegExp
      ? { identityRegExp: options.identityRegExp }
      : {}),
  };
}

/** A regex that must match the whole SAN: `evil-krel-trust@…` never matches `krel-trust@…`. */
export function anchored(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch (error) {
    throw new PolicyConfigError(
      `invalid identity regular expression "${pattern}": ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
}

export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether a verified keyless signer satisfies an authority. */
export function matchesKeyless(
  authority: KeylessAuthority,
  identity: string | undefined,
  issuer: string | undefined,
): boolean {
  if (!identity || issuer !== authority.issuer) return false;
  const pattern = authority.identityRegExp ?? escapeRegExp(authority.identity!);
  return anchored(pattern).test(identity);
}

export function describeAuthority(authority: Authority): string {
  if (authority.type === 'key') return `key ${authority.keyId}`;
  return `${authority.identity ?? `/${authority.identityRegExp}/`} (issuer ${
    authority.issuer
  })`;
}

/** `*` matches within a path segment, `**` across segments. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`);
}

export interface PolicySet {
  policies: SignaturePolicy[];
}

/** The first policy whose globs match the repository (config order, built-ins last). */
export function policyForImage(
  set: PolicySet,
  repository: string,
): SignaturePolicy | undefined {
  return set.policies.find(policy =>
    policy.images.some(glob => globToRegExp(glob).test(repository)),
  );
}

/**
 * The policy an entity's annotation requires, if any. `error` when the
 * annotation names a policy that does not exist, which must not silently
 * fall back to the image globs.
 */
export function policyForEntity(
  set: PolicySet,
  annotations: Record<string, string> | undefined,
): { policy?: SignaturePolicy; error?: string } {
  const name = annotations?.[IMAGE_POLICY_ANNOTATION]?.trim();
  if (!name) return {};
  const policy = set.policies.find(p => p.name === name);
  return policy
    ? { policy }
    : {
        error: `the ${IMAGE_POLICY_ANNOTATION} annotation names an unknown policy "${name}"`,
      };
}

/** A stable hash of what a policy accepts, so cached results follow policy changes. */
export function policyHash(policy: SignaturePolicy | undefined): string {
  const canonical = policy && {
    name: policy.name,
    threshold: policy.threshold,
    authorities: policy.authorities.map(a =>
      a.type === 'key'
        ? { type: a.type, keyId: a.keyId, ignoreTlog: !!a.ignoreTlog }
        : {
            type: a.type,
            identity: a.identity,
            identityRegExp: a.identityRegExp,
            issuer: a.issuer,
          },
    ),
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical ?? null))
    .digest('hex');
}
