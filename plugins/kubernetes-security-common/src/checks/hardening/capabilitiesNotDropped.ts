import { containerEntries } from '../podSpec';
import { isWindowsPod } from '../securityContext';
import type { WorkloadCheck } from '../types';
import { capabilitiesFix, capabilitiesOf } from './capabilities';
import { capabilitiesNotDroppedMetadata } from './metadata';

export const capabilitiesNotDropped: WorkloadCheck = {
  scope: 'workload',
  ...capabilitiesNotDroppedMetadata,
  run({ workload }) {
    const { spec } = workload.template;
    // Windows pods cannot set capabilities, and Pod Security Standards exempt them.
    if (isWindowsPod(spec)) return [];
    return containerEntries(spec, workload.podSpecPath).flatMap(
      ({ container, path, field }) => {
        const { add, drop } = capabilitiesOf(container);
        const fix = capabilitiesFix(
          workload,
          { container, field },
          name => name === 'NET_BIND_SERVICE',
          true,
        );
        const added = add.filter(name => name !== 'NET_BIND_SERVICE');
        if (!drop.includes('ALL')) {
          return [
            {
              container: container.name,
              message: `Container "${
                container.name
              }" does not drop ALL capabilities${
                added.length ? ` and adds ${added.join(', ')}` : ''
              }`,
              path: `${path}.securityContext.capabilities.drop`,
              evidence: drop.length ? JSON.stringify(drop) : 'not set',
              fix,
            },
          ];
        }
        if (added.length === 0) return [];
        return [
          {
            container: container.name,
            message: `Container "${
              container.name
            }" drops ALL capabilities but adds back ${added.join(', ')}`,
            path: `${path}.securityContext.capabilities.add`,
            evidence: JSON.stringify(added),
            fix,
          },
        ];
      },
    );
  },
};
