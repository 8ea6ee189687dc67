import { Header, Page, TabbedLayout } from '@backstage/core-components';
import { Route, Routes } from 'react-router-dom';
import { ClusterContent, ClustersContent } from '../Clusters';
import { TeamScorecardsContent } from '../TeamScorecards';

/**
 * The plugin's page below its header: team scorecards, and the clusters
 * (`clusters`, one cluster at `clusters/:cluster`), as tabs.
 */
export function KubernetesSecurityTabs() {
  return (
    <TabbedLayout>
      <TabbedLayout.Route path="/" title="Teams">
        <TeamScorecardsContent />
      </TabbedLayout.Route>
      <TabbedLayout.Route path="/clusters" title="Clusters">
        <Routes>
          <Route path="/" element={<ClustersContent />} />
          <Route path="/:cluster" element={<ClusterContent />} />
        </Routes>
      </TabbedLayout.Route>
    </TabbedLayout>
  );
}

/** The standalone page, for the legacy frontend system's routes. */
export function KubernetesSecurityPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Security scorecards"
        subtitle="Kubernetes security grades of each team's services, and the clusters behind them"
      />
      <KubernetesSecurityTabs />
    </Page>
  );
}
