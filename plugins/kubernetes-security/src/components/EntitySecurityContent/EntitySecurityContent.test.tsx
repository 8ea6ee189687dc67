import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import type { EntityReport } from '@internal/plugin-kubernetes-security-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  KubernetesSecurityApi,
  kubernetesSecurityApiRef,
} from '../../api/KubernetesSecurityApi';
import { EntitySecurityContent } from './EntitySecurityContent';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ledger', namespace: 'default', annotations },
  spec: {},
});

const minutesAgo = (n: number) =>
  new Date(Date.now() - n * 60_000).toISOString();

const privileged = {
  checkId: 'privileged-container',
  severity: 'critical' as const,
  area: 'host-access' as const,
  object: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'payments',
    name: 'ledger-api',
  },
  container: 'api',
  message: 'Container "api" runs privileged',
  path: 'spec.template.spec.containers[0].securityContext.privileged',
  evidence: 'true',
};
const score = {
  score: 60,
  grade: 'D' as const,
  deductions: [
    {
      area: 'host-access' as const,
      points: 40,
      uncapped: 40,
      checks: [
        {
          checkId: 'privileged-container',
          severity: 'critical' as const,
          points: 40,
        },
      ],
    },
  ],
};

const report: EntityReport = {
  entityRef: 'component:default/ledger',
  errors: [],
  score: {
    score: 60,
    grade: 'D',
    cluster: 'prod',
    workload: { kind: 'Deployment', namespace: 'payments', name: 'ledger-api' },
    explanation: score,
  },
  clusters: [
    {
      cluster: 'prod',
      scannedAt: minutesAgo(3),
      attemptedAt: minutesAgo(3),
      stale: false,
      labelSelector: 'backstage.io/kubernetes-id=ledger',
      workloads: [
        {
          kind: 'Deployment',
          apiVersion: 'apps/v1',
          namespace: 'payments',
          name: 'ledger-api',
          labels: {},
          serviceAccountName: 'ledger',
          containers: [
            {
              name: 'api',
              type: 'container',
              image: 'registry.example.com/ledger:1.4.2',
            },
          ],
          pods: [],
          replicas: { desired: 3, ready: 2 },
          findings: [privileged],
          score,
        },
      ],
      namespaces: [{ name: 'payments', podSecurityLabels: {}, findings: [] }],
      errors: [
        {
          type: 'FORBIDDEN',
          resource: 'batch/cronjobs',
          statusCode: 403,
          message: 'cronjobs is forbidden',
        },
      ],
    },
    {
      cluster: 'staging',
      scannedAt: minutesAgo(120),
      attemptedAt: minutesAgo(1),
      stale: true,
      staleReason: 'Cannot reach 127.0.0.1:6552: ECONNREFUSED',
      labelSelector: 'backstage.io/kubernetes-id=ledger',
      workloads: [],
      namespaces: [],
      errors: [],
    },
  ],
};

