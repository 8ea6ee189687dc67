import { createPermission } from '@backstage/plugin-permission-common';

/** Starting a scan outside the schedule ("Scan now"). */
export const kubernetesSecurityScanPermission = createPermission({
  name: 'kubernetes-security.scan.create',
  attributes: { action: 'create' },
});

/** The resource type of a cluster, for conditional decisions on its name. */
export const KUBERNETES_SECURITY_CLUSTER_RESOURCE_TYPE =
  'kubernetes-security-cluster';

/**
 * Seeing a cluster: its entry and configuration problems on `GET
 * /v1/clusters`, and its panel (version, the plugin's identity and missing
 * permissions there) in entity reports. A resource permission, so a policy
 * can allow some clusters by name (`IS_CLUSTER`).
 */
export const kubernetesSecurityClusterReadPermission = createPermission({
  name: 'kubernetes-security.cluster.read',
  attributes: { action: 'read' },
  resourceType: KUBERNETES_SECURITY_CLUSTER_RESOURCE_TYPE,
});

export const kubernetesSecurityPermissions = [
  kubernetesSecurityScanPermission,
  kubernetesSecurityClusterReadPermission,
];
