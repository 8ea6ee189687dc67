import type { AdmissionEvaluation } from '../../reportSections';
import { fixYaml } from '../fix';

/** The label a binding's exclusion looks for, as the remediation text names it. */
export const EXEMPT_LABEL = 'policy.example.com/exempt';

/** What the evaluation says the policy requires, for a comment. */
function requirement(evaluation: AdmissionEvaluation): string {
  return `${evaluation.message ?? 'validation failed'}${
    evaluation.expression ? ` (${evaluation.expression})` : ''
  }`;
}

/**
 * For a workload a policy would deny: its binding, excluding objects that
 * carry `EXEMPT_LABEL`. The comment says the policy's own requirement comes
 * first: an exclusion is for a justified exception only.
 */
export function bindingExclusionFix(
  evaluation: AdmissionEvaluation,
  apiVersion: string,
): string | undefined {
  if (!evaluation.binding) return undefined;
  const labelled =
    evaluation.object.evaluatedAs === 'Pod'
      ? `its Pods (the pod template's labels)`
      : `the ${evaluation.object.kind}`;
  return fixYaml(
    [
      {
        apiVersion,
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: evaluation.binding },
        spec: {
          policyName: evaluation.policy,
          matchResources: {
            objectSelector: {
              matchExpressions: [
                { key: EXEMPT_LABEL, operator: 'DoesNotExist' },
              ],
            },
          },
        },
      },
    ],
    `Policy "${evaluation.policy}" requires: ${requirement(evaluation)}. ` +
      'Change the workload so that holds. Only for a justified exception, ' +
      `exclude it in binding "${evaluation.binding}" (keep its own selector terms) ` +
      `and label ${labelled} ${EXEMPT_LABEL}: "true":`,
  );
}

/**
 * For a workload that violates a policy which only warns or audits: once the
 * workload satisfies it, the binding of that very policy can deny.
 */
export function bindingEnforcementFix(
  evaluation: AdmissionEvaluation,
  apiVersion: string,
): string | undefined {
  if (!evaluation.binding) return undefined;
  return fixYaml(
    [
      {
        apiVersion,
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: evaluation.binding },
        spec: { policyName: evaluation.policy, validationActions: ['Deny'] },
      },
    ],
    `Policy "${evaluation.policy}" requires: ${requirement(evaluation)}. ` +
      'Change the workload so that holds; once nothing violates the policy, let its binding deny:',
  );
}