function renderWith(
  api: Partial<KubernetesSecurityApi>,
  annotations: Record<string, string>,
  scanAllowed = true,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [kubernetesSecurityApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: scanAllowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
          }),
        ],
      ]}
    >
      <EntityProvider entity={entity(annotations)}>
        <EntitySecurityContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntitySecurityContent', () => {
  it('lists workloads per cluster with freshness and partial-data warnings', async () => {
    const getEntityReport = jest.fn().mockResolvedValue(report);
    await renderWith(
      { getEntityReport },
      { 'backstage.io/kubernetes-id': 'ledger' },
    );

    expect(getEntityReport).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'ledger',
    });
    expect(await screen.findByText('Workloads in prod')).toBeInTheDocument();
    expect(screen.getByText('ledger-api')).toBeInTheDocument();
    expect(screen.getByText('2/3 ready')).toBeInTheDocument();
    expect(screen.getByText(/scanned 3 minutes ago/)).toBeInTheDocument();
    expect(
      screen.getByText(/Cluster prod: partial data \(1 problem\)/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/batch\/cronjobs: cronjobs is forbidden/),
    ).toBeInTheDocument();
    // A failed cluster never looks clean: its stale banner explains why.
    expect(
      screen.getByText(/Cluster staging: data from the last successful scan/),
    ).toBeInTheDocument();
    expect(screen.getByText(/ECONNREFUSED/)).toBeInTheDocument();
    expect(
      screen.getByText('No workloads match this entity in staging.'),
    ).toBeInTheDocument();
  });

  it('shows the grade with its reason and the findings with remediation', async () => {
    await renderWith(
      { getEntityReport: jest.fn().mockResolvedValue(report) },
      { 'backstage.io/kubernetes-id': 'ledger' },
    );
    expect(
      await screen.findByRole('img', { name: 'Grade D' }),
    ).toBeInTheDocument();
    expect(screen.getByText('60 / 100')).toBeInTheDocument();
    expect(
      screen.getByText(
        /weakest workload: Deployment payments\/ledger-api in prod/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/−40 host-access: Privileged container \(critical\)/),
    ).toBeInTheDocument();
    expect(screen.getByText('Findings (1)')).toBeInTheDocument();
    expect(screen.getByText('critical')).toBeInTheDocument();
    expect(
      screen.getByText('Container "api" runs privileged'),
    ).toBeInTheDocument();
    // The detail panel carries the evidence, the fix and the docs link.
    await userEvent.click(screen.getByText('Container "api" runs privileged'));
    expect(
      await screen.findByText(
        'spec.template.spec.containers[0].securityContext.privileged',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/privileged: false/)).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Kubernetes documentation/ }),
    ).toHaveAttribute('href', expect.stringContaining('kubernetes.io'));
  });

  it('explains how to add annotations to an entity without them', async () => {
    const getEntityReport = jest.fn();
    await renderWith({ getEntityReport }, {});
    expect(screen.getByText('No Kubernetes annotations')).toBeInTheDocument();
    expect(getEntityReport).not.toHaveBeenCalled();
  });

  it('says when the entity has not been scanned yet', async () => {
    await renderWith(
      {
        getEntityReport: jest
          .fn()
          .mockResolvedValue({ ...report, clusters: [] }),
      },
      { 'backstage.io/kubernetes-id': 'ledger' },
    );
    expect(await screen.findByText('Not scanned yet')).toBeInTheDocument();
  });

  it('shows an error when the report cannot be loaded', async () => {
    await renderWith(
      {
        getEntityReport: jest.fn().mockRejectedValue(new Error('backend down')),
      },
      { 'backstage.io/kubernetes-id': 'ledger' },
    );
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
  });

  it('scans now and shows the new result when it arrives', async () => {
    const later = { ...report, clusters: report.clusters.map(c => ({ ...c, attemptedAt: new Date().toISOString(), scannedAt: new Date().toISOString() })) };
    const getEntityReport = jest
      .fn()
      .mockResolvedValueOnce(report) // first render
      .mockResolvedValueOnce(report) // attempt times before the scan
      .mockResolvedValue(later); // after it
    const startScan = jest.fn().mockResolvedValue({ started: ['prod', 'staging'] });
    await renderWith({ getEntityReport, startScan }, { 'backstage.io/kubernetes-id': 'ledger' });
    await userEvent.click(await screen.findByRole('button', { name: 'Scan now' }));
    expect(startScan).toHaveBeenCalledWith(['prod', 'staging']);
    expect(await screen.findByText('Scanning prod, staging…')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('status')).not.toBeInTheDocument(), { timeout: 5000 });
    // The report was loaded again once both clusters had a newer attempt.
    expect(getEntityReport.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(screen.getByRole('button', { name: 'Scan now' })).toBeEnabled();
  });

  it('disables Scan now without the scan permission', async () => {
    await renderWith(
      { getEntityReport: jest.fn().mockResolvedValue(report), startScan: jest.fn() },
      { 'backstage.io/kubernetes-id': 'ledger' },
      false,
    );
    expect(await screen.findByRole('button', { name: 'Scan now' })).toBeDisabled();
  });
});
