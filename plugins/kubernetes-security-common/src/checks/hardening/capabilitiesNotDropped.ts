import { containerEntries } from '../podSpec';
import { isWindowsPod } from '../securityContext';
import type { WorkloadCheck } from '../types';
import { capabilitiesOf } from './capabilities';

export const capabilitiesNotDropped: WorkloadCheck = {
  scope: 'workload',
  id: 'capabilities-not-dropped',
  title: 'Capabilities not dropped',
  severity: 'low',
  area: 'workload-hardening',
  rationale:
    "A container keeps the runtime's default capabilities (NET_RAW, SETUID, DAC_OVERRIDE, …) unless it drops them; most processes need none of them.",
  remediation: {
    text: 'Drop ALL capabilities in every container and add back at most NET_BIND_SERVICE. Pod Security admission compares the names exactly: write `ALL` and `NET_BIND_SERVICE`.',
    yaml: `securityContext:
  capabilities:
    drop: ["ALL"]
    add: ["NET_BIND_SERVICE"]`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
  equivalents: {
    polaris: 'insecureCapabilities',
    pss: { control: 'Capabilities', level: 'restricted' },
    cis: '5.2.10',
  },
  run({ workload }) {
    const { spec } = workload.template;
    // Windows pods cannot set capabilities, and Pod Security Standards exempt them.
    if (isWindowsPod(spec)) return [];
    return containerEntries(spec, workload.podSpecPath).flatMap(
      ({ container, path }) => {
        const { add, drop } = capabilitiesOf(container);
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
          },
        ];
      },
    );
  },
};
