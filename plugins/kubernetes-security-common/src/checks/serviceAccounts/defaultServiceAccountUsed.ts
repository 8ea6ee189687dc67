import type { WorkloadCheck } from '../types';
import { serviceAccountName } from './serviceAccountName';
import { defaultServiceAccountUsedMetadata } from './metadata';

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
      },
    ];
  },
};
