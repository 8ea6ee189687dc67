import type { WorkloadCheck } from '../types';
import { hostProcessPath, hostProcessSettings } from './hostProcessSettings';
import { windowsHostProcessInconsistentMetadata } from './metadata';

export const windowsHostProcessInconsistent: WorkloadCheck = {
  scope: 'workload',
  ...windowsHostProcessInconsistentMetadata,
  run({ workload }) {
    const { pod, containers } = hostProcessSettings(
      workload.template.spec,
      workload.podSpecPath,
    );
    const anyHostProcess = containers.some(c => c.effective);
    return containers.flatMap(({ entry, explicit, effective }) => {
      const contradictsPod =
        pod !== undefined && explicit !== undefined && explicit !== pod;
      if (!contradictsPod && !(anyHostProcess && !effective)) return [];
      return [
        {
          container: entry.container.name,
          message: contradictsPod
            ? `Container "${entry.container.name}" sets hostProcess: ${explicit} while the pod sets ${pod}`
            : `Container "${entry.container.name}" is not a HostProcess container while other containers of the pod are`,
          path: hostProcessPath(entry),
          evidence: explicit === undefined ? 'not set' : String(explicit),
        },
      ];
    });
  },
};
