import { emptyAdmissionInventory } from '../admission';
import type { Check, CheckMetadata } from '../checks/types';
import type { KubeObject } from '../kubernetes';
import { buildWorkloads, emptyClusterInventory } from '../workloads';
import { assessCluster } from './assessCluster';
import {
  selectEntityWorkloads,
  wholeClusterSelection,
  type ClusterSnapshot,
} from './clusterSnapshot';

const metadata: Omit<CheckMetadata, 'id'> = {
  title: 'Test check',
  severity: 'high',
  area: 'workload-hardening',
  rationale: 'For tests.',
  remediation: { text: 'None.', yaml: 'spec: {}' },
  docs: 'https://kubernetes.io/docs/',
  equivalents: {},
};

const throwing = (scope: Check['scope']) =>
  ({
    ...metadata,
    id: `throws-on-${scope}`,
    scope,
    run() {
      throw new Error('odd input');
    },
  } as Check);

const pod = (name: string, labels: Record<string, string>): KubeObject => ({
  kind: 'Pod',
  metadata: { name, namespace: 'shop', labels },
  spec: { containers: [{ name: 'app', image: 'app:1' }] },
});

function snapshotOf(objects: KubeObject[]): ClusterSnapshot {
  return {
    cluster: 'test',
    scannedAt: '2026-01-01T00:00:00Z',
    workloads: buildWorkloads({ ...emptyClusterInventory(), pods: objects }),
    context: {
      namespaces: [{ kind: 'Namespace', metadata: { name: 'shop' } }],
      serviceAccounts: [],
    },
    admission: emptyAdmissionInventory(),
    errors: [],
  };
}

describe('assessCluster', () => {
  it('turns a throwing check of any scope into the same info finding', () => {
    const snapshot = snapshotOf([pod('web', {})]);
    const [{ report }] = assessCluster(
      snapshot,
      [wholeClusterSelection(snapshot, 'test')],
      {
        checks: [
          throwing('workload'),
          throwing('namespace'),
          throwing('admission'),
        ],
      },
    );
    const findings = [
      ...report.workloads[0].findings,
      ...report.namespaces[0].findings,
    ];
    expect(findings.map(f => [f.checkId, f.severity, f.message])).toEqual([
      [
        'throws-on-workload',
        'info',
        'Check "throws-on-workload" could not evaluate this object: odd input',
      ],
      [
        'throws-on-admission',
        'info',
        'Check "throws-on-admission" could not evaluate this object: odd input',
      ],
      [
        'throws-on-namespace',
        'info',
        'Check "throws-on-namespace" could not evaluate this object: odd input',
      ],
      [
        'throws-on-admission',
        'info',
        'Check "throws-on-admission" could not evaluate this object: odd input',
      ],
    ]);
    expect(report.workloads[0].score.score).toBe(100);
  });

  it('runs only the checks asked for, admission checks included', () => {
    const snapshot = snapshotOf([pod('web', {})]);
    const [{ report }] = assessCluster(
      snapshot,
      [wholeClusterSelection(snapshot, 'test')],
      { checks: [] },
    );
    expect(report.workloads[0].findings).toEqual([]);
    expect(report.namespaces[0].findings).toEqual([]);
  });

  it('assesses a workload once however many entities select it', () => {
    let runs = 0;
    const counting = {
      ...metadata,
      id: 'counting',
      scope: 'workload',
      run: () => {
        runs += 1;
        return [];
      },
    } as Check;
    const snapshot = snapshotOf([pod('web', { app: 'web' })]);
    const target = { serviceId: 'web', labelSelector: 'app=web' };
    const reports = assessCluster(
      snapshot,
      ['component:default/a', 'component:default/b'].map(ref =>
        selectEntityWorkloads(snapshot.workloads, ref, target),
      ),
      { checks: [counting] },
    );
    expect(reports.map(r => r.report.workloads.length)).toEqual([1, 1]);
    expect(runs).toBe(1);
  });

  it('reports a malformed selector on the entity, with the cluster errors', () => {
    const snapshot = {
      ...snapshotOf([pod('web', { app: 'web' })]),
      errors: [{ type: 'FORBIDDEN' as const, message: 'no nodes' }],
    };
    const [{ report }] = assessCluster(snapshot, [
      selectEntityWorkloads(snapshot.workloads, 'component:default/a', {
        serviceId: 'a',
        labelSelector: 'app in (web',
      }),
    ]);
    expect(report.workloads).toEqual([]);
    expect(report.errors).toEqual([
      { type: 'FORBIDDEN', message: 'no nodes' },
      expect.objectContaining({
        type: 'INVALID_ANNOTATION',
        message: expect.stringContaining('component:default/a'),
      }),
    ]);
  });
});
