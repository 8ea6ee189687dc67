import { containerEntries, field } from '../podSpec';
import { isWindowsPod } from '../securityContext';
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
    const { spec } = workload.template;
    // The field exists for containers only, and Windows pods cannot set it.
    if (isWindowsPod(spec)) return [];
    return containerEntries(spec, workload.podSpecPath).flatMap(({ container, path }) => {
      const value = field<boolean>(container.securityContext, 'readOnlyRootFilesystem');
      if (value === true) return [];
      return [
        {
          container: container.name,
          message: `Container "${container.name}" has a writable root filesystem`,
          path: `${path}.securityContext.readOnlyRootFilesystem`,
          evidence: value === undefined ? 'not set' : String(value),
        },
      ];
    });
  },
};
