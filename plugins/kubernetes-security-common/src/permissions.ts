import { createPermission } from '@backstage/plugin-permission-common';

/** Starting a scan outside the schedule ("Scan now"). */
export const kubernetesSecurityScanPermission = createPermission({
  name: 'kubernetes-security.scan.create',
  attributes: { action: 'create' },
});

export const kubernetesSecurityPermissions = [kubernetesSecurityScanPermission];
