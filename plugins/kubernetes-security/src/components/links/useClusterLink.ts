import { clusterRouteRef } from '../../routes';
import { useOptionalRouteRef } from './useOptionalRouteRef';

/** The link to a cluster's panel on the plugin's page; undefined where that page is not mounted. */
export function useClusterLink(): (cluster: string) => string | undefined {
  const clusterRoute = useOptionalRouteRef(clusterRouteRef);
  return cluster => clusterRoute?.({ cluster });
}
