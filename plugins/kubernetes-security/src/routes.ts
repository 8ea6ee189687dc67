import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The plugin's page: team scorecards, with the clusters view below it. */
export const rootRouteRef = createRouteRef({ id: 'kubernetes-security' });

/** Every cluster: scans, versions, permissions and configuration problems. */
export const clustersRouteRef = createSubRouteRef({
  id: 'kubernetes-security:clusters',
  parent: rootRouteRef,
  path: '/clusters',
});

/** One cluster's panel. */
export const clusterRouteRef = createSubRouteRef({
  id: 'kubernetes-security:cluster',
  parent: rootRouteRef,
  path: '/clusters/:cluster',
});

export const entityContentRouteRef = createRouteRef({
  id: 'kubernetes-security:entity-content',
});

export const groupContentRouteRef = createRouteRef({
  id: 'kubernetes-security:group-content',
});
