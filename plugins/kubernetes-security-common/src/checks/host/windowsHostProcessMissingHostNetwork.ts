import { podSpecFix } from '../fix';
import type { WorkloadCheck } from '../types';
import { hostProcessSettings } from './hostProcessSettings';
import { windowsHostProcessMissingHostNetworkMetadata } from './metadata';

export const windowsHostProcessMissingHostNetwork: WorkloadCheck = {
  scope: 'workload',
  ...windowsHostProcessMissingHostNetworkMetadata,
  run({ workload }) {
    const { spec } = workload.template;
    const { containers } = hostProcessSettings(spec, workload.podSpecPath);
    if (!containers.some(c => c.effective) || spec?.hostNetwork === true)
      return [];
    return [
      {
        message:
          'The pod runs HostProcess containers but does not set hostNetwork: true',
        path: `${workload.podSpecPath}.hostNetwork`,
        evidence:
          spec?.hostNetwork === undefined
            ? 'not set'
            : String(spec.hostNetwork),
        fix: podSpecFix(workload, { hostNetwork: true }),
      },
    ];
  },
};
