import type { WorkloadCheck } from '../types';
import { signatureFindings } from './signatureFindings';
import { imageSignatureInvalidMetadata } from './metadata';

export const imageSignatureInvalid: WorkloadCheck = {
  scope: 'workload',
  ...imageSignatureInvalidMetadata,
  run(context) {
    return signatureFindings(
      context,
      ['invalid-signature'],
      verification => `${verification.image}: ${verification.reason}`,
    );
  },
};
