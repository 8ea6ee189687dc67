import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  compareWeakness,
  entityScore,
  type EntityScore,
} from '@internal/plugin-kubernetes-security-common';
import { createImageVerificationService } from '@internal/plugin-kubernetes-security-signatures-node';
import {
  loadSimulatorConfig,
  startDemoRegistry,
  startSimulatorFromConfig,
} from '@internal/simulated-cluster';
import type {
  DemoRegistry,
  SimulatedCluster,
} from '@internal/simulated-cluster';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { demoComponents, EXAMPLES } from '../__testUtils__/demo';
import { createServiceLocator } from '../clusters/serviceLocator';
import { ReportStore } from '../store/ReportStore';
import {
  demoScanService,
  simulatedClusterDefinition,
} from '../__testUtils__/scanService';

jest.setTimeout(120_000);

const database = TestDatabases.create({ ids: ['SQLITE_3'] });

/** app-config.yaml as the demo backend reads it, its demo registry variables set. */
function demoAppConfig(demo: DemoRegistry) {
  const text = readFileSync(resolve(EXAMPLES, '../app-config.yaml'), 'utf8')
    .replace(
      /\$\{KUBERNETES_SECURITY_DEMO_REGISTRY_DIR:-[^}]*\}/g,
      resolve(demo.trustedRootPath, '..'),
    )
    .replace(
      /\$\{KUBERNETES_SECURITY_DEMO_REGISTRY_URL:-[^}]*\}/g,
      demo.registry.url,
    );
  return new ConfigReader(parse(text));
}

/**
 * The demo as `scripts/demo.sh` runs it (the clusters of
 * examples/clusters/simulator.yaml, the demo registry, app-config.yaml's
 * service locator and signature settings), scanned once: the grade of every
 * demo Component must say how risky it really is.
 */
describe('ScanService: the grades of the demo Components', () => {
  let demo: DemoRegistry;
  let clusters: SimulatedCluster[] = [];
  const scores = new Map<string, EntityScore>();

  beforeAll(async () => {
    demo = await startDemoRegistry();
    const simulator = await loadSimulatorConfig(
      resolve(EXAMPLES, 'clusters/simulator.yaml'),
    );
    clusters = await startSimulatorFromConfig({
      clusters: simulator.clusters.map(
        ({ port: _port, ...cluster }) => cluster,
      ),
    });
    const config = demoAppConfig(demo);
    const signatures = await createImageVerificationService({ config });
    const knex = await database.init('SQLITE_3');
    const store = await ReportStore.create(mockServices.database({ knex }));
    const service = demoScanService(store, {
      serviceLocator: createServiceLocator(config),
      signatures: {
        service: signatures!.service,
        policies: signatures!.settings.policies,
      },
    });
    for (const cluster of clusters) {
      await service.scanCluster(
        simulatedClusterDefinition(cluster, 'demo-reader-token'),
      );
    }
    for (const entity of demoComponents()) {
      const ref = `component:default/${entity.metadata.name}`;
      const score = entityScore(await store.getEntityReports(ref));
      if (score) scores.set(entity.metadata.name, score);
    }
  });

  afterAll(async () => {
    await Promise.all([...clusters.map(c => c.stop()), demo?.stop()]);
  });

  const scoreOf = (name: string) => {
    const score = scores.get(name);
    if (!score) throw new Error(`${name} has no score`);
    return score;
  };
  const weaker = (a: string, b: string) =>
    compareWeakness(scoreOf(a), scoreOf(b)) < 0 &&
    scoreOf(a).score < scoreOf(b).score;

  it('grades every Component the demo locates', () => {
    expect([...scores.keys()].sort()).toEqual([
      'checkout-web',
      'checkout-worker',
      'ci-deployer',
      'edge-gateway',
      'metrics-gateway',
      'node-agent',
      'payments-api',
      'payments-ledger',
      'windows-log-collector',
    ]);
  });

  it('puts a privileged, host-PID, SYS_ADMIN agent strictly below a web app that only runs as root without seccomp', () => {
    expect(weaker('node-agent', 'checkout-web')).toBe(true);
    const others = [...scores.keys()].filter(name => name !== 'node-agent');
    expect(others.filter(name => !weaker('node-agent', name))).toEqual([]);
  });

  it('ranks a critical finding (a Windows HostProcess pod) below every Component without one', () => {
    const withoutCritical = [...scores]
      .filter(
        ([, score]) =>
          !score.explanation.deductions.some(d =>
            d.checks.some(c => c.severity === 'critical'),
          ),
      )
      .map(([name]) => name);
    expect(withoutCritical.length).toBeGreaterThan(3);
    expect(
      withoutCritical.filter(name => !weaker('windows-log-collector', name)),
    ).toEqual([]);
  });

  it('separates risk levels instead of saturating at the floor', () => {
    const atZero = [...scores].filter(([, s]) => s.score === 0);
    expect(atZero.length).toBeLessThanOrEqual(2);
    expect(
      new Set([...scores.values()].map(s => s.grade)).size,
    ).toBeGreaterThanOrEqual(4);
    expect(scoreOf('payments-api').grade).toBe('A');
    expect(weaker('checkout-web', 'payments-ledger')).toBe(true);
  });
});
