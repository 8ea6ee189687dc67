import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { kubernetesSecurityApiRef } from './api/KubernetesSecurityApi';
import { KubernetesSecurityClient } from './api/KubernetesSecurityClient';
import {
  clusterRouteRef,
  clustersRouteRef,
  entityContentRouteRef,
  groupContentRouteRef,
  rootRouteRef,
} from './routes';

/** The plugin for apps on the legacy frontend system. */
export const kubernetesSecurityPlugin = createPlugin({
  id: 'kubernetes-security',
  apis: [
    createApiFactory({
      api: kubernetesSecurityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new KubernetesSecurityClient(deps),
    }),
  ],
  routes: {
    root: rootRouteRef,
    clusters: clustersRouteRef,
    cluster: clusterRouteRef,
    entityContent: entityContentRouteRef,
    groupContent: groupContentRouteRef,
  },
});

/** The Security tab, for `EntityLayout.Route` on Component pages. */
export const EntityKubernetesSecurityContent = kubernetesSecurityPlugin.provide(
  createRoutableExtension({
    name: 'EntityKubernetesSecurityContent',
    component: () =>
      import('./components/EntitySecurityContent').then(
        m => m.EntitySecurityContent,
      ),
    mountPoint: entityContentRouteRef,
  }),
);

/** The overview card, for the entity Overview tab. */
export const EntityKubernetesSecurityCard = kubernetesSecurityPlugin.provide(
  createComponentExtension({
    name: 'EntityKubernetesSecurityCard',
    component: {
      lazy: () =>
        import('./components/EntitySecurityOverviewCard').then(
          m => m.EntitySecurityOverviewCard,
        ),
    },
  }),
);

/** A team's scorecard, for `EntityLayout.Route` on Group pages. */
export const EntityKubernetesSecurityTeamContent =
  kubernetesSecurityPlugin.provide(
    createRoutableExtension({
      name: 'EntityKubernetesSecurityTeamContent',
      component: () =>
        import('./components/TeamScorecards').then(m => m.GroupSecurityContent),
      mountPoint: groupContentRouteRef,
    }),
  );

/**
 * The team scorecards page, with the clusters view as its second tab, for a
 * `<Route path="/kubernetes-security">`.
 */
export const KubernetesSecurityPage = kubernetesSecurityPlugin.provide(
  createRoutableExtension({
    name: 'KubernetesSecurityPage',
    component: () =>
      import('./components/KubernetesSecurityPage').then(
        m => m.KubernetesSecurityPage,
      ),
    mountPoint: rootRouteRef,
  }),
);

/** An entity's grade as a chip linking to its Security tab; use it on any page. */
export const EntitySecurityGradeChip = kubernetesSecurityPlugin.provide(
  createComponentExtension({
    name: 'EntitySecurityGradeChip',
    component: {
      lazy: () =>
        import('./components/grades').then(m => m.EntitySecurityGradeChip),
    },
  }),
);
