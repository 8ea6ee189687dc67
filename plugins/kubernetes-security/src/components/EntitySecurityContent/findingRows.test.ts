import { findingRows } from './findingRows';
import { privileged, rootUser, twoClusterReport } from './testFixtures';

describe('findingRows', () => {
  it('lists a finding reported by several clusters once, with its clusters', () => {
    const rows = findingRows(twoClusterReport.clusters);
    expect(rows.map(r => [r.checkId, r.clusters.join(', ')] as const)).toEqual([
      ['privileged-container', 'prod, staging'],
      ['run-as-user-root', 'staging'],
      ['image-tag-missing-or-latest', 'prod, staging'],
    ]);
  });

  it("keeps each cluster's message and evidence where they differ", () => {
    const tag = findingRows(twoClusterReport.clusters).find(
      r => r.checkId === 'image-tag-missing-or-latest',
    )!;
    expect(tag.evidence).toBe('registry.example.com/ledger:prod-latest');
    expect(tag.occurrences).toEqual([
      {
        cluster: 'prod',
        message: 'Container "api" runs image ledger:prod-latest',
        evidence: 'registry.example.com/ledger:prod-latest',
      },
      {
        cluster: 'staging',
        message: 'Container "api" runs image ledger:staging-latest',
        evidence: 'registry.example.com/ledger:staging-latest',
      },
    ]);
  });

  it('tells apart the same check on another container, field or object', () => {
    const [prod] = twoClusterReport.clusters;
    const workload = prod.workloads[0];
    const rows = findingRows([
      {
        ...prod,
        workloads: [
          {
            ...workload,
            findings: [
              privileged,
              { ...privileged, container: 'sidecar' },
              { ...privileged, path: 'spec.template.spec.initContainers[0]' },
              { ...privileged, object: { ...privileged.object, name: 'b' } },
              rootUser,
            ],
          },
        ],
      },
    ]);
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map(r => r.id)).size).toBe(5);
  });
});
