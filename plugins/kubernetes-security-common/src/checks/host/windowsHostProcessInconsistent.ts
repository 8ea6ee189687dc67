import { podSpecFix } from '../fix';
import type { WorkloadCheck, WorkloadUnderCheck } from '../types';
import {
  hostProcessPath,
  hostProcessSettings,
  type ContainerHostProcess,
} from './hostProcessSettings';
import { windowsHostProcessInconsistentMetadata } from './metadata';

/**
 * One consistent pod, as the remediation says: HostProcess at pod level
 * with the host network it requires, and no container opting out. Fixes
 * every finding of the pod at once: one container alone cannot always be
 * made consistent with containers that contradict each other.
 */
function allHostProcessFix(
  workload: WorkloadUnderCheck,
  containers: ContainerHostProcess[],
): string | undefined {
  const optingOut = containers.filter(
    ({ explicit }) => explicit !== undefined && explicit !== true,
  );
  if (optingOut.some(({ entry }) => typeof entry.container.name !== 'string'))
    return undefined;
  const lists: Record<string, unknown[]> = {};
  for (const { entry } of optingOut) {
    (lists[entry.field] ??= []).push({
      name: entry.container.name,
      securityContext: { windowsOptions: { hostProcess: null } },
    });
  }
  return podSpecFix(workload, {
    hostNetwork: true,
    securityContext: { windowsOptions: { hostProcess: true } },
    ...lists,
  });
}

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
          fix: allHostProcessFix(workload, containers),
        },
      ];
    });
  },
};
