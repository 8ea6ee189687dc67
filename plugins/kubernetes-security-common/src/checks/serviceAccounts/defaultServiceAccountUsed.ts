import type { WorkloadCheck } from '../types';
import { serviceAccountName } from './serviceAccountName';

export const defaultServiceAccountUsed: WorkloadCheck = {
  scope: 'workload',
  id: 'default-service-account-used',
  title: 'Pods run as the default ServiceAccount',
  severity: 'low',
  area: 'service-accounts',
  rationale:
    'Every pod of the namespace that names no ServiceAccount runs as `default`, so a permission granted to it for one ' +
    'application silently extends to all of them, and RBAC cannot be reviewed per workload. The risk is lower while ' +
    'the token is not mounted, but any later grant still applies to every such pod.',
  remediation: {
    text:
      'Create a ServiceAccount per workload and bind only the permissions it needs; disable token automounting ' +
      'on the `default` ServiceAccount.',
    yaml: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: my-app
automountServiceAccountToken: false
---
# in the pod template
spec:
  serviceAccountName: my-app`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts',
  equivalents: { cis: '5.1.5' },
  run({ workload }) {
    const spec = workload.template.spec;
    if (serviceAccountName(spec) !== 'default') return [];
    const named = spec?.serviceAccountName || spec?.serviceAccount;
    return [
      {
        message: named
          ? 'The pods run as the default ServiceAccount'
          : 'The pods name no ServiceAccount and run as the default one',
        path: `${workload.podSpecPath}.serviceAccountName`,
        evidence: named ? 'default' : 'unset',
      },
    ];
  },
};
