import type { CheckMetadata } from '../types';

export const serviceAccountTokenAutomountedMetadata: CheckMetadata = {
  id: 'service-account-token-automounted',
  title: 'ServiceAccount token mounted automatically',
  severity: 'medium',
  area: 'service-accounts',
  rationale:
    'Every container of the pod gets an API token of its ServiceAccount; whoever compromises one container can call ' +
    'the API with all the rights bound to that account. Most applications never talk to the API server. The ' +
    "pod's `automountServiceAccountToken` wins over the ServiceAccount's; when neither sets it the token is mounted. " +
    'Accounts named by a RoleBinding or ClusterRoleBinding, and pods or ServiceAccounts annotated ' +
    '`kubernetes-security.io/uses-kubernetes-api: "true"`, are taken to need the API and are not flagged.',
  remediation: {
    text:
      'Set `automountServiceAccountToken: false` on the pod (or on its ServiceAccount). Pods that need the API can ' +
      'mount a projected token with a short lifetime and a specific audience instead.',
    yaml: `spec:
  serviceAccountName: my-app
  automountServiceAccountToken: false`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting',
  equivalents: {
    polaris: 'automountServiceAccountToken',
    kubescape: 'C-0034',
    cis: '5.1.6',
  },
};

export const defaultServiceAccountUsedMetadata: CheckMetadata = {
  id: 'default-service-account-used',
  title: 'Pods run as the default ServiceAccount',
  severity: 'low',
  area: 'service-accounts',
  rationale:
    'Every pod of the namespace that names no ServiceAccount runs as `default`, so a permission granted to it for one ' +
    'application silently extends to all of them, and RBAC cannot be reviewed per workload. The risk is lower while ' +
    'the token is not mounted, but any later grant still applies to every such pod.',
  remediation: {
    text:
      'Create a ServiceAccount per workload and bind only the permissions it needs; disable token automounting ' +
      'on the `default` ServiceAccount.',
    yaml: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: my-app
automountServiceAccountToken: false
---
# in the pod template
spec:
  serviceAccountName: my-app`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts',
  equivalents: { cis: '5.1.5' },
};

export const legacyServiceAccountTokenMetadata: CheckMetadata = {
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
};

export const legacyTokenReferencedMetadata: CheckMetadata = {
  id: 'legacy-token-referenced',
  title: 'Pod uses a legacy token Secret',
  severity: 'high',
  area: 'service-accounts',
  rationale:
    'The pod reads a never-expiring Secret-based service-account token (as a volume or an environment variable), so the credential lives as long as the Secret and leaks with the pod spec or its environment.',
  remediation: {
    text: 'Mount a projected service-account token instead; it is bound to the pod and expires. Then delete the legacy Secret.',
    yaml: `volumes:
  - name: api-token
    projected:
      sources:
        - serviceAccountToken:
            path: token
            expirationSeconds: 3600`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#serviceaccount-token-volume-projection',
  equivalents: {},
};

export const projectedTokenLongLivedMetadata: CheckMetadata = {
  id: 'projected-token-long-lived',
  title: 'Long-lived projected service-account token',
  severity: 'low',
  area: 'service-accounts',
  rationale:
    'Projected tokens expire, which is their point: the default lifetime is one hour and the kubelet renews them. A lifetime of days keeps a stolen token useful for days.',
  remediation: {
    text: 'Keep expirationSeconds at the default (3600) or close to it; the kubelet refreshes the file before it expires, so clients that re-read it need nothing longer.',
    yaml: `projected:
  sources:
    - serviceAccountToken:
        path: token
        expirationSeconds: 3600`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#serviceaccount-token-volume-projection',
  equivalents: {},
};
