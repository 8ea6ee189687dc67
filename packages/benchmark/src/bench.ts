/*
 * Scans a synthetic fleet served by simulated clusters through the real
 * backend, then compares two entity views of every Component on that same
 * fleet and backend, in one run:
 *
 * - ours: GET /api/kubernetes-security/v1/entities/component/default/<name>
 * - the official Kubernetes plugin's (@backstage/plugin-kubernetes-backend,
 *   configured from the same `kubernetes` config): POST
 *   /api/kubernetes/services/<name> with the body its frontend sends.
 *
 * For each, at every concurrency: views/s, p50/p95 latency, cluster API
 * requests per view, backend CPU ms per view and response bytes per view,
 * and the ratios; plus the scan's time, API requests and the backend's RSS.
 *
 * Default size (3 clusters × 2,000 pods):
 *
 *   yarn bench
 *
 * 3 clusters × 10,000 pods:
 *
 *   yarn bench --clusters 3 --namespaces 100 --pods-per-namespace 100 --unique-images 500 --services 500
 *
 * Other options: --requests 1000 (per phase), --concurrency 1,10,100,
 * --phase-seconds 30 (a phase stops starting requests after that),
 * --json <file> (the result as JSON). Everything runs on loopback.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  generateFleet,
  SimulatedCluster,
  startSimulatedCluster,
} from '@internal/simulated-cluster';
import type { LoadPhase, LoadResult, ViewRequest } from './loadWorker';

// Yarn sets PROJECT_CWD to the repository root for workspace scripts, and
// INIT_CWD to where `yarn bench` was typed.
const REPO_ROOT = process.env.PROJECT_CWD ?? resolve(process.cwd(), '../..');
const INVOCATION_DIR = process.env.INIT_CWD ?? process.cwd();
const PORT = Number(process.env.BENCH_BACKEND_PORT ?? 7107);
const BASE_URL = `http://localhost:${PORT}`;
const READER_TOKEN = 'bench-reader';

function textOption(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function option(name: string, fallback: number): number {
  const value = textOption(name);
  return value === undefined ? fallback : Number(value);
}

const jsonOutput = textOption('json');
const settings = {
  clusters: option('clusters', 3),
  namespaces: option('namespaces', 40),
  podsPerNamespace: option('pods-per-namespace', 50),
  uniqueImages: option('unique-images', 200),
  services: option('services', 120),
  requestsPerPhase: option('requests', 1000),
  concurrencies: (textOption('concurrency') ?? '1,10,100')
    .split(',')
    .map(Number),
  phaseSeconds: option('phase-seconds', 30),
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

/** Runs `work` over `items`, at most `concurrency` at a time. */
async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** The /proc/<pid>/stat fields after the command name of every process in a process group. */
function processGroupStats(
  processGroup: number,
): { pid: string; fields: string[] }[] {
  const stats = [];
  for (const pid of readdirSync('/proc').filter(name => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === processGroup) stats.push({ pid, fields });
    } catch {
      // process ended meanwhile
    }
  }
  return stats;
}

