import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { EntityReport } from '@internal/plugin-kubernetes-security-common';
import { screen } from '@testing-library/react';
import { KubernetesSecurityApi, kubernetesSecurityApiRef } from '../../api/KubernetesSecurityApi';
import { EntitySecurityContent } from './EntitySecurityContent';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ledger', namespace: 'default', annotations },
  spec: {},
});

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

const report: EntityReport = {
  entityRef: 'component:default/ledger',
  errors: [],
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
          containers: [{ name: 'api', type: 'container', image: 'registry.example.com/ledger:1.4.2' }],
          pods: [],
          replicas: { desired: 3, ready: 2 },
        },
      ],
      errors: [{ type: 'FORBIDDEN', resource: 'batch/cronjobs', statusCode: 403, message: 'cronjobs is forbidden' }],
    },
    {
      cluster: 'staging',
      scannedAt: minutesAgo(120),
      attemptedAt: minutesAgo(1),
      stale: true,
      staleReason: 'Cannot reach 127.0.0.1:6552: ECONNREFUSED',
      labelSelector: 'backstage.io/kubernetes-id=ledger',
      workloads: [],
      errors: [],
    },
  ],
};

function renderWith(api: Partial<KubernetesSecurityApi>, annotations: Record<string, string>) {
  return renderInTestApp(
    <TestApiProvider apis={[[kubernetesSecurityApiRef, api]]}>
      <EntityProvider entity={entity(annotations)}>
        <EntitySecurityContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntitySecurityContent', () => {
  it('lists workloads per cluster with freshness and partial-data warnings', async () => {
    const getEntityReport = jest.fn().mockResolvedValue(report);
    await renderWith({ getEntityReport }, { 'backstage.io/kubernetes-id': 'ledger' });

    expect(getEntityReport).toHaveBeenCalledWith({ kind: 'Component', namespace: 'default', name: 'ledger' });
    expect(await screen.findByText('Workloads in prod')).toBeInTheDocument();
    expect(screen.getByText('ledger-api')).toBeInTheDocument();
    expect(screen.getByText('2/3 ready')).toBeInTheDocument();
    expect(screen.getByText(/scanned 3 minutes ago/)).toBeInTheDocument();
    expect(screen.getByText(/Cluster prod: partial data \(1 problem\)/)).toBeInTheDocument();
    expect(screen.getByText(/batch\/cronjobs: cronjobs is forbidden/)).toBeInTheDocument();
    // A failed cluster never looks clean: its stale banner explains why.
    expect(screen.getByText(/Cluster staging: data from the last successful scan/)).toBeInTheDocument();
    expect(screen.getByText(/ECONNREFUSED/)).toBeInTheDocument();
    expect(screen.getByText('No workloads match this entity in staging.')).toBeInTheDocument();
  });

  it('explains how to add annotations to an entity without them', async () => {
    const getEntityReport = jest.fn();
    await renderWith({ getEntityReport }, {});
    expect(screen.getByText('No Kubernetes annotations')).toBeInTheDocument();
    expect(getEntityReport).not.toHaveBeenCalled();
  });

  it('says when the entity has not been scanned yet', async () => {
    await renderWith(
      { getEntityReport: jest.fn().mockResolvedValue({ ...report, clusters: [] }) },
      { 'backstage.io/kubernetes-id': 'ledger' },
    );
    expect(await screen.findByText('Not scanned yet')).toBeInTheDocument();
  });

  it('shows an error when the report cannot be loaded', async () => {
    await renderWith(
      { getEntityReport: jest.fn().mockRejectedValue(new Error('backend down')) },
      { 'backstage.io/kubernetes-id': 'ledger' },
    );
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(0);
  });
});
