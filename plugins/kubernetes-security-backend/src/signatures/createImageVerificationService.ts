import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { readSignatureSettings } from './config';
import type { SignatureSettings } from './config';
import { ImageVerificationService } from './ImageVerificationService';
import { RegistryClient } from './registry/RegistryClient';
import { SignatureCache } from './SignatureCache';
import { TrustProvider } from './trust';

/**
 * The service as the backend plugin uses it, from app-config. Without a
 * database (the CLI) results are not cached. Returns `undefined` when
 * `kubernetesSecurity.signatures.enabled` is false.
 */
export async function createImageVerificationService(options: {
  config: Config;
  database?: DatabaseService;
}): Promise<
  | {
      service: ImageVerificationService;
      settings: SignatureSettings;
      cache?: SignatureCache;
    }
  | undefined
> {
  const settings = readSignatureSettings(options.config);
  if (!settings.enabled) return undefined;
  const cache = options.database
    ? await SignatureCache.create(options.database, settings.cacheTtl)
    : undefined;
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
