import type { TableColumn } from '@backstage/core-components';
import type {
  ClusterReport,
  LegacyTokenSummary,
  ServiceAccountUsage,
} from '@internal/plugin-kubernetes-security-common';
import Typography from '@material-ui/core/Typography';
import { SectionCard, SectionTable, workloadName } from './SectionCard';

function Lines({ lines }: { lines: string[] }) {
  return (
    <>
      {lines.map(line => (
        <Typography key={line} variant="body2" component="div">
          {line}
        </Typography>
      ))}
    </>
  );
}

/** The most telling fact about a legacy token: invalid, last used, or why unknown. */
function tokenUse(token: LegacyTokenSummary): string {
  if (token.invalidSince) return `invalid since ${token.invalidSince}`;
  if (token.lastUsed) return `last used ${token.lastUsed}`;
  return token.lastUsedNote ?? 'never used';
}

const columns: TableColumn<ServiceAccountUsage>[] = [
  {
    title: 'ServiceAccount',
    render: row => `${row.namespace}/${row.name}`,
  },
  {
    title: 'Used by',
    render: row => <Lines lines={row.workloads.map(workloadName)} />,
  },
  {
    title: 'Token automounted in',
    render: row =>
      row.automountedIn.length ? (
        <Lines lines={row.automountedIn.map(workloadName)} />
      ) : (
        'none'
      ),
  },
  {
    title: 'RBAC bindings',
    render: row =>
      row.rbacBindings === 'unknown'
        ? 'unknown (may not list bindings)'
        : String(row.rbacBindings),
  },
  {
    title: 'Legacy token Secrets',
    render: row =>
      row.legacyTokens.length ? (
        <Lines
          lines={row.legacyTokens.map(
            token =>
              `${token.name}: ${tokenUse(token)}${
                token.mountedBy.length
                  ? `; mounted by ${token.mountedBy
                      .map(m => `${workloadName(m)} (${m.via})`)
                      .join(', ')}`
                  : ''
              }`,
          )}
        />
      ) : (
        'none'
      ),
  },
  {
    title: 'Projected tokens',
    render: row =>
      row.projectedTokens.length ? (
        <Lines
          lines={row.projectedTokens.map(
            token =>
              `${workloadName(token)} · ${token.volume}: ${Math.round(
                token.expirationSeconds / 3600,
              )} h`,
          )}
        />
      ) : (
        'none'
      ),
  },
];

export function TokensSection({ clusters }: { clusters: ClusterReport[] }) {
  return (
    <SectionCard
      id="tokens-identity"
      title="Tokens & identity"
      subheader="The ServiceAccounts the workloads run as: mounted tokens, legacy token Secrets (KEP-2799) and RBAC bindings"
      clusters={clusters}
      section="serviceAccounts"
      what="ServiceAccounts and their tokens"
    >
      {accounts => (
        <SectionTable<ServiceAccountUsage>
          columns={columns}
          data={accounts}
          empty="No ServiceAccounts are used by these workloads."
        />
      )}
    </SectionCard>
  );
}
