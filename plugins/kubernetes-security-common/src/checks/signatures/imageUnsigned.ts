import type { WorkloadCheck } from '../types';
import { signatureFindings } from './signatureFindings';
import { imageUnsignedMetadata } from './metadata';

export const imageUnsigned: WorkloadCheck = {
  scope: 'workload',
  ...imageUnsignedMetadata,
  run(context) {
    return signatureFindings(
      context,
      ['unsigned'],
      verification =>
        `${verification.image} has no signature (${verification.reason})`,
    );
  },
};
