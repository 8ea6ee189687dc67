import type { WorkloadCheck } from '../types';
import { serviceAccountName } from './serviceAccountName';

/** Declares that a pod (or every pod of a ServiceAccount) really calls the Kubernetes API. */
export const USES_API_ANNOTATION = 'kubernetes-security.io/uses-kubernetes-api';

export const serviceAccountTokenAutomounted: WorkloadCheck = {
  scope: 'workload',
  id: 'service-account-token-automounted',
  title: 'ServiceAccount token mounted automatically',
  severity: 'medium',
  area: 'service-accounts',
  rationale:
    'Every container of the pod gets an API token of its ServiceAccount; whoever compromises one container can call ' +
    'the API with all the rights bound to that account. Most applications never talk to the API server. The ' +
    "pod's `automountServiceAccountToken` wins over the ServiceAccount's; when neither sets it the token is mounted. " +
    'Accounts named by a RoleBinding or ClusterRoleBinding, and pods or ServiceAccounts annotated ' +
    '`kubernetes-security.io/uses-kubernetes-api: "true"`, are taken to need the API and are not flagged.',
  remediation: {
    text:
      'Set `automountServiceAccountToken: false` on the pod (or on its ServiceAccount). Pods that need the API can ' +
      'mount a projected token with a short lifetime and a specific audience instead.',
    yaml: `spec:
  serviceAccountName: my-app
  automountServiceAccountToken: false`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting',
  equivalents: {
    polaris: 'automountServiceAccountToken',
    kubescape: 'C-0034',
    cis: '5.1.6',
  },
  run({ workload, serviceAccount: given, serviceAccountBindings }) {
    const spec = workload.template.spec;
    const name = serviceAccountName(spec);
    // Only trust the ServiceAccount the pods really run as.
    const serviceAccount = given?.metadata?.name === name ? given : undefined;
    // Heuristics for "needs the API": a binding granting this very account
    // rights, or an explicit declaration on the pod or the ServiceAccount.
    if (
      typeof serviceAccountBindings === 'number' &&
      serviceAccountBindings > 0
    )
      return [];
    if (
      [workload.template.metadata, serviceAccount?.metadata].some(
        metadata => metadata?.annotations?.[USES_API_ANNOTATION] === 'true',
      )
    )
      return [];
    const bindingsNote =
      serviceAccountBindings === 0
        ? ', and no RoleBinding or ClusterRoleBinding grants it anything'
        : '';
    const path = `${workload.podSpecPath}.automountServiceAccountToken`;
    const podValue = spec?.automountServiceAccountToken;
    if (podValue === true) {
      return [
        {
          message: `The pod sets automountServiceAccountToken: true, mounting the token of ServiceAccount "${name}"${bindingsNote}`,
          path,
          evidence: 'true',
        },
      ];
    }
    if (
      podValue === false ||
      serviceAccount?.automountServiceAccountToken === false
    )
      return [];
    return [
      {
        message: serviceAccount
          ? `The token of ServiceAccount "${name}" is mounted: neither the pod nor the ServiceAccount disables automounting${bindingsNote}`
          : `The token of ServiceAccount "${name}" is mounted: the pod does not set automountServiceAccountToken, and with the ServiceAccount unknown the default (true) applies${bindingsNote}`,
        path,
        evidence: 'unset',
      },
    ];
  },
};
