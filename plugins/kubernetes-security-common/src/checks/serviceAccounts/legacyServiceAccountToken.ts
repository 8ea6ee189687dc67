import type { WorkloadCheck } from '../types';
import { describeTokenUse, tokensOfServiceAccount } from './legacyTokens';
import { serviceAccountName } from './serviceAccountName';

export const legacyServiceAccountToken: WorkloadCheck = {
  scope: 'workload',
  id: 'legacy-service-account-token',
  title: 'Legacy token Secret for the ServiceAccount',
  severity: 'medium',
  area: 'service-accounts',
  rationale:
    'A Secret-based service-account token never expires and is readable by anyone who can read Secrets in the namespace. Since 1.24 they are no longer created automatically; the ones left are long-lived credentials (KEP-2799).',
  remediation: {
    text: 'Use short-lived tokens from the TokenRequest API (projected volumes, or `kubectl create token <account>` for tools), then delete the Secret once its last-used date shows nothing uses it.',
    yaml: `# Instead of a kubernetes.io/service-account-token Secret:
volumes:
  - name: api-token
    projected:
      sources:
        - serviceAccountToken:
            path: token
            expirationSeconds: 3600`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token',
  equivalents: {},
  run({ workload, legacyTokens }) {
    const account = serviceAccountName(workload.template.spec);
    return tokensOfServiceAccount(legacyTokens, account).map(token => ({
      message: `ServiceAccount "${account}" has the legacy token Secret "${token.metadata?.name}": ${describeTokenUse(token)}`,
      path: `${workload.podSpecPath}.serviceAccountName`,
      evidence: token.metadata?.name ?? '',
    }));
  },
};
