import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { kubernetesSecurityApiRef } from './api/KubernetesSecurityApi';
import { KubernetesSecurityClient } from './api/KubernetesSecurityClient';

const kubernetesSecurityApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: kubernetesSecurityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new KubernetesSecurityClient(deps),
    }),
});

/** The Security tab on Component pages. */
const entitySecurityContent = EntityContentBlueprint.make({
  params: {
    path: '/kubernetes-security',
    title: 'Security',
    // Also on Components without annotations: the tab then explains how to add them.
    filter: entity => entity.kind === 'Component',
    loader: () =>
      import('./components/EntitySecurityContent').then(m => (
        <m.EntitySecurityContent />
      )),
  },
});

/** The overview card on Component pages. */
const entitySecurityOverviewCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    filter: entity => entity.kind === 'Component',
    loader: () =>
      import('./components/EntitySecurityOverviewCard').then(m => (
        <m.EntitySecurityOverviewCard />
      )),
  },
});

/** The plugin for apps on the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'kubernetes-security',
  extensions: [
    kubernetesSecurityApi,
    entitySecurityContent,
    entitySecurityOverviewCard,
  ],
});
