import type { WorkloadCheck } from '../types';
import { signatureFindings, signers } from './signatureFindings';
import { imageSignaturePolicyMismatchMetadata } from './metadata';

export const imageSignaturePolicyMismatch: WorkloadCheck = {
  scope: 'workload',
  ...imageSignaturePolicyMismatchMetadata,
  run(context) {
    return signatureFindings(
      context,
      ['policy-mismatch'],
      verification =>
        `${verification.image} is signed by ${signers(
          verification,
        )}, which policy "${verification.policy ?? 'none'}" does not accept`,
    );
  },
};
