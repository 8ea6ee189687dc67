import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type {
  EntityReport,
  Finding,
} from '@internal/plugin-kubernetes-security-common';
import { scoreFindings } from '@internal/plugin-kubernetes-security-common';
import { screen } from '@testing-library/react';
import { kubernetesSecurityApiRef } from '../../api/KubernetesSecurityApi';
import { EntitySecurityOverviewCard } from './EntitySecurityOverviewCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'agent',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'agent' },
  },
  spec: {},
};

const finding = (
  checkId: string,
  severity: Finding['severity'],
  message: string,
): Finding => ({
  checkId,
  severity,
  area: 'host-access',
  object: {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    namespace: 'tools',
    name: 'agent',
  },
  message,
  path: 'spec.template.spec',
});

const findings = [
  finding('host-network', 'high', 'shares the host network'),
  finding('privileged-container', 'critical', 'runs privileged'),
  finding('host-port', 'medium', 'uses host port 80'),
  finding('image-not-pinned-by-digest', 'low', 'image not pinned'),
];
const score = scoreFindings(findings);
const report: EntityReport = {
  entityRef: 'component:default/agent',
  errors: [],
  score: {
    score: score.score,
    grade: score.grade,
    cluster: 'prod',
    workload: { kind: 'DaemonSet', namespace: 'tools', name: 'agent' },
    explanation: score,
  },
  clusters: [
    {
      cluster: 'prod',
      scannedAt: new Date().toISOString(),
      attemptedAt: new Date().toISOString(),
      stale: false,
      labelSelector: 'backstage.io/kubernetes-id=agent',
      workloads: [
        {
          kind: 'DaemonSet',
          apiVersion: 'apps/v1',
          namespace: 'tools',
          name: 'agent',
          labels: {},
          serviceAccountName: 'default',
          containers: [],
          pods: [],
          findings,
          score,
        },
      ],
      namespaces: [],
      errors: [],
    },
  ],
};

describe('EntitySecurityOverviewCard', () => {
  it('shows the grade, counts by severity, the worst three findings and a link to the tab', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [kubernetesSecurityApiRef, { getEntityReport: async () => report }],
        ]}
      >
        <EntityProvider entity={entity}>
          <EntitySecurityOverviewCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByRole('img', { name: `Grade ${score.grade}` }),
    ).toBeInTheDocument();
    expect(screen.getByText(`${score.score} / 100`)).toBeInTheDocument();
    expect(screen.getByText('critical')).toBeInTheDocument();
    // Worst first; the fourth (low) finding is left to the tab.
    expect(screen.getByText(/runs privileged/)).toBeInTheDocument();
    expect(screen.getByText(/shares the host network/)).toBeInTheDocument();
    expect(screen.getByText(/uses host port 80/)).toBeInTheDocument();
    expect(screen.queryByText(/image not pinned/)).not.toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /View security details/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/agent/kubernetes-security',
    );
  });
});
