import { containerFix, podSpecFix } from '../fix';
import type { FindingDraft, WorkloadCheck } from '../types';
import { hostProcessPath, hostProcessSettings } from './hostProcessSettings';
import { windowsHostProcessMetadata } from './metadata';

const NOT_HOST_PROCESS = { windowsOptions: { hostProcess: false } };

export const windowsHostProcess: WorkloadCheck = {
  scope: 'workload',
  ...windowsHostProcessMetadata,
  run({ workload, clusterVersion }) {
    // Before 1.26 HostProcess was beta: older kubelets may lack the fixes of the GA release.
    const stageNote =
      clusterVersion?.major === 1 && clusterVersion.minor < 26
        ? ` (HostProcess is only ${
            clusterVersion.minor >= 23 ? 'beta' : 'alpha'
          } in 1.${clusterVersion.minor})`
        : '';
    const { pod, podPath, containers } = hostProcessSettings(
      workload.template.spec,
      workload.podSpecPath,
    );
    // Like Pod Security Standards, one finding for the pod-level setting and one per container setting it itself.
    const podFinding: FindingDraft[] =
      pod === true
        ? [
            {
              message: `The pod runs its containers as Windows HostProcess containers${stageNote}`,
              path: podPath,
              evidence: 'true',
              fix: podSpecFix(workload, {
                securityContext: NOT_HOST_PROCESS,
              }),
            },
          ]
        : [];
    return podFinding.concat(
      containers
        .filter(({ explicit }) => explicit === true)
        .map(({ entry }) => ({
          container: entry.container.name,
          message: `Container "${entry.container.name}" runs as a Windows HostProcess container${stageNote}`,
          path: hostProcessPath(entry),
          evidence: 'true',
          fix: containerFix(
            workload,
            { field: entry.field, name: entry.container.name },
            { securityContext: NOT_HOST_PROCESS },
          ),
        })),
    );
  },
};
