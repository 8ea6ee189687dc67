import { containerEntries } from '../podSpec';
import {
  BASELINE_CAPABILITIES,
  capabilitiesOutside,
} from '../podSecurity/podSecurityStandards';
import type { WorkloadCheck } from '../types';
import { capabilitiesOf } from './capabilities';

export const capabilitiesAddedBeyondBaseline: WorkloadCheck = {
  scope: 'workload',
  id: 'capabilities-added-beyond-baseline',
  title: 'Capabilities added beyond the default set',
  severity: 'medium',
  area: 'workload-hardening',
  rationale:
    "Adding a capability outside the runtime's default set (NET_RAW included) gives the container kernel privileges ordinary containers do not have.",
  remediation: {
    text: `Add only capabilities from the default set (${BASELINE_CAPABILITIES.join(
      ', ',
    )}), spelled exactly so, and preferably none but NET_BIND_SERVICE.`,
    yaml: `securityContext:
  capabilities:
    drop: ["ALL"]
    add: ["NET_BIND_SERVICE"]`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  equivalents: {
    pss: { control: 'Capabilities', level: 'baseline' },
    cis: '5.2.9',
  },
  run({ workload }) {
    return containerEntries(
      workload.template.spec,
      workload.podSpecPath,
    ).flatMap(({ container, path }) => {
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
        },
      ];
    });
  },
};
