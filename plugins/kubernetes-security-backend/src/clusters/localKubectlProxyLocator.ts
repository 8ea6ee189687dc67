import type { ClusterLocator, LocatedClusters } from './types';

/**
 * The `localKubectlProxy` locator: one cluster, `local`, behind a
 * `kubectl proxy` on its default port. The proxy authenticates, so requests
 * carry no credential (the official plugin's AnonymousStrategy). For local
 * development only, as in the official plugin.
 */
export class LocalKubectlProxyLocator implements ClusterLocator {
  readonly description = 'localKubectlProxy';

  async locate(): Promise<LocatedClusters> {
    return {
      clusters: [
        {
          name: 'local',
          // kubectl proxy listens on 127.0.0.1 (not ::1) by default.
          url: 'http://127.0.0.1:8001',
          authProvider: 'localKubectlProxy',
          source: 'localKubectlProxy',
        },
      ],
      problems: [],
    };
  }
}
