import type { WorkloadCheck } from '../types';
import { describeTokenUse, tokensOfServiceAccount } from './legacyTokens';
import { serviceAccountName } from './serviceAccountName';
import { legacyServiceAccountTokenMetadata } from './metadata';

export const legacyServiceAccountToken: WorkloadCheck = {
  scope: 'workload',
  ...legacyServiceAccountTokenMetadata,
  run({ workload, legacyTokens }) {
    const account = serviceAccountName(workload.template.spec);
    return tokensOfServiceAccount(legacyTokens, account).map(token => ({
      message: `ServiceAccount "${account}" has the legacy token Secret "${
        token.metadata?.name
      }": ${describeTokenUse(token)}`,
      path: `${workload.podSpecPath}.serviceAccountName`,
      evidence: token.metadata?.name ?? '',
    }));
  },
};
