import { containerEntries } from '../podSpec';
import { BASELINE_CAPABILITIES } from '../podSecurity/baselineCapabilities';
import { capabilitiesOutside } from '../podSecurity/podSecurityStandards';
import type { WorkloadCheck } from '../types';
import { capabilitiesFix, capabilitiesOf } from './capabilities';
import { capabilitiesAddedBeyondBaselineMetadata } from './metadata';

export const capabilitiesAddedBeyondBaseline: WorkloadCheck = {
  scope: 'workload',
  ...capabilitiesAddedBeyondBaselineMetadata,
  run({ workload }) {
    return containerEntries(
      workload.template.spec,
      workload.podSpecPath,
    ).flatMap(entry => {
      const { container, path } = entry;
      const beyond = capabilitiesOutside(
        capabilitiesOf(container).add,
        BASELINE_CAPABILITIES,
      );
      if (beyond.length === 0) return [];
      return [
        {
          container: container.name,
          message: `Container "${container.name}" adds ${beyond.join(
            ', ',
          )}, beyond the default capability set`,
          path: `${path}.securityContext.capabilities.add`,
          evidence: JSON.stringify(beyond),
          fix: capabilitiesFix(workload, entry, name => !beyond.includes(name)),
        },
      ];
    });
  },
};
