import type { Entity } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { ANNOTATION_KUBERNETES_CLUSTER } from '@internal/plugin-kubernetes-security-common';

/**
 * Decides which clusters an entity runs in, as the official plugin's
 * `serviceLocatorMethod` does:
 * - `multiTenant` (the default): every cluster;
 * - `singleTenant`: the `backstage.io/kubernetes-cluster` annotation, else
 *   every cluster;
 * - `catalogRelation`: the clusters the entity has a `dependsOn` relation to,
 *   i.e. `resource:<entity namespace>/<cluster name>`; none without one.
 */
export type ServiceLocator = (entity: Entity, clusterName: string) => boolean;

const SERVICE_LOCATORS = ['multiTenant', 'singleTenant', 'catalogRelation'];

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
    case 'catalogRelation':
      return (entity, clusterName) => {
        // Relation targets are full refs in lower case; so are the ones we build.
        const target = `resource:${
          entity.metadata.namespace ?? 'default'
        }/${clusterName}`.toLocaleLowerCase('en-US');
        return (entity.relations ?? []).some(
          relation =>
            relation.type === 'dependsOn' &&
            relation.targetRef.toLocaleLowerCase('en-US') === target,
        );
      };
    default:
      throw new Error(
        `Unsupported kubernetes.serviceLocatorMethod.type "${type}"; use ${SERVICE_LOCATORS.join(
          ', ',
        )}`,
      );
  }
}
