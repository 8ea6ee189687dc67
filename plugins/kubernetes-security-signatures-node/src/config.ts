import { readFileSync } from 'node:fs';
import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { canonicalRegistryHost } from './imageReference';
import {
  KUBERNETES_RELEASE,
  keyAuthority,
  keylessAuthority,
  PolicyConfigError,
} from './policy';
import type { Authority, PolicySet, SignaturePolicy } from './policy';
import {
  ACCESS_SETTINGS,
  validateRegistryAccess,
} from './registry/addressPolicy';
import type { RegistryAccessOptions } from './registry/addressPolicy';
import type { CredentialSet } from './registry/credentials';
import type { RegistryClientOptions } from './registry/RegistryClient';
import { DEFAULT_CACHE_TTL } from './VerdictCache';
import type { VerdictCacheTtl } from './VerdictCache';
import type { TrustOptions } from './trust';

/** `kubernetesSecurity.signatures`, read and validated. */
export interface SignatureSettings {
  enabled: boolean;
  policies: PolicySet;
  trust: TrustOptions;
  registry: RegistryClientOptions;
  /** Use workloads' imagePullSecrets for registry credentials (opt-in). */
  usePullSecrets: boolean;
  cacheTtl: VerdictCacheTtl;
  /** Digests verified at once. */
  concurrency: number;
}

/**
 * Reads the settings; throws a `PolicyConfigError` naming the bad entry, so
 * a typo in a policy is reported at start-up and not as unsigned images.
 */
export function readSignatureSettings(root: Config): SignatureSettings {
  const config = root.getOptionalConfig('kubernetesSecurity.signatures');
  const policies: SignaturePolicy[] = (
    config?.getOptionalConfigArray('policies') ?? []
  ).map((entry, index) => readPolicy(entry, index));
  const names = new Set<string>();
  for (const policy of policies) {
    if (names.has(policy.name))
      throw new PolicyConfigError(
        `signature policy "${policy.name}" is defined twice`,
      );
    names.add(policy.name);
  }
  if (
    !config?.getOptionalBoolean('disableBuiltInPolicies') &&
    !names.has(KUBERNETES_RELEASE.name)
  )
    policies.push(KUBERNETES_RELEASE);

  const credentials: CredentialSet = new Map();
  const insecureHosts: string[] = [];
  const endpoints = new Map<string, string>();
  for (const registry of config?.getOptionalConfigArray('registries') ?? []) {
    const host = canonicalRegistryHost(registry.getString('host'));
    const username = registry.getOptionalString('username');
    const password = registry.getOptionalString('password');
    const identityToken = registry.getOptionalString('identityToken');
    if (identityToken) credentials.set(host, { identityToken });
    else if (username !== undefined && password !== undefined)
      credentials.set(host, { username, password });
    if (registry.getOptionalBoolean('insecure')) insecureHosts.push(host);
    const mirror = registry.getOptionalString('mirror');
    if (mirror) endpoints.set(host, mirror);
  }

  const access = config?.getOptionalConfig('registryAccess');
  const cache = config?.getOptionalConfig('cache');
  return {
    enabled: config?.getOptionalBoolean('enabled') ?? true,
    policies: { policies },
    trust: {
      trustedRootFiles: config?.getOptionalStringArray(
        'trust.trustedRootFiles',
      ),
      tuf: {
        cachePath: config?.getOptionalString('trust.tuf.cachePath'),
        mirrorUrl: config?.getOptionalString('trust.tuf.mirrorUrl'),
      },
    },
    registry: {
      credentials,
      insecureHosts,
      endpoints,
      timeoutMs: config?.getOptionalNumber('requestTimeoutMs'),
      maxConcurrencyPerHost: config?.getOptionalNumber(
        'maxConcurrencyPerRegistry',
      ),
      access: readRegistryAccess(access),
      maxManifestBytes: readByteLimit(access, 'maxManifestBytes'),
      maxBlobBytes: readByteLimit(access, 'maxBlobBytes'),
    },
    usePullSecrets: config?.getOptionalBoolean('usePullSecrets') ?? false,
    cacheTtl: {
      verifiedMs: cache?.has('verified')
        ? durationToMilliseconds(
            readDurationFromConfig(cache, { key: 'verified' }),
          )
        : DEFAULT_CACHE_TTL.verifiedMs,
      unsignedMs: cache?.has('unsigned')
        ? durationToMilliseconds(
            readDurationFromConfig(cache, { key: 'unsigned' }),
          )
        : DEFAULT_CACHE_TTL.unsignedMs,
    },
    concurrency: config?.getOptionalNumber('concurrency') ?? 4,
  };
}

function readRegistryAccess(access: Config | undefined): RegistryAccessOptions {
  const options: RegistryAccessOptions = {
    allowHosts: access?.getOptionalStringArray('allowHosts'),
    denyHosts: access?.getOptionalStringArray('denyHosts'),
    allowLoopback: access?.getOptionalBoolean('allowLoopback'),
    allowLinkLocal: access?.getOptionalBoolean('allowLinkLocal'),
    allowTokenRealmHosts: access?.getOptionalStringArray(
      'allowTokenRealmHosts',
    ),
  };
  try {
    validateRegistryAccess(options);
  } catch (error) {
    throw new PolicyConfigError(
      error instanceof Error ? error.message : String(error),
    );
  }
  return options;
}

function readByteLimit(
  access: Config | undefined,
  key: string,
): number | undefined {
  const value = access?.getOptionalNumber(key);
  if (value !== undefined && (!Number.isInteger(value) || value < 1))
    throw new PolicyConfigError(
      `${ACCESS_SETTINGS}.${key} must be a positive integer`,
    );
  return value;
}

function readPolicy(entry: Config, index: number): SignaturePolicy {
  const name = entry.getString('name');
  const where = `signature policy "${name}" (policies[${index}])`;
  const images = entry.getStringArray('images');
  const authorities: Authority[] = entry
    .getConfigArray('authorities')
    .map((authority, i) => {
      try {
        const keyless = authority.getOptionalConfig('keyless');
        if (keyless)
          return keylessAuthority({
            identity: keyless.getOptionalString('identity'),
            identityRegExp: keyless.getOptionalString('identityRegExp'),
            issuer: keyless.getOptionalString('issuer'),
          });
        const key = authority.getOptionalConfig('key');
        if (key) {
          const file = key.getOptionalString('publicKeyFile');
          const pem =
            key.getOptionalString('publicKey') ??
            (file && readFileSync(file, 'utf8'));
          if (!pem)
            throw new PolicyConfigError(
              'a key authority needs publicKey or publicKeyFile',
            );
          return keyAuthority(pem, key.getOptionalBoolean('ignoreTlog'));
        }
        throw new PolicyConfigError('an authority needs keyless or key');
      } catch (error) {
        throw new PolicyConfigError(
          `${where}, authorities[${i}]: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
      }
    });
  if (!authorities.length)
    throw new PolicyConfigError(`${where} has no authorities`);
  const threshold = entry.getOptionalNumber('threshold') ?? 1;
  if (!Number.isInteger(threshold) || threshold < 1)
    throw new PolicyConfigError(
      `${where}: threshold must be a positive integer`,
    );
  return { name, images, authorities, threshold };
}
