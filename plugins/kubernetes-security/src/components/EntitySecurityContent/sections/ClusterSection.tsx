import { CodeSnippet, InfoCard, Link } from '@backstage/core-components';
import type {
  ClusterStatus,
  EntityReport,
} from '@internal/plugin-kubernetes-security-common';
import Box from '@material-ui/core/Box';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { NotCollected } from './SectionCard';

const SUPPORT: Record<NonNullable<ClusterStatus['support']>['status'], string> =
  {
    supported: 'supported upstream',
    maintenance: 'in maintenance upstream',
    'end-of-life': 'end of life upstream',
    unknown: 'support status unknown',
  };

function ClusterPanel({ status }: { status: ClusterStatus }) {
  const missing = status.permissions.filter(p => !p.allowed);
  return (
    <Box marginBottom={3}>
      <Typography variant="body2">
        <strong>Version:</strong> {status.gitVersion ?? 'unknown'}
        {status.support &&
          ` · ${SUPPORT[status.support.status] ?? status.support.status}${
            status.support.endOfLife
              ? ` (end of life ${status.support.endOfLife})`
              : ''
          }`}
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
          {status.windowsNodes.length ? status.windowsNodes.join(', ') : 'none'}
        </Typography>
      )}
      {status.errors.map(error => (
        <Typography key={error.message} variant="body2" color="error">
          Partial data: {error.message}
        </Typography>
      ))}
      {status.features.length > 0 && (
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
                  <Link
                    to={feature.docs}
                    target="_blank"
                    rel="noopener noreferrer"
                  >
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
      )}
      <Box marginTop={2}>
        <Typography variant="subtitle2">
          Permissions ({missing.length} missing of {status.permissions.length})
        </Typography>
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
    </Box>
  );
}

/** Each cluster's version, the plugin's identity and permissions there, and its security features. */
export function ClusterSection({ report }: { report: EntityReport }) {
  return (
    <Box id="cluster" component="section" aria-label="Cluster">
      <InfoCard
        title="Cluster"
        subheader="The clusters the workloads run in: version support, security features, and what the plugin may read there"
      >
        {report.clusters.map(({ cluster }) => {
          const status = report.clusterStatus?.find(s => s.cluster === cluster);
          return (
            <Box key={cluster}>
              <Typography variant="subtitle2" gutterBottom>
                {cluster}
              </Typography>
              {status ? (
                <ClusterPanel status={status} />
              ) : (
                <NotCollected cluster={cluster} what="the cluster's status" />
              )}
            </Box>
          );
        })}
      </InfoCard>
    </Box>
  );
}
