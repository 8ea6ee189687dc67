import type { KubeObject } from '../../kubernetes';

export const LAST_USED_LABEL = 'kubernetes.io/legacy-token-last-used';
export const INVALID_SINCE_LABEL = 'kubernetes.io/legacy-token-invalid-since';
const BOUND_ACCOUNT_ANNOTATION = 'kubernetes.io/service-account.name';

/** The legacy token Secrets bound to one ServiceAccount. */
export function tokensOfServiceAccount(
  tokens: KubeObject[] | undefined,
  account: string,
): KubeObject[] {
  return (tokens ?? []).filter(
    token =>
      token.metadata?.annotations?.[BOUND_ACCOUNT_ANNOTATION] === account,
  );
}

/** What the cluster recorded about a token's use (KEP-2799 tracking and clean-up labels). */
export function describeTokenUse(token: KubeObject): string {
  const labels = token.metadata?.labels ?? {};
  const parts = [
    labels[LAST_USED_LABEL]
      ? `last used ${labels[LAST_USED_LABEL]}`
      : 'no use recorded (tracking is beta in 1.27 and GA in 1.28; older clusters never record it)',
  ];
  if (labels[INVALID_SINCE_LABEL])
    parts.push(`invalidated since ${labels[INVALID_SINCE_LABEL]}`);
  if (token.metadata?.creationTimestamp)
    parts.push(`created ${token.metadata.creationTimestamp.slice(0, 10)}`);
  return parts.join(', ');
}
