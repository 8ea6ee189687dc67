import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  ClusterReport,
  ClusterStatus,
} from '@internal/plugin-kubernetes-security-common';
import {
  loadManifests,
  SimulatedCluster,
  startSimulatedCluster,
} from '@internal/simulated-cluster';
import { resolve } from 'node:path';
import { EXAMPLES, READ_ALL, READER } from '../__testUtils__/demo';
import { ReportStore } from '../store/ReportStore';
import {
  demoScanService,
  simulatedClusterDefinition,
} from '../__testUtils__/scanService';

jest.setTimeout(60_000);

const database = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * Scans the demo clusters end to end (simulated API servers at 1.30 and
 * 1.26, a token with restricted RBAC) and reads what the store keeps: the
 * cluster panel, and the Tokens and Storage sections of the reports.
 */
describe('ScanService: identity, tokens, storage and the cluster panel', () => {
  const clusters: SimulatedCluster[] = [];
  let store: ReportStore;
  const statuses = new Map<string, ClusterStatus>();

  async function reportOf(
    entity: string,
    cluster: string,
  ): Promise<ClusterReport> {
    const reports = await store.getEntityReports(`component:default/${entity}`);
    const found = reports.find(report => report.cluster === cluster);
    if (!found) throw new Error(`no ${cluster} report for ${entity}`);
    return found;
  }

  beforeAll(async () => {
    const [prodObjects, stagingObjects] = await Promise.all([
      loadManifests(resolve(EXAMPLES, 'clusters/prod')),
      loadManifests(resolve(EXAMPLES, 'clusters/staging')),
    ]);
    const prod = await startSimulatedCluster({
      name: 'prod',
      version: 'v1.30.1',
      objects: prodObjects,
      tokens: [{ token: 'reader', username: READER, rules: [READ_ALL] }],
    });
    const staging = await startSimulatedCluster({
      name: 'staging',
      version: 'v1.26.3',
      objects: stagingObjects,
      tokens: [{ token: 'reader', username: READER, rules: [READ_ALL] }],
    });
    // Workloads only: no Secrets, bindings, storage or nodes.
    const restricted = await startSimulatedCluster({
      name: 'restricted',
      version: 'v1.30.1',
      objects: prodObjects,
      tokens: [
        {
          token: 'restricted',
          username: READER,
          rules: [
            {
              apiGroups: [''],
              resources: ['namespaces', 'pods', 'serviceaccounts'],
              verbs: ['list'],
            },
            { apiGroups: ['apps', 'batch'], resources: ['*'], verbs: ['list'] },
          ],
        },
      ],
    });
    clusters.push(prod, staging, restricted);

    const knex = await database.init('SQLITE_3');
    store = await ReportStore.create(mockServices.database({ knex }));
    const service = demoScanService(store);
    const token = {
      prod: 'reader',
      staging: 'reader',
      restricted: 'restricted',
    } as const;
    for (const cluster of clusters) {
      const name = cluster.name as keyof typeof token;
      const scan = await service.scanCluster(
        simulatedClusterDefinition(cluster, token[name]),
      );
      statuses.set(name, scan.status!);
    }
  });

  afterAll(async () => {
    await Promise.all(clusters.map(cluster => cluster.stop()));
  });

  it('tells who the plugin is where SelfSubjectReview is served, and why not elsewhere', async () => {
    expect(statuses.get('prod')!.identity).toMatchObject({
      username: READER,
      groups: expect.arrayContaining(['system:authenticated']),
      source: 'authentication.k8s.io/v1 SelfSubjectReview',
    });
    expect(statuses.get('staging')!.identity).toBeUndefined();
    expect(statuses.get('staging')!.identityUnavailableReason).toMatch(
      /alpha in 1\.26 .*APISelfSubjectReview/,
    );
    const ssr = statuses
      .get('staging')!
      .features.find(f => f.id === 'self-subject-review')!;
    expect(ssr).toMatchObject({ stage: 'not-available', kep: 'KEP-3325' });
  });

  it('judges the version and the v1.26 security features of each cluster', async () => {
    const prod = statuses.get('prod')!;
    const staging = statuses.get('staging')!;
    expect(prod.gitVersion).toBe('v1.30.1');
    expect(staging.support).toEqual({
      status: 'end-of-life',
      endOfLife: '2024-02-28',
    });
    const stage = (status: ClusterStatus, id: string) =>
      status.features.find(feature => feature.id === id)?.stage;
    expect(stage(prod, 'validating-admission-policy')).toBe('ga');
    expect(stage(prod, 'legacy-token-cleanup')).toBe('ga');
    expect(stage(staging, 'windows-host-process')).toBe('ga');
    expect(stage(staging, 'csi-fsgroup-delegation')).toBe('ga');
    expect(prod.features.map(feature => feature.id).sort()).toEqual([
      'csi-fsgroup-delegation',
      'legacy-token-cleanup',
      'release-signing',
      'self-subject-review',
      'validating-admission-policy',
      'windows-host-process',
    ]);
    expect(prod.permissions.every(permission => permission.allowed)).toBe(true);
    expect(prod.missingPermissionsClusterRole).toBeUndefined();
  });

  it('turns missing RBAC into explanations and the ClusterRole to grant, not clean results', async () => {
    const restricted = statuses.get('restricted')!;
    const denied = restricted.permissions
      .filter(p => !p.allowed)
      .map(p => p.resource);
    expect(denied).toEqual(
      expect.arrayContaining([
        'secrets',
        'rbac.authorization.k8s.io/rolebindings',
        'storage.k8s.io/csidrivers',
        'nodes',
      ]),
    );
    expect(denied).not.toContain('pods');
    expect(restricted.missingPermissionsClusterRole).toContain(
      'resources: ["csidrivers", "storageclasses"]',
    );
    expect(restricted.windowsNodes).toBeUndefined();

    const report = await reportOf('ci-deployer', 'restricted');
    expect(report.workloads.length).toBeGreaterThan(0);
    expect(report.errors).toContainEqual(
      expect.objectContaining({
        type: 'FORBIDDEN',
        resource: 'secrets',
        message: expect.stringMatching(
          /^Missing permission: list secrets\. Not shown: legacy service-account tokens/,
        ),
      }),
    );
    // Bindings unknown: the automount heuristic says so instead of "none".
    expect(
      report.serviceAccounts!.every(
        account => account.rbacBindings === 'unknown',
      ),
    ).toBe(true);
    expect(
      report.storage!.every(
        volume =>
          volume.outcome === 'unknown' || volume.outcome === 'no-fs-group',
      ),
    ).toBe(true);
  });

  it('lists the legacy tokens of a Component with their recorded use and who mounts them', async () => {
    const report = await reportOf('ci-deployer', 'prod');
    const tokens = report.serviceAccounts!.flatMap(
      account => account.legacyTokens,
    );
    expect(tokens).toContainEqual(
      expect.objectContaining({
        lastUsed: '2026-10-02',
        mountedBy: expect.arrayContaining([
          expect.objectContaining({ via: expect.stringMatching(/volume|env/) }),
        ]),
        ageDays: expect.any(Number),
      }),
    );
    expect(
      report.workloads.flatMap(w => w.findings).map(f => f.checkId),
    ).toContain('legacy-token-referenced');
  });

  it('reports fsGroup that a CSI driver with fsGroupPolicy None silently ignores', async () => {
    const reports = await Promise.all(
      ['checkout-web', 'checkout-worker'].map(name => reportOf(name, 'prod')),
    );
    const volumes = reports.flatMap(report => report.storage ?? []);
    expect(volumes).toContainEqual(
      expect.objectContaining({
        fsGroupPolicy: 'None',
        fsGroup: 2000,
        outcome: 'not-applied',
      }),
    );
    const findings = reports.flatMap(report =>
      report.workloads.flatMap(w => w.findings),
    );
    expect(findings).toContainEqual(
      expect.objectContaining({
        checkId: 'fsgroup-not-applied',
        area: 'storage',
      }),
    );
  });

  it('dry-runs the admission policies of the cluster against the Component', async () => {
    const report = await reportOf('metrics-gateway', 'prod');
    const outcomes = report.admission!.evaluations.map(e => e.outcome);
    expect(outcomes).toContain('would-be-denied');
    // A policy without a binding: what it would catch, marked as not enforced.
    expect(report.admission!.evaluations).toContainEqual(
      expect.objectContaining({
        policy: 'require-read-only-root-filesystem',
        outcome: 'not-enforced',
        reason: expect.stringContaining(
          'no ValidatingAdmissionPolicyBinding names',
        ),
      }),
    );
    expect(
      report.workloads.flatMap(w => w.findings).map(f => f.checkId),
    ).toContain('admission-would-deny');
    expect(report.admission!.coverage.map(c => c.namespace)).toEqual([
      'observability',
    ]);
    const payments = await reportOf('payments-api', 'prod');
    const signed = payments.admission!.coverage[0].cells.find(
      c => c.requirement === 'signed-images',
    )!;
    expect(signed.strongestAction).toBe('deny');
    // The restricted token may not list policies: said, not taken for "no policies".
    const restricted = statuses.get('restricted')!;
    expect(restricted.permissions).toContainEqual(
      expect.objectContaining({
        resource: 'admissionregistration.k8s.io/validatingadmissionpolicies',
        allowed: false,
      }),
    );
    expect(restricted.errors.map(e => e.resource)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/admissionregistration\.k8s\.io/),
      ]),
    );
  });

  it('lists Windows nodes from their labels', () => {
    expect(statuses.get('prod')!.windowsNodes).toEqual([
      'prod-win-1',
      'prod-win-2',
    ]);
  });
});
