import { CodeSnippet, Link } from '@backstage/core-components';
import type {
  ClusterConfigurationProblem,
  ClusterScanSummary,
  ClusterStatus,
  ImageVerification,
} from '@internal/plugin-kubernetes-security-common';
import Box from '@material-ui/core/Box';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { describeError } from '../EntitySecurityContent/clusterProblems';
import { relativeTime } from '../EntitySecurityContent/relativeTime';
import { imageColumns } from '../EntitySecurityContent/sections/ImageSignaturesSection';
import { SectionTable } from '../EntitySecurityContent/sections/SectionCard';
import type { StatusTone } from '../grades/gradeStyles';
import { StatusChip } from '../grades/StatusChip';

type SupportStatus = NonNullable<ClusterStatus['support']>['status'];

const SUPPORT: Record<SupportStatus, { label: string; tone: StatusTone }> = {
  supported: { label: 'supported upstream', tone: 'ok' },
  maintenance: { label: 'in maintenance upstream', tone: 'warning' },
  'end-of-life': { label: 'end of life upstream', tone: 'error' },
  unknown: { label: 'support status unknown', tone: 'unknown' },
};

/** "v1.30.1" and its upstream support as a coloured chip. */
export function KubernetesVersion({ status }: { status?: ClusterStatus }) {
  if (!status?.gitVersion) return <>unknown</>;
  // A status added upstream later shows as it is.
  const support =
    status.support &&
    (SUPPORT[status.support.status] ?? {
      label: status.support.status,
      tone: 'unknown',
    });
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 8 }}>
      <span>{status.gitVersion}</span>
      {support && (
        <StatusChip
          tone={support.tone}
          label={`${support.label}${
            status.support?.endOfLife
              ? ` (end of life ${status.support.endOfLife})`
              : ''
          }`}
        />
      )}
    </Box>
  );
}

function Subheading({ children }: { children: ReactNode }) {
  return (
    <Typography variant="h6" component="h3" gutterBottom>
      {children}
    </Typography>
  );
}

function LastScan({ scan }: { scan: ClusterScanSummary }) {
  return (
    <Box marginBottom={3}>
      <Subheading>Last scan</Subheading>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <StatusChip
          tone={scan.succeededAt ? 'ok' : 'error'}
          label={scan.succeededAt ? 'succeeded' : 'failed'}
        />
        <Typography variant="body2">
          {relativeTime(scan.attemptedAt)} in{' '}
          {(scan.durationMs / 1000).toFixed(1)} s · {scan.workloadCount}{' '}
          workloads, {scan.entityCount} entities
        </Typography>
      </Box>
      {(scan.status?.errors ?? scan.errors).map((error, index) => (
        // Two errors may read the same: the index keys them.
        <Typography key={index} variant="body2" color="error">
          <strong>{error.type}</strong> {describeError(error)}
        </Typography>
      ))}
    </Box>
  );
}

function FeatureTable({ status }: { status: ClusterStatus }) {
  return (
    <MuiTable
      size="small"
      aria-label={`Security features of ${status.cluster}`}
    >
      <TableHead>
        <TableRow>
          <TableCell>Feature</TableCell>
          <TableCell>Stage</TableCell>
          <TableCell>On this cluster</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {status.features.map(feature => (
          <TableRow key={feature.id}>
            <TableCell>
              <Link to={feature.docs} target="_blank" rel="noopener noreferrer">
                {feature.title}
              </Link>{' '}
              ({feature.kep})
            </TableCell>
            <TableCell>{feature.stage}</TableCell>
            <TableCell>{feature.note}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </MuiTable>
  );
}

function Permissions({ status }: { status: ClusterStatus }) {
  const missing = status.permissions.filter(p => !p.allowed);
  return (
    <Box marginBottom={3}>
      <Subheading>
        Permissions ({missing.length} missing of {status.permissions.length})
      </Subheading>
      {missing.map(p => (
        <Typography
          key={`${p.verb} ${p.resource} ${p.namespace ?? ''}`}
          variant="body2"
        >
          ✗ {p.verb} {p.resource}
          {p.namespace ? ` in ${p.namespace}` : ''} — needed for {p.neededFor}
        </Typography>
      ))}
      {status.missingPermissionsClusterRole && (
        <Box marginTop={1} maxWidth={720}>
          <Typography variant="body2">
            A ClusterRole granting exactly what is missing:
          </Typography>
          <CodeSnippet
            text={status.missingPermissionsClusterRole}
            language="yaml"
            showCopyCodeButton
          />
        </Box>
      )}
    </Box>
  );
}

/**
 * Everything about one cluster that is not about one entity: its last
 * scan, version and upstream support, who the plugin is there and what it
 * may not read, the v1.26 security features it serves, its control-plane
 * images and configuration problems.
 */
export function ClusterPanel({
  scan,
  problems,
}: {
  scan?: ClusterScanSummary;
  problems: ClusterConfigurationProblem[];
}) {
  const status = scan?.status;
  return (
    <>
      {problems.length > 0 && (
        <Box marginBottom={3}>
          <Subheading>Configuration problems</Subheading>
          {problems.map((problem, index) => (
            // Locators may report one problem twice: the index keys them.
            <Typography key={index} variant="body2" color="error">
              {problem.message}
              {problem.entityRef ? ` (fix ${problem.entityRef})` : ''}
            </Typography>
          ))}
        </Box>
      )}
      {scan ? (
        <LastScan scan={scan} />
      ) : (
        <Typography variant="body2" paragraph>
          Not scanned yet.
        </Typography>
      )}
      {status && (
        <>
          <Box marginBottom={3}>
            <Subheading>Version and identity</Subheading>
            <Typography variant="body2" component="div">
              <strong>Version:</strong> <KubernetesVersion status={status} />
            </Typography>
            <Typography variant="body2">
              <strong>Scanning as:</strong>{' '}
              {status.identity
                ? `${status.identity.username} (groups ${
                    status.identity.groups.join(', ') || 'none'
                  }; from ${status.identity.source})`
                : status.identityUnavailableReason ?? 'unknown'}
            </Typography>
            {status.windowsNodes && (
              <Typography variant="body2">
                <strong>Windows nodes:</strong>{' '}
                {status.windowsNodes.length
                  ? status.windowsNodes.join(', ')
                  : 'none'}
              </Typography>
            )}
          </Box>
          <Permissions status={status} />
          {status.features.length > 0 && (
            <Box marginBottom={3}>
              <Subheading>Security features (Kubernetes 1.26)</Subheading>
              <FeatureTable status={status} />
            </Box>
          )}
          {status.releaseImages && (
            <Box marginBottom={3}>
              <Subheading>Control-plane images</Subheading>
              <SectionTable<ImageVerification>
                columns={imageColumns}
                data={status.releaseImages}
                empty="No control-plane images found in kube-system."
              />
            </Box>
          )}
        </>
      )}
    </>
  );
}
