import type { WorkloadCheck } from '../types';
import { containerFix } from '../fix';
import { containerEntries } from '../podSpec';
import { privilegedContainerMetadata } from './metadata';

export const privilegedContainer: WorkloadCheck = {
  scope: 'workload',
  ...privilegedContainerMetadata,
  run({ workload }) {
    return containerEntries(workload.template.spec, workload.podSpecPath)
      .filter(
        ({ container }) =>
          (container.securityContext as any)?.privileged === true,
      )
      .map(({ container, path, field }) => ({
        container: container.name,
        message: `Container "${container.name}" runs privileged`,
        path: `${path}.securityContext.privileged`,
        evidence: 'true',
        fix: containerFix(
          workload,
          { field, name: container.name },
          { securityContext: { privileged: false } },
        ),
      }));
  },
};
