import { Table } from '@backstage/core-components';
import type { Entity } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { EntityReportSummary } from '@internal/plugin-kubernetes-security-common';
import { configure, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { kubernetesSecurityApiRef } from '../../api/KubernetesSecurityApi';
import { EntitySecurityGradeChip } from './EntitySecurityGradeChip';
import {
  compareScores,
  createSecurityGradeColumn,
} from './securityGradeColumn';
import { SecurityGradeChip } from './SecurityGradeChip';

jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 10_000 });

const summary = (
  name: string,
  grade: EntityReportSummary['grade'],
  score: number,
  stale = false,
): EntityReportSummary => ({
  entityRef: `component:default/${name}`,
  clusters: ['prod'],
  workloadCount: 1,
  grade,
  score,
  stale,
  errorCount: 0,
});

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: {},
});

const routes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

function withApi(listEntitySummaries: jest.Mock, children: JSX.Element) {
  return renderInTestApp(
    <TestApiProvider
      apis={[[kubernetesSecurityApiRef, { listEntitySummaries }]]}
    >
      {children}
    </TestApiProvider>,
    routes,
  );
}

describe('grade chips', () => {
  it('links a scanned entity to its Security tab', async () => {
    await withApi(
      jest.fn().mockResolvedValue([summary('agent', 'D', 64, true)]),
      <EntitySecurityGradeChip entityRef="component:default/agent" />,
    );
    const link = await screen.findByRole('link', {
      name: 'Security grade D, score 64, partly outdated',
    });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/agent/kubernetes-security',
    );
  });

  it('marks entities that were never scanned, and says when grades are unavailable', async () => {
    await withApi(
      jest.fn().mockResolvedValue([]),
      <EntitySecurityGradeChip
        entityRef={{ kind: 'Component', namespace: 'default', name: 'new' }}
      />,
    );
    expect(await screen.findByLabelText('Not scanned')).toBeInTheDocument();
  });

  it('says when grades cannot be loaded', async () => {
    await withApi(
      jest.fn().mockRejectedValue(new Error('forbidden')),
      <EntitySecurityGradeChip entityRef="component:default/x" />,
    );
    expect(await screen.findByText('unavailable')).toBeInTheDocument();
  });

  it('fills a catalog column with one request for every row', async () => {
    const listEntitySummaries = jest
      .fn()
      .mockResolvedValue([
        summary('payments-api', 'A', 97),
        summary('node-agent', 'F', 12),
      ]);
    await withApi(
      listEntitySummaries,
      <Table
        columns={[
          { title: 'Name', field: 'entity.metadata.name' },
          createSecurityGradeColumn<{ entity: Entity }>(),
        ]}
        data={['payments-api', 'node-agent', 'docs'].map(name => ({
          entity: component(name),
        }))}
      />,
    );
    expect(
      await screen.findByRole('link', { name: 'Security grade A, score 97' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/kubernetes-security',
    );
    expect(
      screen.getByRole('link', { name: 'Security grade F, score 12' }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Not scanned')).toBeInTheDocument();
    expect(
      screen.getByRole('columnheader', { name: 'Security' }),
    ).toBeInTheDocument();
    expect(listEntitySummaries).toHaveBeenCalledTimes(1);
  });

  it('sorts the catalog column by score, never-scanned entities last', async () => {
    await withApi(
      jest
        .fn()
        .mockResolvedValue([
          summary('payments-api', 'A', 97),
          summary('node-agent', 'F', 12),
          summary('checkout', 'C', 74),
        ]),
      <Table
        columns={[
          { title: 'Name', field: 'entity.metadata.name' },
          createSecurityGradeColumn<{ entity: Entity }>(),
        ]}
        data={['payments-api', 'docs', 'node-agent', 'checkout'].map(name => ({
          entity: component(name),
        }))}
        options={{ paging: false }}
      />,
    );
    await screen.findByRole('link', { name: 'Security grade A, score 97' });
    const names = () =>
      screen
        .getAllByRole('row')
        .map(row => within(row).queryAllByRole('cell')[0]?.textContent)
        // Not the header row.
        .filter(Boolean);
    const sortBySecurity = () =>
      userEvent.click(
        within(
          screen.getByRole('columnheader', { name: 'Security' }),
        ).getByText('Security'),
      );
    await sortBySecurity();
    expect(names()).toEqual(['node-agent', 'checkout', 'payments-api', 'docs']);
    await sortBySecurity();
    expect(names()).toEqual(['payments-api', 'checkout', 'node-agent', 'docs']);
  });

  it('compares scores with the unscanned last in either direction', () => {
    expect(compareScores(12, 97)).toBeLessThan(0);
    expect(compareScores(undefined, 97)).toBeGreaterThan(0);
    expect(compareScores(97, undefined)).toBeLessThan(0);
    // Descending, material-table passes the rows swapped.
    expect(compareScores(undefined, 97, 'desc')).toBeLessThan(0);
    expect(compareScores(undefined, undefined, 'desc')).toBe(0);
  });

  it('renders a plain chip with a readable label', async () => {
    await renderInTestApp(<SecurityGradeChip grade="C" score={74} />);
    expect(
      screen.getByLabelText('Security grade C, score 74'),
    ).toHaveTextContent('C 74');
  });
});
