import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { kubernetesSecurityApiRef } from './api/KubernetesSecurityApi';
import { KubernetesSecurityClient } from './api/KubernetesSecurityClient';

export const entityContentRouteRef = createRouteRef({
  id: 'kubernetes-security:entity-content',
});

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
  routes: { entityContent: entityContentRouteRef },
});

/** The Security tab, for `EntityLayout.Route` on entity pages. */
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
