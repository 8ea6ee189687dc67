import { containerFlagFindings } from '../securityContext';
import type { WorkloadCheck } from '../types';
import { readOnlyRootFilesystemDisabledMetadata } from './metadata';

export const readOnlyRootFilesystemDisabled: WorkloadCheck = {
  scope: 'workload',
  ...readOnlyRootFilesystemDisabledMetadata,
  run({ workload }) {
    // The field exists for containers only, and Windows pods cannot set it.
    return containerFlagFindings(
      workload,
      'readOnlyRootFilesystem',
      true,
      container =>
        `Container "${container.name}" has a writable root filesystem`,
    );
  },
};
