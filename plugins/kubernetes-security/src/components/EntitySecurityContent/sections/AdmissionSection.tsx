import { Table, TableColumn } from '@backstage/core-components';
import type {
  AdmissionEvaluation,
  AdmissionReport,
  AdmissionRequirement,
  ClusterReport,
} from '@internal/plugin-kubernetes-security-common';
import Box from '@material-ui/core/Box';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { SectionCard, workloadName } from './SectionCard';

const REQUIREMENTS: { id: AdmissionRequirement; label: string }[] = [
  { id: 'signed-images', label: 'Signed images' },
  { id: 'privileged-blocked', label: 'Privileged blocked' },
  { id: 'host-namespaces-blocked', label: 'Host namespaces blocked' },
  { id: 'pod-security-level', label: 'Pod Security level' },
];

const OUTCOMES: Record<AdmissionEvaluation['outcome'], string> = {
  'would-pass': 'Would pass',
  'would-be-denied': 'Would be denied',
  'would-warn': 'Would warn',
  'would-audit': 'Would be audited',
  'not-enforced': 'Not enforced',
  unknown: 'Could not evaluate',
};

const evaluationColumns: TableColumn<AdmissionEvaluation>[] = [
  {
    title: 'Policy',
    render: row =>
      `${row.policy}${row.binding ? ` (${row.binding})` : ''} · ${
        row.mechanism
      }`,
  },
  {
    title: 'Object',
    render: row => `${workloadName(row.object)} as ${row.object.evaluatedAs}`,
  },
  {
    title: 'Outcome',
    render: row => (
      <>
        <strong>{OUTCOMES[row.outcome] ?? row.outcome}</strong>
        {(row.message || row.reason) && (
          <Typography variant="caption" component="div">
            {row.message ?? row.reason}
          </Typography>
        )}
      </>
    ),
  },
];

function CoverageMatrix({ admission }: { admission: AdmissionReport }) {
  if (admission.coverage.length === 0) {
    return (
      <Typography variant="body2">
        No namespaces to assess in this cluster.
      </Typography>
    );
  }
  return (
    <MuiTable size="small" aria-label="Admission coverage by namespace">
      <TableHead>
        <TableRow>
          <TableCell>Namespace</TableCell>
          {REQUIREMENTS.map(r => (
            <TableCell key={r.id}>{r.label}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {admission.coverage.map(ns => (
          <TableRow key={ns.namespace}>
            <TableCell component="th" scope="row">
              {ns.namespace}
            </TableCell>
            {REQUIREMENTS.map(r => {
              const cell = ns.cells.find(c => c.requirement === r.id);
              return (
                <TableCell
                  key={r.id}
                  title={cell?.controls
                    .map(c => `${c.mechanism} ${c.name}: ${c.action}`)
                    .join('\n')}
                >
                  {cell?.strongestAction ?? 'not covered'}
                </TableCell>
              );
            })}
          </TableRow>
        ))}
      </TableBody>
    </MuiTable>
  );
}

export function AdmissionSection({ clusters }: { clusters: ClusterReport[] }) {
  return (
    <SectionCard
      id="admission"
      title="Admission"
      subheader="Which admission controls cover the namespaces, and what they would do to these workloads (a dry run)"
      clusters={clusters}
      section="admission"
      what="admission controls"
    >
      {admission => (
        <>
          <Typography variant="body2" gutterBottom>
            Served:{' '}
            {admission.served.length
              ? admission.served
                  .map(
                    s => `${s.mechanism}${s.version ? ` (${s.version})` : ''}`,
                  )
                  .join(', ')
              : 'no admission policy mechanism found'}
          </Typography>
          {admission.errors.map(error => (
            <Typography key={error.message} variant="body2" color="error">
              Partial data: {error.message}
            </Typography>
          ))}
          <CoverageMatrix admission={admission} />
          <Box marginTop={2}>
            <Table<AdmissionEvaluation>
              title="Dry run against the live objects"
              options={{ paging: false, search: false, padding: 'dense' }}
              columns={evaluationColumns}
              data={admission.evaluations}
              emptyContent={
                <Typography style={{ padding: 16 }}>
                  No policy applies to these workloads.
                </Typography>
              }
            />
          </Box>
        </>
      )}
    </SectionCard>
  );
}
