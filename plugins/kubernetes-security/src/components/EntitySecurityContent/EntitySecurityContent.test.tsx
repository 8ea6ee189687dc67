import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import type { EntityHistoryResponse } from '@internal/plugin-kubernetes-security-common';
import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  KubernetesSecurityApi,
  kubernetesSecurityApiRef,
} from '../../api/KubernetesSecurityApi';
import { rootRouteRef } from '../../routes';
import { EntitySecurityContent } from './EntitySecurityContent';
import {
  minutesAgo,
  prodReport,
  prodStatus,
  report,
  reportWithoutSections,
  stagingReport,
  twoClusterReport,
} from './testFixtures';

// A full report renders several tables: slow on a busy machine.
jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 15_000 });

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ledger', namespace: 'default', annotations },
  spec: {},
});
const annotated = { 'backstage.io/kubernetes-id': 'ledger' };

const history: EntityHistoryResponse = {
  entityRef: 'component:default/ledger',
  days: 30,
  points: [
    { day: '2026-11-26', score: 60, grade: 'D' },
    { day: '2026-11-27', score: 24, grade: 'F' },
  ],
};

function renderWith(
  api: Partial<KubernetesSecurityApi>,
  annotations: Record<string, string> = annotated,
  scanAllowed = true,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          kubernetesSecurityApiRef,
          { getEntityHistory: jest.fn().mockResolvedValue(history), ...api },
        ],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: scanAllowed
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
          }),
        ],
      ]}
    >
      <EntityProvider entity={entity(annotations)}>
        <EntitySecurityContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/kubernetes-security': rootRouteRef } },
  );
}

/** Ids must be unique on the page: labels, anchors and ARIA point at them. */
function expectUniqueIds() {
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
}

const section = (name: string) => screen.getByRole('region', { name });
const filter = (label: string) =>
  screen.getByLabelText(label, { selector: '[role="button"]' });