/** Peak resident memory (VmHWM) of the largest process in a process group, in MiB. */
function peakRssMiB(processGroup: number): number {
  let peak = 0;
  for (const { pid } of processGroupStats(processGroup)) {
    try {
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

const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) the processes of a group have used so far, in ms. */
function processGroupCpuMs(processGroup: number): number {
  let ticks = 0;
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat.
  for (const { fields } of processGroupStats(processGroup)) {
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

type ViewName = 'ours' | 'official';

interface PhaseResult {
  concurrency: number;
  requests: number;
  failures: number;
  seconds: number;
  viewsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  clusterRequestsPerView: number;
  /** Cluster answers other than 2xx during the phase. */
  clusterErrorAnswers: number;
  backendCpuMsPerView: number;
  /** As sent: gzip-compressed when the backend compresses, as for a browser. */
  wireBytesPerView: number;
}

interface ObjectsByEntityResponse {
  items: {
    cluster: { name: string };
    podMetrics: unknown[];
    resources: { type: string; resources: unknown[] }[];
    errors: { errorType: string }[];
  }[];
}

/** What one answer per Component showed, before the timed phases (it also warms both views up). */
interface ViewSample {
  components: number;
  failures: number;
  jsonBytesPerView: number;
  /** Official view only: what it found per view, and the errors it reported by type. */
  clustersPerView?: number;
  objectsPerView?: number;
  podMetricsPerView?: number;
  errorsByType?: Record<string, number>;
}

/** How many times less a view costs with ours: official ÷ ours. */
function timesBetter(oursCost: number, officialCost: number): string {
  if (oursCost === officialCost) return '1×';
  if (oursCost === 0) return '∞';
  const value = officialCost / oursCost;
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)}×`;
}

const formatNumber = (value: number) =>
  value.toLocaleString('en-US', { maximumFractionDigits: 1 });

function comparisonTable(
  phases: Record<ViewName, PhaseResult[]>,
  samples: Record<ViewName, ViewSample>,
): string {
  const rows = [
    '| Concurrency | View | Views/s | p50 ms | p95 ms | Cluster API requests/view | Backend CPU ms/view | Bytes/view over the wire | Bytes/view as JSON |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  phases.ours.forEach((ours, index) => {
    const official = phases.official[index];
    for (const [name, phase] of [
      ['ours', ours],
      ['official', official],
    ] as const) {
      rows.push(
        `| ${phase.concurrency} | ${name} | ${formatNumber(
          phase.viewsPerSecond,
        )} | ${formatNumber(phase.p50Ms)} | ${formatNumber(
          phase.p95Ms,
        )} | ${formatNumber(phase.clusterRequestsPerView)} | ${formatNumber(
          phase.backendCpuMsPerView,
        )} | ${formatNumber(phase.wireBytesPerView)} | ${formatNumber(
          samples[name].jsonBytesPerView,
        )} |`,
      );
    }
    rows.push(
      `| ${ours.concurrency} | **ours vs official** | **${timesBetter(
        1 / ours.viewsPerSecond,
        1 / official.viewsPerSecond,
      )}** | **${timesBetter(ours.p50Ms, official.p50Ms)}** | **${timesBetter(
        ours.p95Ms,
        official.p95Ms,
      )}** | **${timesBetter(
        ours.clusterRequestsPerView,
        official.clusterRequestsPerView,
      )}** | **${timesBetter(
        ours.backendCpuMsPerView,
        official.backendCpuMsPerView,
      )}** | **${timesBetter(
        ours.wireBytesPerView,
        official.wireBytesPerView,
      )}** | **${timesBetter(
        samples.ours.jsonBytesPerView,
        samples.official.jsonBytesPerView,
      )}** |`,
    );
  });
  return rows.join('\n');
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
        // Requests per view are counted from the log: keep all of a phase's.
        requestLogLimit: Number.POSITIVE_INFINITY,
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
  // Both plugins read this `kubernetes` section.
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
  const loadWorker = new Worker(require.resolve('./loadWorker'));

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
    const scanRequests = clusters.reduce(
      (sum, c) => sum + c.requestLog.length,
      0,
    );
    const scan = {
      scanSecondsWall: round(wallSeconds, 2),
      scanSecondsPerCluster: scans.map(s =>
        round(s.lastScan!.durationMs / 1000, 2),
      ),
      workloadsPerCluster: scans.map(s => s.lastScan!.workloadCount),
      scanErrors: scans.reduce((sum, s) => sum + s.lastScan!.errors.length, 0),
      apiRequests: scanRequests,
      backendPeakRssMiBAfterScan: peakRssMiB(backend.pid!),
    };

    // The Component as the catalog has it: what the official frontend posts.
    console.log('… reading the Components from the catalog');
    const entities = new Map<string, unknown>();
    await forEachConcurrently(services, 8, async service => {
      const response = await fetch(
        `${BASE_URL}/api/catalog/entities/by-name/component/default/${service}`,
        { headers },
      );
      if (!response.ok) {
        throw new Error(`catalog answered ${response.status} for ${service}`);
      }
      entities.set(service, await response.json());
    });

    const viewRequests: Record<ViewName, ViewRequest[]> = {
      ours: services.map(service => ({
        method: 'GET',
        path: `/api/kubernetes-security/v1/entities/component/default/${service}`,
        headers,
      })),
      // As KubernetesBackendClient.getObjectsByEntity sends it: the fetch API
      // adds the Backstage token, and `auth` stays empty because
      // serviceAccount clusters need no credentials from the browser.
      official: services.map(service => ({
        method: 'POST',
        path: `/api/kubernetes/services/${service}`,
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ auth: {}, entity: entities.get(service) }),
      })),
    };

    const samples = {} as Record<ViewName, ViewSample>;
    for (const view of ['ours', 'official'] as const) {
      console.log(`… one ${view} view per Component (warm-up and checks)`);
      const sample: ViewSample = {
        components: services.length,
        failures: 0,
        jsonBytesPerView: 0,
      };
      let jsonBytes = 0;
      let clustersSeen = 0;
      let objects = 0;
      let podMetrics = 0;
      const errorsByType: Record<string, number> = {};
      await forEachConcurrently(viewRequests[view], 8, async request => {
        const response = await fetch(`${BASE_URL}${request.path}`, {
          method: request.method,
          headers: request.headers,
          body: request.body,
        });
        const text = await response.text();
        jsonBytes += Buffer.byteLength(text);
        if (!response.ok) {
          sample.failures++;
          return;
        }
        if (view !== 'official') return;
        for (const item of (JSON.parse(text) as ObjectsByEntityResponse)
          .items) {
          clustersSeen++;
          podMetrics += item.podMetrics.length;
          for (const fetched of item.resources) {
            objects += fetched.resources.length;
          }
          for (const error of item.errors) {
            errorsByType[error.errorType] =
              (errorsByType[error.errorType] ?? 0) + 1;
          }
        }
      });
      sample.jsonBytesPerView = Math.round(jsonBytes / services.length);
      if (view === 'official') {
        sample.clustersPerView = round(clustersSeen / services.length);
        sample.objectsPerView = round(objects / services.length);
        sample.podMetricsPerView = round(podMetrics / services.length);
        sample.errorsByType = errorsByType;
      }
      samples[view] = sample;
    }

    const runPhase = (phase: LoadPhase) =>
      new Promise<LoadResult>((resolvePhase, reject) => {
        loadWorker.once('message', (result: LoadResult | { error: string }) =>
          'error' in result
            ? reject(new Error(result.error))
            : resolvePhase(result),
        );
        loadWorker.postMessage(phase);
      });

    const phases: Record<ViewName, PhaseResult[]> = { ours: [], official: [] };
    for (const concurrency of settings.concurrencies) {
      for (const view of ['ours', 'official'] as const) {
        console.log(`… ${view} views at concurrency ${concurrency}`);
        // Lets the previous phase's garbage and sockets settle.
        await new Promise(r => setTimeout(r, 1000));
        for (const cluster of clusters) cluster.clearRequestLog();
        const cpuBefore = processGroupCpuMs(backend.pid!);
        const load = await runPhase({
          baseUrl: BASE_URL,
          requests: viewRequests[view],
          concurrency,
          maxRequests: settings.requestsPerPhase,
          maxSeconds: settings.phaseSeconds,
        });
        const cpuMs = processGroupCpuMs(backend.pid!) - cpuBefore;
        const clusterRequests = clusters.flatMap(c => c.requestLog);
        const views = load.latenciesMs.length;
        phases[view].push({
          concurrency,
          requests: views,
          failures: load.failures,
          seconds: round(load.seconds, 2),
          viewsPerSecond: round(views / load.seconds),
          p50Ms: round(percentile(load.latenciesMs, 50)),
          p95Ms: round(percentile(load.latenciesMs, 95)),
          clusterRequestsPerView: round(clusterRequests.length / views),
          clusterErrorAnswers: clusterRequests.filter(
            entry => entry.status < 200 || entry.status >= 300,
          ).length,
          backendCpuMsPerView: round(cpuMs / views),
          wireBytesPerView: Math.round(load.wireBytes / views),
        });
      }
    }

    const result = {
      settings,
      fleet: {
        clusters: settings.clusters,
        pods,
        podsPerCluster: pods / settings.clusters,
        uniqueImages: settings.uniqueImages,
        components: services.length,
      },
      scan,
      backendPeakRssMiB: peakRssMiB(backend.pid!),
      views: {
        ours: {
          request:
            'GET /api/kubernetes-security/v1/entities/component/default/<name>',
          sample: samples.ours,
          phases: phases.ours,
        },
        official: {
          request:
            'POST /api/kubernetes/services/<name> { auth: {}, entity } (@backstage/plugin-kubernetes-backend)',
          sample: samples.official,
          phases: phases.official,
        },
      },
    };
    const failed = (['ours', 'official'] as const).flatMap(view => [
      ...(samples[view].failures
        ? [`${view}: ${samples[view].failures} warm-up views failed`]
        : []),
      ...phases[view]
        .filter(p => p.failures || p.clusterErrorAnswers)
        .map(
          p =>
            `${view} at concurrency ${p.concurrency}: ${p.failures} views failed, ${p.clusterErrorAnswers} cluster answers were not 2xx`,
        ),
    ]);
    const official = samples.official;
    console.log(`
Fleet: ${settings.clusters} clusters × ${formatNumber(
      pods / settings.clusters,
    )} pods, ${settings.uniqueImages} unique images, ${
      services.length
    } Components
Scan: ${
      scan.scanSecondsWall
    } s wall (per cluster ${scan.scanSecondsPerCluster.join(' / ')} s), ${
      scan.apiRequests
    } API requests, ${scan.scanErrors} errors; backend peak RSS ${
      scan.backendPeakRssMiBAfterScan
    } MiB after the scan, ${result.backendPeakRssMiB} MiB at the end

${comparisonTable(phases, samples)}

Ratios: how many times better ours is (views/s ours ÷ official; every cost official ÷ ours).
Bytes over the wire are gzip-compressed as for a browser; CPU is the backend's process group (utime + stime).
Official view per Component: ${official.clustersPerView} clusters, ${
      official.objectsPerView
    } objects, ${official.podMetricsPerView} pod metrics; errors reported: ${
      JSON.stringify(official.errorsByType) === '{}'
        ? 'none'
        : JSON.stringify(official.errorsByType)
    }
${failed.length ? `FAILURES:\n${failed.join('\n')}\n` : ''}`);
    if (jsonOutput) {
      const path = resolve(INVOCATION_DIR, jsonOutput);
      writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
      console.log(`Written to ${path}`);
    }
    if (failed.length) process.exitCode = 1;
  } catch (error) {
    console.error(
      `Benchmark failed: ${error}\n--- backend stderr (tail) ---\n${stderr}`,
    );
    process.exitCode = 1;
  } finally {
    await loadWorker.terminate();
    stopBackend();
    await Promise.all(clusters.map(c => c.stop()));
  }
}

main();
