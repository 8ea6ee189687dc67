import type { EntityReport } from '@internal/plugin-kubernetes-security-common';
import Box from '@material-ui/core/Box';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { KubernetesVersion } from '../../Clusters/ClusterPanel';
import { useClusterLink } from '../../links/useClusterLink';
import { MaybeLink } from '../../TeamScorecards/TeamsTable';
import { relativeTime } from '../relativeTime';
import { SectionInfoCard } from '../../SectionInfoCard';

/**
 * The clusters the entity was scanned in, one line each, linking to each
 * cluster's panel (permissions, security features, scans): what concerns
 * the cluster as a whole lives there, not on every entity.
 */
export function ClustersSection({ report }: { report: EntityReport }) {
  const clusterLink = useClusterLink();
  return (
    <Box id="clusters" component="section" aria-label="Clusters">
      <SectionInfoCard
        title="Clusters"
        subheader="Where the workloads run: each cluster's version and its panel (scans, the plugin's permissions, security features)"
      >
        <MuiTable size="small" aria-label="Clusters of this entity">
          <TableHead>
            <TableRow>
              <TableCell>Cluster</TableCell>
              <TableCell>Kubernetes</TableCell>
              <TableCell>Workloads of this entity</TableCell>
              <TableCell>Data from</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {report.clusters.map(cluster => (
              <TableRow key={cluster.cluster}>
                <TableCell component="th" scope="row">
                  <MaybeLink to={clusterLink(cluster.cluster)}>
                    {cluster.cluster}
                  </MaybeLink>
                </TableCell>
                <TableCell>
                  <KubernetesVersion
                    status={report.clusterStatus?.find(
                      s => s.cluster === cluster.cluster,
                    )}
                  />
                </TableCell>
                <TableCell>{cluster.workloads.length}</TableCell>
                <TableCell>
                  {relativeTime(cluster.scannedAt)}
                  {cluster.stale ? ' (last scan failed)' : ''}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </MuiTable>
      </SectionInfoCard>
    </Box>
  );
}
