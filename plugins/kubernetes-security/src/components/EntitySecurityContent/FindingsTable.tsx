import { Link, Table, TableColumn } from '@backstage/core-components';
import {
  ClusterReport,
  Finding,
  getCheck,
  Severity,
  SEVERITIES,
} from '@internal/plugin-kubernetes-security-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';

const SEVERITY_COLORS: Record<Severity, string> = {
  critical: '#b71c1c',
  high: '#e65100',
  medium: '#f9a825',
  low: '#1565c0',
  info: '#616161',
};

export interface FindingRow extends Finding {
  id: string;
  cluster: string;
}

export function findingRows(clusters: ClusterReport[]): FindingRow[] {
  const rows = clusters.flatMap(report =>
    [
      ...report.workloads.flatMap(w => w.findings),
      ...report.namespaces.flatMap(n => n.findings),
    ].map((finding, index) => ({
      ...finding,
      cluster: report.cluster,
      id: `${report.cluster}-${index}`,
    })),
  );
  return rows.sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      a.checkId.localeCompare(b.checkId),
  );
}

export function SeverityChip({ severity }: { severity: Severity }) {
  return (
    <Chip
      size="small"
      label={severity}
      style={{
        backgroundColor: SEVERITY_COLORS[severity],
        color: '#fff',
        fontWeight: 600,
      }}
    />
  );
}

const columns: TableColumn<FindingRow>[] = [
  {
    title: 'Severity',
    field: 'severity',
    width: '8%',
    render: row => <SeverityChip severity={row.severity} />,
  },
  {
    title: 'Check',
    field: 'checkId',
    render: row => getCheck(row.checkId)?.title ?? row.checkId,
  },
  {
    title: 'Object',
    render: row =>
      `${row.object.kind} ${
        row.object.namespace ? `${row.object.namespace}/` : ''
      }${row.object.name}`,
  },
  { title: 'Cluster', field: 'cluster', width: '8%' },
  { title: 'Message', field: 'message' },
];

function Remediation({ finding }: { finding: FindingRow }) {
  const check = getCheck(finding.checkId);
  return (
    <Box padding={2}>
      <Typography variant="body2">
        <strong>Where:</strong> <code>{finding.path}</code>
        {finding.evidence !== undefined && (
          <>
            {' '}
            = <code>{finding.evidence}</code>
          </>
        )}
      </Typography>
      {check && (
        <>
          <Typography variant="body2">
            <strong>Why:</strong> {check.rationale}
          </Typography>
          <Typography variant="body2">
            <strong>Fix:</strong> {check.remediation.text}
          </Typography>
          <pre style={{ margin: '8px 0' }}>{check.remediation.yaml}</pre>
          <Link to={check.docs}>Kubernetes documentation</Link>
        </>
      )}
    </Box>
  );
}

export function FindingsTable({ clusters }: { clusters: ClusterReport[] }) {
  const rows = findingRows(clusters);
  return (
    <Table<FindingRow>
      title={`Findings (${rows.length})`}
      options={{
        paging: rows.length > 20,
        pageSize: 20,
        padding: 'dense',
        search: true,
      }}
      columns={columns}
      data={rows}
      detailPanel={({ rowData }) => <Remediation finding={rowData} />}
      // A click anywhere on the row opens its evidence and remediation.
      onRowClick={(_event, _row, togglePanel) => togglePanel?.()}
      emptyContent={
        <Typography style={{ padding: 16 }}>No findings.</Typography>
      }
    />
  );
}
