import type { Entity } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { ANNOTATION_KUBERNETES_CLUSTER } from '@internal/plugin-kubernetes-security-common';

/**
 * Decides which clusters an entity runs in, as the official plugin's
 * `serviceLocatorMethod` does: `multiTenant` (every cluster) or
 * `singleTenant` (the `backstage.io/kubernetes-cluster` annotation, else every
 * cluster).
 */
export type ServiceLocator = (entity: Entity, clusterName: string) => boolean;

export function createServiceLocator(config: Config): ServiceLocator {
  const type =
    config.getOptionalString('kubernetes.serviceLocatorMethod.type') ??
    'multiTenant';
  switch (type) {
    case 'multiTenant':
      return () => true;
    case 'singleTenant':
      return (entity, clusterName) => {
        const pinned =
          entity.metadata.annotations?.[ANNOTATION_KUBERNETES_CLUSTER];
        return !pinned || pinned === clusterName;
      };
    default:
      throw new Error(
        `Unsupported kubernetes.serviceLocatorMethod.type "${type}"; use multiTenant or singleTenant`,
      );
  }
}
