import type { Config } from '@backstage/config';
import { readSignatureSettings } from './config';
import type { SignatureSettings } from './config';
import { ImageVerificationService } from './ImageVerificationService';
import { RegistryClient } from './registry/RegistryClient';
import { TrustProvider } from './trust';
import type { VerdictCache, VerdictCacheTtl } from './VerdictCache';

/**
 * The service as the backend plugin uses it, from app-config. `createCache`
 * receives the configured lifetimes; without it (the CLI) results are not
 * cached. Returns `undefined` when `kubernetesSecurity.signatures.enabled`
 * is false.
 */
export async function createImageVerificationService<
  Cache extends VerdictCache,
>(options: {
  config: Config;
  createCache?: (ttl: VerdictCacheTtl) => Promise<Cache>;
}): Promise<
  | {
      service: ImageVerificationService;
      settings: SignatureSettings;
      cache?: Cache;
    }
  | undefined
> {
  const settings = readSignatureSettings(options.config);
  if (!settings.enabled) return undefined;
  const cache = await options.createCache?.(settings.cacheTtl);
  const service = new ImageVerificationService({
    client: new RegistryClient(settings.registry),
    trust: new TrustProvider(settings.trust),
    policies: settings.policies,
    cache,
    usePullSecrets: settings.usePullSecrets,
    concurrency: settings.concurrency,
  });
  return { service, settings, cache };
}
