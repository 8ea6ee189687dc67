import type {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  KUBERNETES_SECURITY_CLUSTER_RESOURCE_TYPE,
  kubernetesSecurityClusterReadPermission,
} from '@internal/plugin-kubernetes-security-common';
import { z } from 'zod';

/** What a cluster condition is applied to: the cluster's name. */
export interface ClusterResource {
  name: string;
}

export const clusterResourceRef = createPermissionResourceRef<
  ClusterResource,
  { names: string[] }
>().with({
  pluginId: 'kubernetes-security',
  resourceType: KUBERNETES_SECURITY_CLUSTER_RESOURCE_TYPE,
});

const isCluster = createPermissionRule({
  name: 'IS_CLUSTER',
  description: 'Allow the clusters with one of these names',
  resourceRef: clusterResourceRef,
  paramsSchema: z.object({
    names: z.array(z.string()).describe('Cluster names'),
  }),
  apply: (cluster, { names }) => names.includes(cluster.name),
  toQuery: ({ names }) => ({ names }),
});

/**
 * For permission policies: `clusterConditions.isCluster({ names: ['prod'] })`
 * in a conditional decision on `kubernetes-security.cluster.read`.
 */
export const {
  conditions: kubernetesSecurityClusterConditions,
  createConditionalDecision: createKubernetesSecurityClusterConditionalDecision,
} = createConditionExports({
  resourceRef: clusterResourceRef,
  rules: { isCluster },
});

/** Registers the cluster resource type, so policies can use its rules. */
export function registerClusterPermissions(
  registry: PermissionsRegistryService,
) {
  registry.addResourceType({
    resourceRef: clusterResourceRef,
    permissions: [kubernetesSecurityClusterReadPermission],
    rules: [isCluster],
    getResources: async names => names.map(name => ({ name })),
  });
}

/** Which clusters one caller may see. */
export interface VisibleClusters {
  /** Unconditionally allowed: also sees problems not tied to one cluster. */
  all: boolean;
  has(name: string): boolean;
}

/**
 * One conditional decision per request, applied to every cluster in memory
 * (cluster names are all the condition needs), instead of one permission
 * round trip per cluster.
 */
export function createClusterVisibility(
  permissions: PermissionsService,
  registry: PermissionsRegistryService,
) {
  const authorizeCondition = createConditionAuthorizer(
    registry.getPermissionRuleset(clusterResourceRef),
  );
  return async (
    credentials: BackstageCredentials,
  ): Promise<VisibleClusters> => {
    const [decision] = await permissions.authorizeConditional(
      [{ permission: kubernetesSecurityClusterReadPermission }],
      { credentials },
    );
    switch (decision.result) {
      case AuthorizeResult.ALLOW:
        return { all: true, has: () => true };
      case AuthorizeResult.CONDITIONAL:
        return {
          all: false,
          has: name => authorizeCondition(decision, { name }),
        };
      default:
        return { all: false, has: () => false };
    }
  };
}
