import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { Content } from '@backstage/core-components';
import SecurityIcon from '@material-ui/icons/Security';
import { kubernetesSecurityApiRef } from './api/KubernetesSecurityApi';
import { KubernetesSecurityClient } from './api/KubernetesSecurityClient';

const rootRouteRef = createRouteRef();

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

/** Team scorecards at `/kubernetes-security`; its title and icon make the nav item. */
const scorecardsPage = PageBlueprint.make({
  params: {
    path: '/kubernetes-security',
    title: 'Security scorecards',
    icon: <SecurityIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/TeamScorecards').then(m => (
        <Content>
          <m.TeamScorecardsContent />
        </Content>
      )),
  },
});

/** The plugin for apps on the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'kubernetes-security',
  routes: { root: rootRouteRef },
  extensions: [
    kubernetesSecurityApi,
    entitySecurityContent,
    groupSecurityContent,
    entitySecurityOverviewCard,
    scorecardsPage,
  ],
});
