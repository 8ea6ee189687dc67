import { containerEntries } from '../podSpec';
import type { FindingDraft, WorkloadCheck } from '../types';

interface ContainerPort {
  hostPort?: number;
}

export const hostPort: WorkloadCheck = {
  scope: 'workload',
  id: 'host-port',
  title: 'Container binds a host port',
  severity: 'medium',
  area: 'host-access',
  rationale:
    'A host port exposes the container on every address of its node, around Services and network policies, and ties the pod to nodes where the port is free.',
  remediation: {
    text: 'Remove `hostPort` and reach the container through a Service (NodePort or LoadBalancer when it must be reachable from outside).',
    yaml: `ports:
  - containerPort: 8080`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  equivalents: {
    polaris: 'hostPortSet',
    kubescape: 'C-0044',
    pss: { control: 'Host Ports', level: 'baseline' },
    cis: '5.2.13',
  },
  run({ workload }) {
    return containerEntries(
      workload.template.spec,
      workload.podSpecPath,
    ).flatMap(({ container, path }) => {
      const ports = (
        Array.isArray(container.ports) ? container.ports : []
      ) as ContainerPort[];
      // 0 and unset both mean no host port.
      const bound = ports.flatMap((port, index) =>
        port?.hostPort ? [{ index, hostPort: port.hostPort }] : [],
      );
      if (bound.length === 0) return [];
      const finding: FindingDraft = {
        container: container.name,
        message: `Container "${container.name}" binds host port ${bound
          .map(p => p.hostPort)
          .join(', ')}`,
        path: `${path}.ports[${bound[0].index}].hostPort`,
        evidence: bound.map(p => p.hostPort).join(', '),
      };
      return [finding];
    });
  },
};
