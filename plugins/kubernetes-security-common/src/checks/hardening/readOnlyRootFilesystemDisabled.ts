import { containerFlagFindings } from '../securityContext';
import type { WorkloadCheck } from '../types';

export const readOnlyRootFilesystemDisabled: WorkloadCheck = {
  scope: 'workload',
  id: 'read-only-root-filesystem-disabled',
  title: 'Root filesystem writable',
  severity: 'low',
  area: 'workload-hardening',
  rationale:
    'A writable root filesystem lets an intruder drop tools and modify binaries or configuration of the running container.',
  remediation: {
    text: 'Set `readOnlyRootFilesystem: true` on every container and mount an emptyDir where the application must write (for example /tmp).',
    yaml: `securityContext:
  readOnlyRootFilesystem: true
volumeMounts:
  - name: tmp
    mountPath: /tmp`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
  equivalents: {
    polaris: 'notReadOnlyRootFilesystem',
    kubescape: 'C-0017',
  },
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
