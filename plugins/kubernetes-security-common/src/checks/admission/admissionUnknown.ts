import type { AdmissionCheck } from '../types';

export const admissionUnknown: AdmissionCheck = {
  id: 'admission-unknown',
  title: 'Admission policy outcome could not be simulated',
  severity: 'info',
  area: 'admission',
  scope: 'admission',
  rationale:
    'The dry run could not evaluate a policy that applies to this workload (an authorizer check, a CEL function it does not implement, or params it could not read), so whether the workload would be admitted is unknown, not passed.',
  remediation: {
    text: 'Check the workload against the policy with a server-side dry run, which runs the real admission chain: `kubectl apply --dry-run=server -f workload.yaml`.',
    yaml: `# kubectl apply --dry-run=server -f deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web`,
  },
  docs: 'https://kubernetes.io/docs/reference/using-api/cel/',
  equivalents: {},
  run: context =>
    context.subject !== 'workload'
      ? []
      : context.evaluations
          .filter(e => e.outcome === 'unknown')
          .map(e => ({
            message: `Policy "${e.policy}" (binding "${
              e.binding
            }") could not be simulated: ${e.reason ?? 'unknown reason'}`,
            path: e.object.evaluatedAs === 'Pod' ? context.podSpecPath : 'spec',
            ...(e.expression ? { evidence: e.expression } : {}),
          })),
};
