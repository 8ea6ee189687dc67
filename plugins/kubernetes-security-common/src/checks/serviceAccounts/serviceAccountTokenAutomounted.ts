import { podSpecFix } from '../fix';
import type { WorkloadCheck } from '../types';
import { serviceAccountName } from './serviceAccountName';
import { serviceAccountTokenAutomountedMetadata } from './metadata';

/** Declares that a pod (or every pod of a ServiceAccount) really calls the Kubernetes API. */
export const USES_API_ANNOTATION = 'kubernetes-security.io/uses-kubernetes-api';

export const serviceAccountTokenAutomounted: WorkloadCheck = {
  scope: 'workload',
  ...serviceAccountTokenAutomountedMetadata,
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
    const fix = podSpecFix(workload, { automountServiceAccountToken: false });
    const podValue = spec?.automountServiceAccountToken;
    if (podValue === true) {
      return [
        {
          message: `The pod sets automountServiceAccountToken: true, mounting the token of ServiceAccount "${name}"${bindingsNote}`,
          path,
          evidence: 'true',
          fix,
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
        fix,
      },
    ];
  },
};
