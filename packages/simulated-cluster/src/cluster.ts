import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServedApis, computeServedApis } from './servedApis';
import { type AnonymousAccess, TokenAuthenticator } from './authentication';
import type { ClusterCapabilities } from './builtinResources';
import type { CustomResourceDefinitionInfo } from './crds';
import { answerWithFault, type Fault, FaultInjector } from './faults';
import { ListSnapshots } from './pagination';
import { createRequestListener } from './server';
import { ObjectStore } from './store';
import type {
  KubeObject,
  ObjectRef,
  RequestLogEntry,
  TokenGrant,
} from './types';
import {
  type KubernetesVersion,
  type VersionInfo,
  minorVersionOf,
  resolveVersionInfo,
} from './version';

export interface SimulatedClusterOptions {
  /** Shown by the bin and in test output; default `simulated`. */
  name?: string;
  /** `v1.30.1` (default), or explicit /version fields such as minor `27+`. */
  version?: KubernetesVersion;
  /** Gates that change what is served, e.g. `{ ValidatingAdmissionPolicy: true }`. */
  featureGates?: Record<string, boolean>;
  /** Accepted bearer tokens; any other request gets 401. */
  tokens?: TokenGrant[];
  /** When set, requests without credentials are `system:anonymous` with these rules. */
  anonymous?: AnonymousAccess;
  /** Initial objects (CRDs may come in any order). */
  objects?: KubeObject[];
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The request log keeps this many latest entries; default 10 000. */
  requestLogLimit?: number;
}

export interface SimulatedCluster {
  readonly name: string;
  /** `http://127.0.0.1:<port>` — the apiserver URL to put in a kubeconfig. */
  readonly url: string;
  readonly port: number;
  readonly versionInfo: VersionInfo;
  /** Adds or replaces an object, returning it as stored (with uid and resourceVersion). */
  add(object: KubeObject): KubeObject;
  /** Removes an object; false when there was none. */
  remove(ref: ObjectRef): boolean;
  replaceAll(objects: readonly KubeObject[]): void;
  /** Requests answered so far, oldest first. */
  readonly requestLog: readonly RequestLogEntry[];
  clearRequestLog(): void;
  /**
   * Makes matching requests fail (5xx, 429 with Retry-After, garbage, a
   * stall, a dropped connection, or the whole server dying) for
   * fault-injection tests. Faults apply in the order injected.
   */
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /** Listens again on the same port after `stop()` or a `die` fault. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Caches the served APIs until the set of CRDs changes. */
function servedApisFor(
  capabilities: ClusterCapabilities,
  store: ObjectStore,
): () => ServedApis {
  let cachedFor: readonly CustomResourceDefinitionInfo[] | undefined;
  let cached: ServedApis | undefined;
  return () => {
    const crds = store.customResourceDefinitions;
    if (!cached || cachedFor !== crds) {
      cached = computeServedApis(capabilities, crds);
      cachedFor = crds;
    }
    return cached;
  };
}

export async function startSimulatedCluster(
  options: SimulatedClusterOptions = {},
): Promise<SimulatedCluster> {
  const versionInfo = resolveVersionInfo(options.version);
  const capabilities: ClusterCapabilities = {
    minor: minorVersionOf(versionInfo),
    featureGates: { ...options.featureGates },
  };
  const store = new ObjectStore();
  store.replaceAll(options.objects ?? []);

  const host = options.host ?? '127.0.0.1';
  const requestLogLimit = options.requestLogLimit ?? 10_000;
  const requestLog: RequestLogEntry[] = [];
  let port = options.port ?? 0;

  const listener = createRequestListener({
    store,
    servedApis: servedApisFor(capabilities, store),
    versionInfo,
    authenticator: new TokenAuthenticator(
      options.tokens ?? [],
      options.anonymous,
    ),
    snapshots: new ListSnapshots(),
    serverAddress: () => `${host}:${port}`,
    onRequest: log,
  });
  const faults = new FaultInjector();
  // Set while the server is stopped or stopping, so stop() after a `die` fault still resolves.
  let stopping: Promise<void> | undefined;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    const fault = faults.take({
      method,
      path: url.pathname,
      query: url.searchParams,
    });
    if (!fault) {
      listener(request, response);
      return;
    }
    const status = answerWithFault(fault, request, response, () => {
      stopping ??= shutDown();
    });
    log({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      accept: request.headers.accept ?? '',
      status,
      timestamp: Date.now(),
      fault: fault.type,
    });
  });

  function log(entry: RequestLogEntry) {
    requestLog.push(entry);
    if (requestLog.length > requestLogLimit) requestLog.shift();
  }

  function listen() {
    return new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  function shutDown() {
    return new Promise<void>((resolve, reject) => {
      server.close(error => (error ? reject(error) : resolve()));
      // Keep-alive connections from clients would otherwise hold close() open.
      server.closeAllConnections();
    });
  }
  await listen();
  port = (server.address() as AddressInfo).port;

  return {
    name: options.name ?? 'simulated',
    url: `http://${host}:${port}`,
    port,
    versionInfo,
    add: object => store.add(object),
    remove: ref => store.remove(ref),
    replaceAll: objects => store.replaceAll(objects),
    get requestLog() {
      return requestLog;
    },
    clearRequestLog: () => {
      requestLog.length = 0;
    },
    injectFault: fault => faults.inject(fault),
    clearFaults: () => faults.clear(),
    restart: async () => {
      if (!stopping) return;
      await stopping;
      await listen();
      stopping = undefined;
    },
    stop: () => {
      stopping ??= shutDown();
      return stopping;
    },
  };
}
