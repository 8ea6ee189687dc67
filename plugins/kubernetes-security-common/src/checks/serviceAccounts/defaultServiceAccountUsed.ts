import { fixYaml, podSpecPatch } from '../fix';
import type { WorkloadCheck, WorkloadUnderCheck } from '../types';
import { serviceAccountName } from './serviceAccountName';
import { defaultServiceAccountUsedMetadata } from './metadata';

/** A ServiceAccount named after the workload, without a token by default, and the pods running as it. */
function ownServiceAccountFix(
  workload: WorkloadUnderCheck,
): string | undefined {
  const { name, namespace } = workload.object.metadata ?? {};
  if (!name) return undefined;
  return fixYaml([
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, ...(namespace ? { namespace } : {}) },
      automountServiceAccountToken: false,
    },
    podSpecPatch(workload, { serviceAccountName: name }),
  ]);
}

export const defaultServiceAccountUsed: WorkloadCheck = {
  scope: 'workload',
  ...defaultServiceAccountUsedMetadata,
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
        fix: ownServiceAccountFix(workload),
      },
    ];
  },
};
