import { containerFix, podSpecFix } from '../fix';
import { containerEntries, field } from '../podSpec';
import { usesUserNamespaceRelaxation } from '../securityContext';
import type { FindingDraft, WorkloadCheck } from '../types';
import { runAsNonRootNotSetMetadata } from './metadata';

export const runAsNonRootNotSet: WorkloadCheck = {
  scope: 'workload',
  ...runAsNonRootNotSetMetadata,
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
        fix: podSpecFix(workload, { securityContext: { runAsNonRoot: true } }),
      });
    }
    for (const { container, path, field: list } of containerEntries(
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
        fix: containerFix(
          workload,
          { field: list, name: container.name },
          { securityContext: { runAsNonRoot: true } },
        ),
      });
    }
    return findings;
  },
};
