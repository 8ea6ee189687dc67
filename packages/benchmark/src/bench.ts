/*
 * Scans a synthetic fleet served by simulated clusters through the real
 * backend, and prints: scan seconds, API requests, the backend's peak RSS,
 * and the report endpoint's p50/p95 latency under concurrent load.
 *
 *   yarn bench [--clusters 3] [--namespaces 40] [--pods-per-namespace 50]
 *              [--unique-images 200] [--services 120] [--requests 400] [--concurrency 16]
 *
 * Defaults: 3 clusters × 2,000 pods. Everything runs on loopback.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  generateFleet,
  SimulatedCluster,
  startSimulatedCluster,
} from '@internal/simulated-cluster';

// Yarn sets PROJECT_CWD to the repository root for workspace scripts.
const REPO_ROOT = process.env.PROJECT_CWD ?? resolve(process.cwd(), '../..');
const PORT = Number(process.env.BENCH_BACKEND_PORT ?? 7107);
const BASE_URL = `http://localhost:${PORT}`;
const READER_TOKEN = 'bench-reader';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const settings = {
  clusters: option('clusters', 3),
  namespaces: option('namespaces', 40),
  podsPerNamespace: option('pods-per-namespace', 50),
  uniqueImages: option('unique-images', 200),
  services: option('services', 120),
  requests: option('requests', 400),
  concurrency: option('concurrency', 16),
};

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  console.log(`… waiting for ${what}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 500));
  }
}

/** Peak resident memory (VmHWM) of the largest process in a process group, in MiB. */
function peakRssMiB(processGroup: number): number {
  let peak = 0;
  for (const pid of readdirSync('/proc').filter(name => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgid !== processGroup) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(
        readFileSync(`/proc/${pid}/status`, 'utf8'),
      );
      if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
    } catch {
      // process ended meanwhile
    }
  }
  return Math.round(peak);
}

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'kubernetes-security-bench-'));
  const clusters: SimulatedCluster[] = [];
  const serviceIds = new Set<string>();
  let pods = 0;
  for (let i = 0; i < settings.clusters; i++) {
    const objects = generateFleet({
      namespaces: settings.namespaces,
      podsPerNamespace: settings.podsPerNamespace,
      uniqueImages: settings.uniqueImages,
      services: settings.services,
      seed: i + 1,
    });
    for (const object of objects) {
      if (object.kind !== 'Pod') continue;
      pods++;
      const id = object.metadata?.labels?.['backstage.io/kubernetes-id'];
      if (id) serviceIds.add(id);
    }
    clusters.push(
      await startSimulatedCluster({
        name: `bench-${i + 1}`,
        objects,
        tokens: [
          {
            token: READER_TOKEN,
            username: 'system:serviceaccount:backstage:kubernetes-security',
            rules: [
              {
                apiGroups: ['*'],
                resources: ['*'],
                verbs: ['get', 'list', 'watch'],
              },
            ],
          },
        ],
      }),
    );
  }
  const services = [...serviceIds].sort();
  writeFileSync(
    join(work, 'catalog.yaml'),
    services
      .map(id =>
        [
          'apiVersion: backstage.io/v1alpha1',
          'kind: Component',
          `metadata: { name: ${id}, annotations: { backstage.io/kubernetes-id: ${id} } }`,
          'spec: { type: service, lifecycle: production, owner: group:default/bench }',
        ].join('\n'),
      )
      .join('\n---\n'),
  );
  const clusterConfig = clusters
    .map(
      c =>
        `        - { name: ${c.name}, url: '${c.url}', authProvider: serviceAccount, serviceAccountToken: ${READER_TOKEN} }`,
    )
    .join('\n');
  writeFileSync(
    join(work, 'app-config.bench.yaml'),
    `app:
  baseUrl: ${BASE_URL}
backend:
  baseUrl: ${BASE_URL}
  listen: { port: ${PORT} }
  database: { client: better-sqlite3, connection: ':memory:' }
catalog:
  locations:
    - { type: file, target: ${join(
      work,
      'catalog.yaml',
    )}, rules: [{ allow: [Component] }] }
kubernetes:
  serviceLocatorMethod: { type: multiTenant }
  clusterLocatorMethods:
    - type: config
      clusters:
${clusterConfig}
kubernetesSecurity:
  # The scheduler only serves manual triggers after the initial delay.
  schedule: { frequency: { hours: 24 }, timeout: { minutes: 30 }, initialDelay: { seconds: 1 } }
`,
  );

  console.log(
    `Fleet: ${settings.clusters} clusters × ${
      pods / settings.clusters
    } pods (${pods} pods), ` +
      `${settings.uniqueImages} unique images, ${services.length} Components`,
  );
  const backend: ChildProcess = spawn(
    'yarn',
    [
      'workspace',
      'backend',
      'serve',
      '--config',
      '../../app-config.yaml',
      '--config',
      join(work, 'app-config.bench.yaml'),
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const stopBackend = () => {
    try {
      process.kill(-backend.pid!, 'SIGTERM');
    } catch {
      // gone
    }
  };
  process.on('exit', stopBackend);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopBackend();
      process.exit(130);
    });
  }
  let stderr = '';
  backend.stderr?.on('data', chunk => {
    stderr = (stderr + chunk).slice(-4000);
  });

  try {
    await waitFor(
      'the backend',
      async () =>
        (
          await fetch(`${BASE_URL}/api/kubernetes-security/health`)
        ).ok
          ? true
          : undefined,
      300_000,
    );
    const { backstageIdentity } = (await (
      await fetch(`${BASE_URL}/api/auth/guest/refresh`, {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      })
    ).json()) as { backstageIdentity: { token: string } };
    const headers = { Authorization: `Bearer ${backstageIdentity.token}` };
    const last = services[services.length - 1];
    await waitFor(
      'the catalog',
      async () =>
        (
          await fetch(
            `${BASE_URL}/api/catalog/entities/by-name/component/default/${last}`,
            { headers },
          )
        ).ok
          ? true
          : undefined,
      120_000,
    );

    for (const cluster of clusters) cluster.clearRequestLog();
    const started = Date.now();
    const triggered = await fetch(
      `${BASE_URL}/api/kubernetes-security/v1/scans`,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: '{}',
      },
    );
    const { started: startedClusters } = (await triggered.json()) as {
      started: string[];
    };
    if (startedClusters.length !== clusters.length) {
      throw new Error(
        `scan trigger answered ${triggered.status}, started ${startedClusters}`,
      );
    }
    const scans = await waitFor(
      'the scans',
      async () => {
        const body = (await (
          await fetch(`${BASE_URL}/api/kubernetes-security/v1/clusters`, {
            headers,
          })
        ).json()) as {
          items: {
            name: string;
            lastScan?: {
              attemptedAt: string;
              durationMs: number;
              workloadCount: number;
              errors: unknown[];
            };
          }[];
        };
        const done = body.items.filter(
          c => c.lastScan && Date.parse(c.lastScan.attemptedAt) >= started,
        );
        return done.length === clusters.length ? done : undefined;
      },
      1_800_000,
    );
    const wallSeconds = (Date.now() - started) / 1000;
    const requests = clusters.reduce((sum, c) => sum + c.requestLog.length, 0);

    // Concurrent load on the report endpoint.
    const latencies: number[] = [];
    let next = 0;
    let failures = 0;
    await Promise.all(
      Array.from({ length: settings.concurrency }, async () => {
        while (next < settings.requests) {
          const service = services[next++ % services.length];
          const t0 = performance.now();
          const response = await fetch(
            `${BASE_URL}/api/kubernetes-security/v1/entities/component/default/${service}`,
            { headers },
          );
          await response.arrayBuffer();
          latencies.push(performance.now() - t0);
          if (!response.ok) failures++;
        }
      }),
    );
    latencies.sort((a, b) => a - b);

    const result = {
      clusters: settings.clusters,
      pods,
      components: services.length,
      scanSecondsWall: Number(wallSeconds.toFixed(2)),
      scanSecondsPerCluster: scans.map(s =>
        Number((s.lastScan!.durationMs / 1000).toFixed(2)),
      ),
      workloadsPerCluster: scans.map(s => s.lastScan!.workloadCount),
      scanErrors: scans.reduce((sum, s) => sum + s.lastScan!.errors.length, 0),
      apiRequests: requests,
      backendPeakRssMiB: peakRssMiB(backend.pid!),
      reportRequests: latencies.length,
      reportFailures: failures,
      reportP50Ms: Number(percentile(latencies, 50).toFixed(1)),
      reportP95Ms: Number(percentile(latencies, 95).toFixed(1)),
    };
    console.log(`
scan (wall, all clusters in parallel)  ${result.scanSecondsWall} s
scan per cluster                       ${result.scanSecondsPerCluster.join(
      ' / ',
    )} s
workloads per cluster                  ${result.workloadsPerCluster.join(' / ')}
API requests to clusters               ${result.apiRequests}
backend peak RSS                       ${result.backendPeakRssMiB} MiB
report endpoint (${settings.concurrency} concurrent)      p50 ${
      result.reportP50Ms
    } ms, p95 ${result.reportP95Ms} ms over ${
      result.reportRequests
    } requests (${failures} failed)
`);
    console.log(`RESULT ${JSON.stringify(result)}`);
  } catch (error) {
    console.error(
      `Benchmark failed: ${error}\n--- backend stderr (tail) ---\n${stderr}`,
    );
    process.exitCode = 1;
  } finally {
    stopBackend();
    await Promise.all(clusters.map(c => c.stop()));
  }
}

main();
