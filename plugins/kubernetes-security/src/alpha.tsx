import {
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import SecurityIcon from '@material-ui/icons/Security';
import { kubernetesSecurityApiRef } from './api/KubernetesSecurityApi';
import { KubernetesSecurityClient } from './api/KubernetesSecurityClient';
import { clusterRouteRef, clustersRouteRef, rootRouteRef } from './routes';

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

/** The Security tab on Group pages: the team's scorecard. */
const groupSecurityContent = EntityContentBlueprint.make({
  name: 'team',
  params: {
    path: '/kubernetes-security',
    title: 'Security',
    filter: entity => entity.kind === 'Group',
    loader: () =>
      import('./components/TeamScorecards').then(m => (
        <m.GroupSecurityContent />
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

/**
 * Team scorecards at `/kubernetes-security`, with the clusters view as its
 * second tab; its title and icon make the nav item.
 */
const scorecardsPage = PageBlueprint.make({
  params: {
    path: '/kubernetes-security',
    title: 'Security scorecards',
    icon: <SecurityIcon fontSize="inherit" />,
    // The components link with the legacy refs (they serve both systems).
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/KubernetesSecurityPage').then(m => (
        <m.KubernetesSecurityTabs />
      )),
  },
});

/** The plugin for apps on the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'kubernetes-security',
  routes: convertLegacyRouteRefs({
    root: rootRouteRef,
    clusters: clustersRouteRef,
    cluster: clusterRouteRef,
  }),
  extensions: [
    kubernetesSecurityApi,
    entitySecurityContent,
    groupSecurityContent,
    entitySecurityOverviewCard,
    scorecardsPage,
  ],
});
