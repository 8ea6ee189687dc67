import { containerFlagFindings } from '../securityContext';
import type { WorkloadCheck } from '../types';
import { allowPrivilegeEscalationMetadata } from './metadata';

export const allowPrivilegeEscalation: WorkloadCheck = {
  scope: 'workload',
  ...allowPrivilegeEscalationMetadata,
  run({ workload }) {
    // Windows pods cannot set the field, and Pod Security Standards exempt them.
    return containerFlagFindings(
      workload,
      'allowPrivilegeEscalation',
      false,
      (container, value) =>
        value === undefined
          ? `Container "${container.name}" does not set allowPrivilegeEscalation: false, so escalation is allowed`
          : `Container "${
              container.name
            }" sets allowPrivilegeEscalation: ${String(value)}`,
    );
  },
};
