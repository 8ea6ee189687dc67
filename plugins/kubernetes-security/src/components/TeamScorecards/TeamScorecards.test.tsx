import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { configure, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  KubernetesSecurityApi,
  kubernetesSecurityApiRef,
} from '../../api/KubernetesSecurityApi';
import { GroupSecurityContent } from './GroupSecurityContent';
import { KubernetesSecurityPage } from '../KubernetesSecurityPage';
import { platformDetail, scorecards } from './testFixtures';

jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 15_000 });

const routes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

function render(api: Partial<KubernetesSecurityApi>, children: JSX.Element) {
  return renderInTestApp(
    <TestApiProvider apis={[[kubernetesSecurityApiRef, api]]}>
      {children}
    </TestApiProvider>,
    routes,
  );
}

const platform: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'platform', namespace: 'default' },
  spec: { type: 'department', children: [] },
};

describe('KubernetesSecurityPage: team scorecards', () => {
  it('ranks teams with their grade, distribution, worst services and trend', async () => {
    const getTeamScorecards = jest.fn().mockResolvedValue(scorecards);
    await render({ getTeamScorecards }, <KubernetesSecurityPage />);
    expect(await screen.findByText('Team scorecards')).toBeInTheDocument();
    const rows = screen.getAllByRole('row');
    const payments = rows.find(r => within(r).queryByText('Payments'))!;
    expect(
      within(payments).getByRole('link', { name: 'Payments' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/group/team-payments/kubernetes-security',
    );
    expect(
      within(payments).getByLabelText('Security grade A, score 96'),
    ).toBeInTheDocument();
    expect(within(payments).getByText('2 of 2 scanned')).toBeInTheDocument();
    expect(
      within(payments).getByRole('img', {
        name: 'Grades: 2 A, 0 B, 0 C, 0 D, 0 F',
      }),
    ).toBeInTheDocument();
    expect(
      within(payments).getByRole('img', {
        name: /Average score of Payments: Score 90 on 2026-11-20, 96 on 2026-11-22 \(up 6 points\)/,
      }),
    ).toBeInTheDocument();

    const infra = rows.find(r => within(r).queryByText('Infrastructure'))!;
    expect(
      within(infra).getByRole('link', {
        name: 'Security grade F, score 0, partly outdated',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/node-agent/kubernetes-security',
    );
    // A service without a title shows its name.
    expect(within(infra).getByText('ci-deployer')).toBeInTheDocument();

    const design = rows.find(r => within(r).queryByText('Design'))!;
    expect(within(design).getByText('not scanned')).toBeInTheDocument();
    expect(within(design).getByText('No history yet')).toBeInTheDocument();
    expect(getTeamScorecards).toHaveBeenCalledWith({ days: 30 });
  });

  it('asks again for another window', async () => {
    const getTeamScorecards = jest.fn().mockResolvedValue(scorecards);
    await render({ getTeamScorecards }, <KubernetesSecurityPage />);
    await screen.findByText('Team scorecards');
    await userEvent.click(
      screen.getByLabelText('Trend over', { selector: '[role="button"]' }),
    );
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('90 days'),
    );
    expect(getTeamScorecards).toHaveBeenLastCalledWith({ days: 90 });
  });

  it('shows the loading shape, then errors', async () => {
    let fail: (e: Error) => void = () => {};
    const getTeamScorecards = jest.fn(
      () => new Promise((_, reject) => (fail = reject)),
    );
    await render(
      { getTeamScorecards: getTeamScorecards as any },
      <KubernetesSecurityPage />,
    );
    expect(
      screen.getByLabelText('Loading team scorecards'),
    ).toBeInTheDocument();
    fail(new Error('scorecards down'));
    expect(
      (await screen.findAllByText(/scorecards down/)).length,
    ).toBeGreaterThan(0);
  });

  it('explains an empty organisation', async () => {
    await render(
      {
        getTeamScorecards: jest
          .fn()
          .mockResolvedValue({ ...scorecards, teams: [] }),
      },
      <KubernetesSecurityPage />,
    );
    expect(await screen.findByText(/No teams to show/)).toBeInTheDocument();
  });
});

describe('GroupSecurityContent', () => {
  it("shows the team's grade, trend, services and sub-teams", async () => {
    const getTeamScorecard = jest.fn().mockResolvedValue(platformDetail);
    await render(
      { getTeamScorecard },
      <EntityProvider entity={platform}>
        <GroupSecurityContent />
      </EntityProvider>,
    );
    expect(
      await screen.findByRole('img', { name: 'Grade F' }),
    ).toBeInTheDocument();
    expect(screen.getByText('38 / 100 on average')).toBeInTheDocument();
    expect(
      screen.getByText(/2 of 3 services scanned, sub-teams included · rank 3/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: /Average score of Platform: Score 40 on 2026-11-20, 38 on 2026-11-21/,
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('Services (3)')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Node Agent' })).toHaveAttribute(
      'href',
      '/catalog/default/component/node-agent/kubernetes-security',
    );
    expect(
      screen.getByText(/5 minutes ago \(a cluster failed since\)/),
    ).toBeInTheDocument();
    expect(screen.getByText('windows-log-collector')).toBeInTheDocument();
    expect(screen.getByText('Sub-teams')).toBeInTheDocument();
    expect(getTeamScorecard).toHaveBeenCalledWith(
      { kind: 'Group', namespace: 'default', name: 'platform' },
      { days: 30 },
    );
  });

  it('says when none of the services was scanned', async () => {
    await render(
      {
        getTeamScorecard: jest.fn().mockResolvedValue({
          ...platformDetail,
          team: {
            ...platformDetail.team,
            grade: undefined,
            averageScore: undefined,
            rank: undefined,
            scannedCount: 0,
          },
          services: [{ entityRef: 'component:default/x' }],
          children: [],
        }),
      },
      <EntityProvider entity={platform}>
        <GroupSecurityContent />
      </EntityProvider>,
    );
    expect(
      await screen.findByText(
        /None of this team's 3 services has been scanned yet/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('not scanned')).toBeInTheDocument();
  });

  it('shows an error', async () => {
    await render(
      {
        getTeamScorecard: jest
          .fn()
          .mockRejectedValue(new Error('No team found')),
      },
      <EntityProvider entity={platform}>
        <GroupSecurityContent />
      </EntityProvider>,
    );
    expect(
      (await screen.findAllByText(/No team found/)).length,
    ).toBeGreaterThan(0);
  });
});
