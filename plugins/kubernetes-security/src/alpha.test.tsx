import { renderTestApp } from '@backstage/frontend-test-utils';
import { configure, screen } from '@testing-library/react';
import kubernetesSecurityPlugin from './alpha';
import { kubernetesSecurityApiRef } from './api/KubernetesSecurityApi';
import { clusterList } from './components/Clusters/testFixtures';
import { scorecards } from './components/TeamScorecards/testFixtures';

jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 15_000 });

describe('the new frontend system plugin', () => {
  it('serves the team scorecards page at /kubernetes-security', async () => {
    const getTeamScorecards = jest.fn().mockResolvedValue(scorecards);
    renderTestApp({
      features: [kubernetesSecurityPlugin],
      apis: [[kubernetesSecurityApiRef, { getTeamScorecards }]],
      initialRouteEntries: ['/kubernetes-security'],
    });
    expect(await screen.findByText('Team scorecards')).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Security scorecards' }),
    ).toBeInTheDocument();
    // The page's title and icon make its nav item (and the header's link).
    expect(
      screen
        .getAllByRole('link', { name: 'Security scorecards' })
        .map(link => link.getAttribute('href')),
    ).toContain('/kubernetes-security');
    // Without the catalog's entity pages, team names are plain text.
    expect(screen.getByText('Infrastructure')).toBeInTheDocument();
    expect(getTeamScorecards).toHaveBeenCalledWith({ days: 30 });
  });

  it('serves the clusters view below it, linking each cluster to its panel', async () => {
    const listClusters = jest.fn().mockResolvedValue(clusterList);
    renderTestApp({
      features: [kubernetesSecurityPlugin],
      apis: [[kubernetesSecurityApiRef, { listClusters }]],
      initialRouteEntries: ['/kubernetes-security/clusters'],
    });
    expect(await screen.findByRole('link', { name: 'prod' })).toHaveAttribute(
      'href',
      '/kubernetes-security/clusters/prod',
    );
  });

  it("serves one cluster's panel", async () => {
    const listClusters = jest.fn().mockResolvedValue(clusterList);
    renderTestApp({
      features: [kubernetesSecurityPlugin],
      apis: [[kubernetesSecurityApiRef, { listClusters }]],
      initialRouteEntries: ['/kubernetes-security/clusters/prod'],
    });
    expect(
      await screen.findByRole('heading', { name: 'Cluster prod' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All clusters' })).toHaveAttribute(
      'href',
      '/kubernetes-security/clusters',
    );
  });

  it('provides the tabs, the card, the page and the API', () => {
    for (const id of [
      'api:kubernetes-security',
      'entity-content:kubernetes-security',
      'entity-content:kubernetes-security/team',
      'entity-card:kubernetes-security/overview',
      'page:kubernetes-security',
    ]) {
      expect(kubernetesSecurityPlugin.getExtension(id as any)).toBeDefined();
    }
  });
});