describe('EntitySecurityContent', () => {
  it('shows the grade with its reason, trend and freshness', async () => {
    const getEntityHistory = jest.fn().mockResolvedValue(history);
    await renderWith({
      getEntityReport: jest.fn().mockResolvedValue(report),
      getEntityHistory,
    });
    expect(
      await screen.findByRole('img', { name: 'Grade F' }),
    ).toBeInTheDocument();
    // The numbers are the scoring model's (tested in the common package).
    const { score, explanation } = report.score!;
    const lost = (area: string) =>
      explanation.deductions.find(d => d.area === area)!.points;
    expect(screen.getByText(`${score} / 100`)).toBeInTheDocument();
    expect(
      screen.getByText(
        /weakest workload: Deployment payments\/ledger-api in prod/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        new RegExp(
          `−${lost(
            'host-access',
          )} host-access: Privileged container \\(critical, −\\d+\\)`,
        ),
      ),
    ).toBeInTheDocument();
    // An unknown check still explains the points it cost, under its id.
    expect(
      screen.getByText(
        new RegExp(
          `−${lost(
            'storage',
          )} storage: future-check-from-tomorrow \\(medium, −8\\)`,
        ),
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /prod scanned 3 minutes ago · staging scanned 2 hours ago \(last scan failed\)/,
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('img', {
        name: /Score over the last 30 days: Score 60 on 2026-11-26, 24 on 2026-11-27 \(down 36 points\)/,
      }),
    ).toBeInTheDocument();
    expect(getEntityHistory).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'ledger' },
      { days: 30 },
    );
  });

  it('never lets partial, failed, old or unauthorised data look clean', async () => {
    const old = {
      ...report,
      clusters: [
        { ...prodReport, scannedAt: minutesAgo(3 * 24 * 60) },
        report.clusters[1],
      ],
    };
    await renderWith({ getEntityReport: jest.fn().mockResolvedValue(old) });
    expect(
      await screen.findByText(
        /Cluster prod: partial data for this entity \(1 problem\)/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('batch/cronjobs: cronjobs is forbidden'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Cluster staging: data from the last successful scan/),
    ).toBeInTheDocument();
    expect(screen.getByText(/ECONNREFUSED/)).toBeInTheDocument();
    expect(
      screen.getByText(/Cluster prod: last scanned 3 days ago/),
    ).toBeInTheDocument();
    // The missing permission behind that 403 is said once, and the
    // cluster's panel has the rest (and the ClusterRole to apply).
    expect(screen.queryByText(/Missing permission/)).not.toBeInTheDocument();
    await userEvent.click(
      screen.getByText(/Cluster prod: partial data for this entity/),
    );
    expect(
      screen.getByRole('link', { name: /^Cluster prod: .*ClusterRole/ }),
    ).toHaveAttribute('href', '/kubernetes-security/clusters/prod');
  });

  it('leaves out cluster problems that do not touch the entity', async () => {
    const unrelated = {
      ...report,
      clusters: [
        { ...prodReport, errors: [] },
        {
          ...stagingReport,
          stale: false,
          errors: [
            {
              type: 'FORBIDDEN' as const,
              resource: 'secrets',
              message: 'Missing permission: list secrets.',
            },
          ],
        },
      ],
      clusterStatus: [
        {
          ...prodStatus,
          permissions: [
            {
              verb: 'list',
              resource: 'nodes',
              allowed: false,
              neededFor: 'Windows nodes (labels only)',
            },
          ],
        },
      ],
    };
    await renderWith({
      getEntityReport: jest.fn().mockResolvedValue(unrelated),
    });
    await screen.findByText('Findings (4)');
    // No workload of the entity runs in staging, and no entity depends on nodes.
    expect(screen.queryByText(/partial data/)).not.toBeInTheDocument();
    expect(screen.queryByText(/list secrets/)).not.toBeInTheDocument();
  });

  it('filters findings by severity, area and cluster, and searches them', async () => {
    await renderWith({ getEntityReport: jest.fn().mockResolvedValue(report) });
    expect(await screen.findByText('Findings (4)')).toBeInTheDocument();

    await userEvent.click(filter('Severity'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('medium'),
    );
    expect(screen.getByText('Findings (2 of 4)')).toBeInTheDocument();
    expect(
      screen.queryByText('Container "api" runs privileged'),
    ).not.toBeInTheDocument();

    await userEvent.click(filter('Area'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('Pod Security Admission'),
    );
    expect(screen.getByText('Findings (1 of 4)')).toBeInTheDocument();
    expect(
      screen.getByText('Namespace "payments" enforces no Pod Security level'),
    ).toBeInTheDocument();

    await userEvent.click(filter('Cluster'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('staging'),
    );
    expect(
      screen.getByText('No findings match these filters.'),
    ).toBeInTheDocument();

    for (const label of ['Severity', 'Area', 'Cluster']) {
      await userEvent.click(filter(label));
      await userEvent.click(
        within(screen.getByRole('listbox')).getByText('All'),
      );
    }
    await userEvent.type(screen.getByPlaceholderText('Filter'), 'UID 0');
    await waitFor(() =>
      expect(
        screen.queryByText('Container "api" runs privileged'),
      ).not.toBeInTheDocument(),
    );
    expect(
      screen.getByText('Container "api" runs as UID 0'),
    ).toBeInTheDocument();
  });

  it('opens a finding: evidence, remediation with copyable YAML, docs link', async () => {
    await renderWith({ getEntityReport: jest.fn().mockResolvedValue(report) });
    await userEvent.click(
      await screen.findByText('Container "api" runs privileged'),
    );
    const detail = await screen.findByTestId('finding-detail');
    expect(
      within(detail).getByText(
        /Deployment payments\/ledger-api \(apps\/v1\) in prod/,
      ),
    ).toBeInTheDocument();
    expect(within(detail).getByText('api')).toBeInTheDocument();
    expect(
      within(detail).getByText(
        'spec.template.spec.containers[0].securityContext.privileged',
      ),
    ).toBeInTheDocument();
    // The YAML is highlighted token by token, once its highlighter has loaded.
    await waitFor(() =>
      expect(detail.textContent).toContain('privileged: false'),
    );
    expect(
      within(detail).getByRole('button', { name: /copy/i }),
    ).toBeInTheDocument();
    expect(
      within(detail).getByRole('link', { name: /Kubernetes documentation/ }),
    ).toHaveAttribute('href', expect.stringContaining('kubernetes.io'));
  });

  it('renders a finding of a check it does not know', async () => {
    await renderWith({ getEntityReport: jest.fn().mockResolvedValue(report) });
    await userEvent.click(
      await screen.findByText('Volume "data" is group-writable by everyone'),
    );
    const detail = await screen.findByTestId('finding-detail');
    expect(
      within(detail).getByText(
        /no description of the check "\s*future-check-from-tomorrow/,
      ),
    ).toBeInTheDocument();
    expect(
      within(detail).getByText('spec.template.spec.volumes[0]'),
    ).toBeInTheDocument();
  });

  it('renders every collected section', async () => {
    await renderWith({ getEntityReport: jest.fn().mockResolvedValue(report) });
    await screen.findByText('Findings (4)');

    const hardening = section('Workload hardening');
    expect(
      within(hardening).getByText('Workloads in prod'),
    ).toBeInTheDocument();
    expect(within(hardening).getByText('ledger-api')).toBeInTheDocument();
    expect(within(hardening).getByText('2/3 ready')).toBeInTheDocument();
    expect(
      within(hardening).getByText(/Host access: 1 · Workload hardening: 1/),
    ).toBeInTheDocument();
    expect(
      within(hardening).getByText('No workloads match this entity in staging.'),
    ).toBeInTheDocument();

    const images = section('Image signatures');
    expect(within(images).getByText('Verified')).toBeInTheDocument();
    expect(
      within(images).getByText(
        /github.com\/example\/ledger\/.github\/workflows\/release.yaml/,
      ),
    ).toBeInTheDocument();
    expect(
      within(images).getByText(
        'issuer https://token.actions.githubusercontent.com',
      ),
    ).toBeInTheDocument();
    expect(within(images).getByText('payments-keyless')).toBeInTheDocument();
    // "Could not check" is its own state, never "unsigned".
    expect(
      within(images).getByText('Registry unreachable'),
    ).toBeInTheDocument();
    expect(within(images).getByText('no matching policy')).toBeInTheDocument();

    const tokens = section('Tokens & identity');
    expect(within(tokens).getByText('payments/ledger')).toBeInTheDocument();
    expect(
      within(tokens).getByText(
        /ledger-token-x7k2p: last used 2026-10-02; mounted by Deployment payments\/ledger-api \(env\)/,
      ),
    ).toBeInTheDocument();
    expect(within(tokens).getByText(/bank-token: 48 h/)).toBeInTheDocument();

    const admission = section('Admission');
    expect(
      within(admission).getByRole('table', {
        name: 'Admission coverage by namespace',
      }),
    ).toBeInTheDocument();
    expect(within(admission).getByText('deny')).toBeInTheDocument();
    expect(within(admission).getAllByText('not covered').length).toBe(3);
    expect(within(admission).getByText('Would be denied')).toBeInTheDocument();

    const storage = section('Storage (fsGroup)');
    expect(
      within(storage).getByText('Applied recursively on every mount'),
    ).toBeInTheDocument();
    expect(within(storage).getByText('2000 (Always)')).toBeInTheDocument();

    // Each cluster in one line, linking to its panel; what concerns the
    // cluster as a whole (identity, permissions, features) lives there.
    const clusters = section('Clusters');
    expect(within(clusters).getByText('v1.30.1')).toBeInTheDocument();
    expect(
      within(clusters).getByText(/supported upstream/),
    ).toBeInTheDocument();
    expect(
      within(clusters).getByRole('link', { name: 'staging' }),
    ).toHaveAttribute('href', '/kubernetes-security/clusters/staging');
    expect(
      within(clusters).getByText(/\(last scan failed\)/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Scanning as/)).not.toBeInTheDocument();

    // staging's report predates the sections: each says so.
    for (const name of [
      'Image signatures',
      'Tokens & identity',
      'Admission',
      'Storage (fsGroup)',
    ]) {
      expect(
        within(section(name)).getByText('staging: not collected.'),
      ).toBeInTheDocument();
    }
  });

  it('says "not collected" for every absent section, never "nothing found"', async () => {
    await renderWith({
      getEntityReport: jest.fn().mockResolvedValue(reportWithoutSections),
    });
    await screen.findByText(/Findings/);
    for (const name of [
      'Image signatures',
      'Tokens & identity',
      'Admission',
      'Storage (fsGroup)',
    ]) {
      expect(
        within(section(name)).getByText('prod: not collected.'),
      ).toBeInTheDocument();
    }
    expect(screen.queryByText(/run no images/)).not.toBeInTheDocument();
    expect(screen.queryByText(/mount no CSI-backed/)).not.toBeInTheDocument();
    expect(screen.queryByText(/No ServiceAccounts/)).not.toBeInTheDocument();
  });

  it('shows the shape of the page while it loads', async () => {
    await renderWith({ getEntityReport: () => new Promise(() => {}) });
    expect(screen.getByLabelText('Loading security report')).toHaveAttribute(
      'aria-busy',
      'true',
    );
  });

  it('says when the trend cannot be loaded, without hiding the report', async () => {
    await renderWith({
      getEntityReport: jest.fn().mockResolvedValue(report),
      getEntityHistory: jest.fn().mockRejectedValue(new Error('history down')),
    });
    expect(
      await screen.findByText(/Trend unavailable: history down/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(`${report.score!.score} / 100`),
    ).toBeInTheDocument();
  });

  it('explains how to add annotations to an entity without them', async () => {
    const getEntityReport = jest.fn();
    await renderWith({ getEntityReport }, {});
    expect(screen.getByText('No Kubernetes annotations')).toBeInTheDocument();
    expect(
      screen.getByText(/backstage.io\/kubernetes-id: my-service/),
    ).toBeInTheDocument();
    expect(getEntityReport).not.toHaveBeenCalled();
  });

  it('says when the entity has not been scanned yet', async () => {
    await renderWith({
      getEntityReport: jest.fn().mockResolvedValue({ ...report, clusters: [] }),
    });
    expect(await screen.findByText('Not scanned yet')).toBeInTheDocument();
  });

  it('says when no workload matches, rather than grading nothing', async () => {
    await renderWith({
      getEntityReport: jest.fn().mockResolvedValue({
        ...report,
        score: undefined,
        clusters: [{ ...prodReport, workloads: [], namespaces: [] }],
      }),
    });
    expect(
      await screen.findByText(/so there is nothing to grade/),
    ).toBeInTheDocument();
  });

  it('shows an error when the report cannot be loaded', async () => {
    await renderWith({
      getEntityReport: jest.fn().mockRejectedValue(new Error('backend down')),
    });
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
  });

  it('scans now and shows the new result when it arrives', async () => {
    const later = {
      ...report,
      clusters: report.clusters.map(c => ({
        ...c,
        attemptedAt: new Date().toISOString(),
        scannedAt: new Date().toISOString(),
      })),
    };
    const getEntityReport = jest
      .fn()
      .mockResolvedValueOnce(report) // first render
      .mockResolvedValueOnce(report) // attempt times before the scan
      .mockResolvedValue(later); // after it
    const startScan = jest
      .fn()
      .mockResolvedValue({ started: ['prod', 'staging'] });
    await renderWith({ getEntityReport, startScan });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Scan now' }),
    );
    expect(startScan).toHaveBeenCalledWith(['prod', 'staging']);
    expect(
      await screen.findByText('Scanning prod, staging…'),
    ).toBeInTheDocument();
    await waitFor(
      () => expect(screen.queryByRole('status')).not.toBeInTheDocument(),
      { timeout: 15_000 },
    );
    expect(getEntityReport.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(screen.getByRole('button', { name: 'Scan now' })).toBeEnabled();
    expect(
      screen.getByText(/staging scanned (now|\d+ seconds? ago)/),
    ).toBeInTheDocument();
  });

  it('disables Scan now without the scan permission', async () => {
    await renderWith(
      {
        getEntityReport: jest.fn().mockResolvedValue(report),
        startScan: jest.fn(),
      },
      annotated,
      false,
    );
    expect(
      await screen.findByRole('button', { name: 'Scan now' }),
    ).toBeDisabled();
  });

  it('shows a finding repeated in several clusters once, with its clusters', async () => {
    await renderWith({
      getEntityReport: jest.fn().mockResolvedValue(twoClusterReport),
    });
    expect(await screen.findByText('Findings (3)')).toBeInTheDocument();
    const row = (message: RegExp) =>
      screen.getAllByRole('row').find(r => within(r).queryByText(message))!;
    expect(
      within(row(/runs privileged/)).getByText('prod, staging'),
    ).toBeInTheDocument();
    expect(
      within(row(/runs as UID 0/)).getByText('staging'),
    ).toBeInTheDocument();

    await userEvent.click(filter('Cluster'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('prod'),
    );
    expect(screen.getByText('Findings (2 of 3)')).toBeInTheDocument();

    // Where the clusters disagree on the evidence, the details give each.
    await userEvent.click(screen.getByText(/runs image ledger:prod-latest/));
    const detail = await screen.findByTestId('finding-detail');
    expect(
      within(detail).getByText(
        /Deployment payments\/ledger-api \(apps\/v1\) in prod, staging/,
      ),
    ).toBeInTheDocument();
    expect(
      within(detail).getByText('registry.example.com/ledger:staging-latest'),
    ).toBeInTheDocument();
  });

  it('names each expand button after its finding, and says whether it is open', async () => {
    await renderWith({ getEntityReport: jest.fn().mockResolvedValue(report) });
    const toggle = await screen.findByRole('button', {
      name: 'Show details of Privileged container (Deployment payments/ledger-api, container api)',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(
      screen.queryByRole('button', { name: /visiblity toggle/ }),
    ).not.toBeInTheDocument();
    await userEvent.click(toggle);
    expect(await screen.findByTestId('finding-detail')).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: /^Show details of Privileged container/,
      }),
    ).toHaveAttribute('aria-expanded', 'true');
  });

  it('titles every section with a heading, and repeats no id', async () => {
    await renderWith({ getEntityReport: jest.fn().mockResolvedValue(report) });
    await screen.findByText('Findings (4)');
    for (const name of [
      'Security grade',
      'Findings (4)',
      'Workload hardening',
      'Image signatures',
      'Tokens & identity',
      'Admission',
      'Storage (fsGroup)',
      'Clusters',
    ]) {
      expect(
        screen.getByRole('heading', { name, level: 2 }),
      ).toBeInTheDocument();
    }
    // Below a section, its clusters (several) or its parts (one cluster).
    expect(
      screen.getByRole('heading', { name: 'Workloads in prod', level: 3 }),
    ).toBeInTheDocument();
    expect(
      within(section('Admission')).getByRole('heading', {
        name: 'prod',
        level: 3,
      }),
    ).toBeInTheDocument();
    expect(
      within(section('Admission')).getByRole('heading', {
        name: 'Dry run against the live objects',
        level: 4,
      }),
    ).toBeInTheDocument();
    expectUniqueIds();
  });

  it('never calls enforce=privileged a deny, and says why a policy is not enforced', async () => {
    const admission = prodReport.admission!;
    const privilegedNamespace = {
      ...report,
      clusters: [
        {
          ...prodReport,
          namespaces: [
            {
              name: 'payments',
              podSecurityLabels: {
                'pod-security.kubernetes.io/enforce': 'privileged',
              },
              findings: [],
            },
          ],
          admission: {
            ...admission,
            coverage: [
              {
                namespace: 'payments',
                cells: [
                  {
                    requirement: 'pod-security-level' as const,
                    strongestAction: 'deny' as const,
                    controls: [
                      {
                        mechanism: 'pod-security-admission' as const,
                        name: 'pod-security.kubernetes.io/enforce',
                        action: 'deny' as const,
                      },
                    ],
                  },
                ],
              },
            ],
            evaluations: [
              {
                ...admission.evaluations[0],
                outcome: 'not-enforced' as const,
                reason:
                  'no ValidatingAdmissionPolicyBinding names policy "deny-privileged", so the API server never evaluates it',
              },
            ],
          },
        },
      ],
    };
    await renderWith({
      getEntityReport: jest.fn().mockResolvedValue(privilegedNamespace),
    });
    await screen.findByText('Findings (3)');
    const matrix = within(section('Admission')).getByRole('table', {
      name: 'Admission coverage by namespace',
    });
    expect(within(matrix).queryByText('deny')).not.toBeInTheDocument();
    expect(within(matrix).getByText('not enforced')).toBeInTheDocument();
    expect(
      within(matrix).getByText('Why: enforce=privileged allows every pod'),
    ).toBeInTheDocument();
    expect(
      within(matrix).getByText('Pod Security enforce: privileged'),
    ).toBeInTheDocument();
    expect(
      within(section('Admission')).getByText('Not enforced'),
    ).toBeInTheDocument();
    expect(
      within(section('Admission')).getByText(
        /Why: no ValidatingAdmissionPolicyBinding names policy "deny-privileged"/,
      ),
    ).toBeInTheDocument();
  });
});
