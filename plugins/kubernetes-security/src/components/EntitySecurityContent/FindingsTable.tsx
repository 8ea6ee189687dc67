import {
  CodeSnippet,
  Link,
  Table,
  TableColumn,
} from '@backstage/core-components';
import {
  ClusterReport,
  Finding,
} from '@internal/plugin-kubernetes-security-common';
import {
  Severity,
  SEVERITIES,
} from '@internal/plugin-kubernetes-security-common/checkMetadata';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { SEVERITY_STYLES } from '../grades/gradeStyles';
import { areaLabel, checkInfo, docsLabel } from './checkInfo';

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
  const style = SEVERITY_STYLES[severity] ?? SEVERITY_STYLES.info;
  return (
    <Chip
      size="small"
      label={severity}
      style={{
        backgroundColor: style.background,
        color: style.text,
        fontWeight: 600,
      }}
    />
  );
}

function objectName(finding: Finding): string {
  return `${finding.object.kind} ${
    finding.object.namespace ? `${finding.object.namespace}/` : ''
  }${finding.object.name}`;
}

const columns: TableColumn<FindingRow>[] = [
  {
    title: 'Severity',
    field: 'severity',
    width: '8%',
    render: row => <SeverityChip severity={row.severity} />,
    customSort: (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity),
  },
  {
    title: 'Check',
    field: 'checkId',
    width: '18%',
    render: row => checkInfo(row.checkId).title,
    customFilterAndSearch: (term, row) =>
      `${checkInfo(row.checkId).title} ${row.checkId}`
        .toLocaleLowerCase('en-US')
        .includes(String(term).toLocaleLowerCase('en-US')),
  },
  {
    title: 'Area',
    field: 'area',
    width: '12%',
    render: row => areaLabel(row.area),
  },
  {
    title: 'Object',
    width: '20%',
    render: row => objectName(row),
    customFilterAndSearch: (term, row) =>
      objectName(row)
        .toLocaleLowerCase('en-US')
        .includes(String(term).toLocaleLowerCase('en-US')),
  },
  { title: 'Cluster', field: 'cluster', width: '8%' },
  { title: 'Message', field: 'message', width: '34%' },
];

/** Evidence, the fix as text and YAML (copyable), and the docs behind it. */
export function FindingDetail({ finding }: { finding: FindingRow }) {
  const { title, check } = checkInfo(finding.checkId);
  return (
    <Box padding={2} data-testid="finding-detail">
      <Typography variant="subtitle2" gutterBottom>
        {title}
      </Typography>
      <Typography variant="body2">
        <strong>Object:</strong> {objectName(finding)} (
        {finding.object.apiVersion}) in {finding.cluster}
      </Typography>
      {finding.container && (
        <Typography variant="body2">
          <strong>Container:</strong> {finding.container}
        </Typography>
      )}
      <Typography variant="body2">
        <strong>Field:</strong> <code>{finding.path}</code>
        {finding.evidence !== undefined && (
          <>
            {' '}
            = <code>{finding.evidence}</code>
          </>
        )}
      </Typography>
      {check ? (
        <>
          <Typography variant="body2">
            <strong>Why:</strong> {check.rationale}
          </Typography>
          <Typography variant="body2">
            <strong>Fix:</strong> {check.remediation.text}
          </Typography>
          <Box marginY={1} maxWidth={720}>
            <CodeSnippet
              text={check.remediation.yaml}
              language="yaml"
              showCopyCodeButton
            />
          </Box>
          <Link to={check.docs} target="_blank" rel="noopener noreferrer">
            {docsLabel(check.docs)}
          </Link>
        </>
      ) : (
        <Typography variant="body2" color="textSecondary">
          This version of the plugin has no description of the check "
          {finding.checkId}" yet; the finding above is all it reported.
        </Typography>
      )}
    </Box>
  );
}

function FilterSelect({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange(value: string): void;
}) {
  return (
    <FormControl size="small" variant="outlined" style={{ minWidth: 160 }}>
      <InputLabel id={`${id}-label`}>{label}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        value={value}
        label={label}
        onChange={event => onChange(String(event.target.value))}
      >
        <MenuItem value="">All</MenuItem>
        {options.map(option => (
          <MenuItem key={option.value} value={option.value}>
            {option.label}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

const unique = (values: string[]) => [...new Set(values)].sort();

/** Every finding of the entity, filterable by severity, area and cluster, and searchable. */
export function FindingsTable({ clusters }: { clusters: ClusterReport[] }) {
  const rows = findingRows(clusters);
  const [severity, setSeverity] = useState('');
  const [area, setArea] = useState('');
  const [cluster, setCluster] = useState('');
  const shown = rows.filter(
    row =>
      (!severity || row.severity === severity) &&
      (!area || row.area === area) &&
      (!cluster || row.cluster === cluster),
  );
  const filtered = shown.length !== rows.length;
  return (
    <>
      <Box
        display="flex"
        flexWrap="wrap"
        style={{ gap: 16 }}
        marginBottom={2}
        role="group"
        aria-label="Filter findings"
      >
        <FilterSelect
          id="findings-severity"
          label="Severity"
          value={severity}
          onChange={setSeverity}
          options={SEVERITIES.filter(s => rows.some(r => r.severity === s)).map(
            s => ({ value: s, label: s }),
          )}
        />
        <FilterSelect
          id="findings-area"
          label="Area"
          value={area}
          onChange={setArea}
          options={unique(rows.map(r => r.area)).map(a => ({
            value: a,
            label: areaLabel(a),
          }))}
        />
        <FilterSelect
          id="findings-cluster"
          label="Cluster"
          value={cluster}
          onChange={setCluster}
          options={unique(clusters.map(c => c.cluster)).map(c => ({
            value: c,
            label: c,
          }))}
        />
      </Box>
      <Table<FindingRow>
        title={`Findings (${filtered ? `${shown.length} of ` : ''}${
          rows.length
        })`}
        options={{
          paging: shown.length > 20,
          pageSize: 20,
          padding: 'dense',
          search: true,
        }}
        columns={columns}
        data={shown}
        detailPanel={({ rowData }) => <FindingDetail finding={rowData} />}
        // A click anywhere on the row opens its evidence and remediation.
        onRowClick={(_event, _row, togglePanel) => togglePanel?.()}
        emptyContent={
          <Typography style={{ padding: 16 }}>
            {filtered ? 'No findings match these filters.' : 'No findings.'}
          </Typography>
        }
      />
    </>
  );
}
