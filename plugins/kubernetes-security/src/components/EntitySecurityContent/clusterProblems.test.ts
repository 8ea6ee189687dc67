import type { ClusterStatus } from '@internal/plugin-kubernetes-security-common';
import { problemsAffectingEntity } from './clusterProblems';
import { prodReport, prodStatus } from './testFixtures';

const denied = (
  resource: string,
  neededFor: string,
): ClusterStatus['permissions'][number] => ({
  verb: 'list',
  resource,
  allowed: false,
  neededFor,
});

describe('problemsAffectingEntity', () => {
  it('says a missing permission once, though it is also a partial-data error', () => {
    expect(problemsAffectingEntity(prodReport, prodStatus)).toEqual([
      'batch/cronjobs: cronjobs is forbidden',
    ]);
  });

  it('keeps every gap where the entity runs, but not the cluster panel’s own', () => {
    const status = {
      ...prodStatus,
      permissions: [
        denied('secrets', 'legacy service-account tokens'),
        denied('nodes', 'Windows nodes (labels only)'),
      ],
    };
    expect(
      problemsAffectingEntity({ ...prodReport, errors: [] }, status),
    ).toEqual([
      'Missing permission: list secrets. Not shown: legacy service-account tokens.',
    ]);
  });

  it('where the entity has no workloads, keeps only what could hide them', () => {
    const elsewhere = {
      ...prodReport,
      workloads: [],
      namespaces: [],
      errors: [
        {
          type: 'FORBIDDEN' as const,
          resource: 'secrets',
          message: 'Missing permission: list secrets.',
        },
        {
          type: 'FORBIDDEN' as const,
          resource: 'apps/daemonsets',
          message: 'Missing permission: list apps/daemonsets.',
        },
      ],
    };
    expect(
      problemsAffectingEntity(elsewhere, {
        ...prodStatus,
        permissions: [
          denied('secrets', 'legacy service-account tokens'),
          denied('apps/daemonsets', 'DaemonSets'),
          denied('storage.k8s.io/csidrivers', "CSI drivers' fsGroupPolicy"),
        ],
      }),
    ).toEqual(['apps/daemonsets: Missing permission: list apps/daemonsets.']);
  });

  it('has nothing to say about a clean cluster', () => {
    expect(
      problemsAffectingEntity({ ...prodReport, errors: [] }, undefined),
    ).toEqual([]);
  });
});
