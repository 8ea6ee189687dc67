import {
  CodeSnippet,
  Link,
  Table,
  TableColumn,
} from '@backstage/core-components';
import type {
  ClusterReport,
  Finding,
} from '@internal/plugin-kubernetes-security-common';
import {
  Severity,
  SEVERITIES,
} from '@internal/plugin-kubernetes-security-common/checkMetadata';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import IconButton from '@material-ui/core/IconButton';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import KeyboardArrowRight from '@material-ui/icons/KeyboardArrowRight';
import { useState } from 'react';
import { SEVERITY_STYLES } from '../grades/gradeStyles';
import { areaLabel, checkInfo, docsLabel } from './checkInfo';
import { FindingRow, findingRows } from './findingRows';

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

/** What material-table adds to each row it renders. */
type RenderedRow = FindingRow & { tableData?: { showDetailPanel?: unknown } };

/**
 * The row's own expand button, named after its finding (material-table's
 * is called "Detail panel visiblity toggle" on every row). Its click
 * reaches the row, which toggles the panel.
 */
function DetailsToggle({ row }: { row: RenderedRow }) {
  const open = Boolean(row.tableData?.showDetailPanel);
  return (
    <IconButton
      size="small"
      aria-label={`Show details of ${
        checkInfo(row.checkId).title
      } (${objectName(row)}${
        row.container ? `, container ${row.container}` : ''
      })`}
      aria-expanded={open}
    >
      <KeyboardArrowRight
        style={{
          transform: open ? 'rotate(90deg)' : 'none',
          transition: 'transform 200ms',
        }}
      />
    </IconButton>
  );
}

const columns: TableColumn<FindingRow>[] = [
  {
    title: '',
    width: '4%',
    sorting: false,
    render: row => <DetailsToggle row={row} />,
  },
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
  {
    title: 'Clusters',
    width: '10%',
    render: row => row.clusters.join(', '),
    customSort: (a, b) =>
      a.clusters.join(', ').localeCompare(b.clusters.join(', ')),
    customFilterAndSearch: (term, row) =>
      row.clusters.some(c =>
        c
          .toLocaleLowerCase('en-US')
          .includes(String(term).toLocaleLowerCase('en-US')),
      ),
  },
  { title: 'Message', field: 'message', width: '28%' },
];

/** Evidence, the fix as text and YAML (copyable), and the docs behind it. */
export function FindingDetail({ finding }: { finding: FindingRow }) {
  const { title, check } = checkInfo(finding.checkId);
  const sameInEveryCluster = finding.occurrences.every(
    o => o.message === finding.message && o.evidence === finding.evidence,
  );
  return (
    <Box padding={2} data-testid="finding-detail">
      <Typography variant="subtitle2" component="h3" gutterBottom>
        {title}
      </Typography>
      <Typography variant="body2">
        <strong>Object:</strong> {objectName(finding)} (
        {finding.object.apiVersion}) in {finding.clusters.join(', ')}
      </Typography>
      {finding.container && (
        <Typography variant="body2">
          <strong>Container:</strong> {finding.container}
        </Typography>
      )}
      <Typography variant="body2">
        <strong>Field:</strong> <code>{finding.path}</code>
        {sameInEveryCluster && finding.evidence !== undefined && (
          <>
            {' '}
            = <code>{finding.evidence}</code>
          </>
        )}
      </Typography>
      {!sameInEveryCluster &&
        finding.occurrences.map(occurrence => (
          <Typography variant="body2" key={occurrence.cluster}>
            <strong>In {occurrence.cluster}:</strong> {occurrence.message}
            {occurrence.evidence !== undefined && (
              <>
                {' '}
                (<code>{occurrence.evidence}</code>)
              </>
            )}
          </Typography>
        ))}
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
              // The finding's own patch where the scan wrote one, else the check's example.
              text={finding.fix ?? check.remediation.yaml}
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
      (!cluster || row.clusters.includes(cluster)),
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
          // Each row has its own, named expand button (see DetailsToggle).
          showDetailPanelIcon: false,
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
