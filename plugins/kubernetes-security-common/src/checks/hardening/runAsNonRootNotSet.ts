import { containerEntries, field } from '../podSpec';
import { usesUserNamespaceRelaxation } from '../securityContext';
import type { FindingDraft, WorkloadCheck } from '../types';

export const runAsNonRootNotSet: WorkloadCheck = {
  scope: 'workload',
  id: 'run-as-non-root-not-set',
  title: 'Containers not required to run as non-root',
  severity: 'medium',
  area: 'workload-hardening',
  rationale:
    'Without `runAsNonRoot: true` the kubelet starts a container whose image runs as root, and root in a container is one kernel bug or misconfiguration away from root on the node.',
  remediation: {
    text: 'Set `runAsNonRoot: true` in the pod security context (or in every container), and build the image with a non-root USER or set `runAsUser`.',
    yaml: `spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
  equivalents: {
    polaris: 'runAsRootAllowed',
    pss: { control: 'Running as Non-root', level: 'restricted' },
    cis: '5.2.7',
  },
  run({ workload, clusterVersion }) {
    const { spec } = workload.template;
    if (usesUserNamespaceRelaxation(spec, clusterVersion)) return [];
    const podValue = field<boolean>(spec?.securityContext, 'runAsNonRoot');
    const findings: FindingDraft[] = [];
    // A pod-level false fails even when every container overrides it, as in Pod Security Standards.
    if (podValue === false) {
      findings.push({
        message: 'The pod sets runAsNonRoot: false',
        path: `${workload.podSpecPath}.securityContext.runAsNonRoot`,
        evidence: 'false',
      });
    }
    for (const { container, path } of containerEntries(
      spec,
      workload.podSpecPath,
    )) {
      const value = field<boolean>(container.securityContext, 'runAsNonRoot');
      // Containers inheriting the pod's false are covered by the pod finding.
      if (value === true || (value === undefined && podValue !== undefined))
        continue;
      findings.push({
        container: container.name,
        message:
          value === undefined
            ? `Container "${container.name}" does not set runAsNonRoot: true, and neither does the pod`
            : `Container "${container.name}" sets runAsNonRoot: ${String(
                value,
              )}`,
        path: `${path}.securityContext.runAsNonRoot`,
        evidence: value === undefined ? 'not set' : String(value),
      });
    }
    return findings;
  },
};
