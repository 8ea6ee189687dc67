import { containerFix } from '../fix';
import { containerEntries } from '../podSpec';
import type { FindingDraft, WorkloadCheck } from '../types';
import { hostPortMetadata } from './metadata';

interface ContainerPort {
  containerPort?: unknown;
  hostPort?: number;
}

export const hostPort: WorkloadCheck = {
  scope: 'workload',
  ...hostPortMetadata,
  run({ workload }) {
    return containerEntries(
      workload.template.spec,
      workload.podSpecPath,
    ).flatMap(({ container, path, field }) => {
      const ports = (
        Array.isArray(container.ports) ? container.ports : []
      ) as ContainerPort[];
      // 0 and unset both mean no host port.
      const bound = ports.flatMap((port, index) =>
        port?.hostPort
          ? [
              {
                index,
                hostPort: port.hostPort,
                containerPort: port.containerPort,
              },
            ]
          : [],
      );
      if (bound.length === 0) return [];
      const finding: FindingDraft = {
        container: container.name,
        message: `Container "${container.name}" binds host port ${bound
          .map(p => p.hostPort)
          .join(', ')}`,
        path: `${path}.ports[${bound[0].index}].hostPort`,
        evidence: bound.map(p => p.hostPort).join(', '),
        // Ports merge by containerPort; `null` removes the host port.
        fix: bound.every(p => p.containerPort !== undefined)
          ? containerFix(
              workload,
              { field, name: container.name },
              {
                ports: bound.map(p => ({
                  containerPort: p.containerPort,
                  hostPort: null,
                })),
              },
            )
          : undefined,
      };
      return [finding];
    });
  },
};
