import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { RealApiServerBinaries } from './realApiServer';

export type RealApiServerAvailability =
  | { available: true; binaries: RealApiServerBinaries }
  | { available: false; reason: string };

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function etcdOnPath(env: NodeJS.ProcessEnv): string | undefined {
  return [...(env.PATH ?? '').split(delimiter), '/usr/bin']
    .filter(Boolean)
    .map(dir => join(dir, 'etcd'))
    .find(isExecutable);
}

/**
 * Whether the real-cluster layer can run, from the environment that
 * `scripts/lib/kube-apiserver.sh` exports. An unavailable server skips the
 * layer; a binary that is named but missing is a broken setup and throws.
 */
export function realApiServerAvailability(
  env: NodeJS.ProcessEnv = process.env,
): RealApiServerAvailability {
  if (env.KUBERNETES_SECURITY_REAL_APISERVER_UNAVAILABLE) {
    return {
      available: false,
      reason: env.KUBERNETES_SECURITY_REAL_APISERVER_UNAVAILABLE,
    };
  }
  const kubeApiServer = env.KUBERNETES_SECURITY_KUBE_APISERVER;
  if (!kubeApiServer) {
    return {
      available: false,
      reason:
        'KUBERNETES_SECURITY_KUBE_APISERVER is not set (scripts/test.sh sets it via scripts/lib/kube-apiserver.sh)',
    };
  }
  if (!isExecutable(kubeApiServer)) {
    throw new Error(
      `KUBERNETES_SECURITY_KUBE_APISERVER=${kubeApiServer} is not an executable file`,
    );
  }
  const etcd = env.KUBERNETES_SECURITY_ETCD || etcdOnPath(env);
  if (!etcd || !isExecutable(etcd)) {
    throw new Error(
      `etcd not found (KUBERNETES_SECURITY_ETCD=${
        env.KUBERNETES_SECURITY_ETCD ?? ''
      }); install Debian's etcd-server package`,
    );
  }
  return { available: true, binaries: { kubeApiServer, etcd } };
}

export interface RealApiServerGate {
  /** `describe`, or `describe.skip` when no real API server is available. */
  describe: jest.Describe;
  /** The binaries to start; only called from hooks of a suite that runs. */
  binaries(): RealApiServerBinaries;
}

/**
 * Gates a real-cluster suite: when no real API server is available the suite
 * is skipped behind a banner nobody can miss, so the layer never passes
 * silently.
 */
export function realApiServerGate(layer: string): RealApiServerGate {
  const availability = realApiServerAvailability();
  if (availability.available) {
    return { describe, binaries: () => availability.binaries };
  }
  // eslint-disable-next-line no-console
  console.warn(
    [
      '',
      '#'.repeat(78),
      `#  SKIPPED: ${layer}`,
      `#  No real kube-apiserver: ${availability.reason}`,
      '#  TLS, RBAC, pagination and metadata-only listing against a real API',
      '#  server are NOT verified by this run.',
      '#'.repeat(78),
      '',
    ].join('\n'),
  );
  return {
    describe: describe.skip,
    binaries: () => {
      throw new Error(availability.reason);
    },
  };
}
