import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { configure, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import {
  KubernetesSecurityApi,
  kubernetesSecurityApiRef,
} from '../../api/KubernetesSecurityApi';
import { rootRouteRef } from '../../routes';
import { KubernetesSecurityPage } from '../KubernetesSecurityPage';
import { clusterList } from './testFixtures';

jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 15_000 });

/** The page where an app mounts it, opened at `path`. */
function renderPage(api: Partial<KubernetesSecurityApi>, path: string) {
  return renderInTestApp(
    <TestApiProvider apis={[[kubernetesSecurityApiRef, api]]}>
      <Routes>
        <Route
          path="/kubernetes-security/*"
          element={<KubernetesSecurityPage />}
        />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: { '/kubernetes-security': rootRouteRef },
    },
  );
}

const row = (text: string) =>
  screen.getAllByRole('row').find(r => within(r).queryByText(text))!;

describe('the clusters view', () => {
  it('lists every cluster with its version, last scan and what needs attention', async () => {
    await renderPage(
      { listClusters: jest.fn().mockResolvedValue(clusterList) },
      '/kubernetes-security/clusters',
    );
    expect(await screen.findByText('Clusters (3)')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Clusters' })).toHaveAttribute(
      'aria-selected',
      'true',
    );

    const prod = row('prod');
    expect(within(prod).getByRole('link', { name: 'prod' })).toHaveAttribute(
      'href',
      '/kubernetes-security/clusters/prod',
    );
    expect(within(prod).getByText('v1.30.1')).toBeInTheDocument();
    expect(within(prod).getByText(/supported upstream/)).toBeInTheDocument();
    expect(within(prod).getByText('succeeded')).toBeInTheDocument();
    expect(within(prod).getByText('1 missing permission')).toBeInTheDocument();

    const staging = row('staging');
    expect(within(staging).getByText('failed')).toBeInTheDocument();
    expect(
      within(staging).getByText('1 partial-data error'),
    ).toBeInTheDocument();

    const edge = row('Edge (catalog)');
    expect(within(edge).getByText('not scanned yet')).toBeInTheDocument();
    expect(
      within(edge).getByText('1 configuration problem'),
    ).toBeInTheDocument();

    // A locator that failed as a whole concerns no one cluster.
    expect(screen.getByText(/Cluster locators failed/)).toBeInTheDocument();
  });

  it("shows one cluster's panel: scan, identity, permissions, features, control-plane images", async () => {
    await renderPage(
      { listClusters: jest.fn().mockResolvedValue(clusterList) },
      '/kubernetes-security/clusters/prod',
    );
    expect(
      await screen.findByRole('heading', { name: 'Cluster prod', level: 2 }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All clusters' })).toHaveAttribute(
      'href',
      '/kubernetes-security/clusters',
    );
    expect(
      screen.getByText(/5\.2 s · 31 workloads, 9 entities/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/system:serviceaccount:backstage:kubernetes-security/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', {
        name: 'Permissions (1 missing of 2)',
        level: 3,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/list batch\/cronjobs — needed for CronJob workloads/),
    ).toBeInTheDocument();
    expect(screen.getByText(/kubernetes-security-missing/)).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Security features of prod' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('registry.k8s.io/kube-apiserver:v1.30.1'),
    ).toBeInTheDocument();
    expect(screen.getByText('Verified')).toBeInTheDocument();
  });

  it("shows a failed scan's errors", async () => {
    const listClusters = jest.fn().mockResolvedValue(clusterList);
    await renderPage({ listClusters }, '/kubernetes-security/clusters/staging');
    expect(await screen.findByText(/ECONNREFUSED/)).toBeInTheDocument();
    expect(screen.getByText('failed')).toBeInTheDocument();
  });

  it("shows a cluster's configuration problems, scanned or not", async () => {
    const listClusters = jest.fn().mockResolvedValue(clusterList);
    await renderPage({ listClusters }, '/kubernetes-security/clusters/edge');
    expect(
      await screen.findByText('URL is not allowed (fix resource:default/edge)'),
    ).toBeInTheDocument();
    expect(screen.getByText('Not scanned yet.')).toBeInTheDocument();
    expect(screen.queryByText(/gke locator/)).not.toBeInTheDocument();
  });

  it('says so for a cluster it does not know, or may not show', async () => {
    await renderPage(
      { listClusters: jest.fn().mockResolvedValue(clusterList) },
      '/kubernetes-security/clusters/nowhere',
    );
    expect(await screen.findByText('No cluster nowhere')).toBeInTheDocument();
  });

  it('moves between the team scorecards and the clusters by tab', async () => {
    const getTeamScorecards = jest
      .fn()
      .mockResolvedValue({ days: 30, teams: [] });
    await renderPage(
      {
        getTeamScorecards,
        listClusters: jest.fn().mockResolvedValue(clusterList),
      },
      '/kubernetes-security',
    );
    expect(await screen.findByText('Team scorecards')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('tab', { name: 'Clusters' }));
    expect(await screen.findByText('Clusters (3)')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('link', { name: 'prod' }));
    expect(
      await screen.findByRole('heading', { name: 'Cluster prod' }),
    ).toBeInTheDocument();
  });
});
