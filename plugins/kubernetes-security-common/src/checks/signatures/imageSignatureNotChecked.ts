import type { WorkloadCheck } from '../types';
import { signatureFindings } from './signatureFindings';
import { imageSignatureNotCheckedMetadata } from './metadata';

export const imageSignatureNotChecked: WorkloadCheck = {
  scope: 'workload',
  ...imageSignatureNotCheckedMetadata,
  run(context) {
    return signatureFindings(
      context,
      [
        'unverifiable',
        'registry-auth-failed',
        'registry-unreachable',
        'registry-refused',
        'digest-unknown',
      ],
      verification =>
        `${verification.image} was not verified (${verification.state}): ${verification.reason}`,
    );
  },
};
