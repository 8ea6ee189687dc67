import { containerFix } from '../fix';
import { containerEntries, field } from '../podSpec';
import { usesUserNamespaceRelaxation } from '../securityContext';
import type { WorkloadCheck } from '../types';
import { procMountUnmaskedMetadata } from './metadata';

export const procMountUnmasked: WorkloadCheck = {
  scope: 'workload',
  ...procMountUnmaskedMetadata,
  run({ workload, clusterVersion }) {
    const { spec } = workload.template;
    // Baseline allows any procMount in a user namespace from 1.35; Restricted never does.
    if (usesUserNamespaceRelaxation(spec, clusterVersion)) return [];
    return containerEntries(spec, workload.podSpecPath).flatMap(
      ({ container, path, field: list }) => {
        const value = field<string>(container.securityContext, 'procMount');
        if (value === undefined || value === 'Default') return [];
        return [
          {
            container: container.name,
            message: `Container "${container.name}" mounts /proc ${value}`,
            path: `${path}.securityContext.procMount`,
            evidence: String(value),
            fix: containerFix(
              workload,
              { field: list, name: container.name },
              { securityContext: { procMount: 'Default' } },
            ),
          },
        ];
      },
    );
  },
};
