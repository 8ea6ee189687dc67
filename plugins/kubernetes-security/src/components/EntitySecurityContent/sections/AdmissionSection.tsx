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
import { StatusChip } from '../../grades/StatusChip';
import {
  AdmissionStatus,
  controlDescriptions,
  coverageStatus,
  mechanismLabel,
  outcomeStatus,
} from './admissionView';
import { SectionCard, SubheadingTag, workloadName } from './SectionCard';

const REQUIREMENTS: { id: AdmissionRequirement; label: string }[] = [
  { id: 'signed-images', label: 'Signed images' },
  { id: 'privileged-blocked', label: 'Privileged blocked' },
  { id: 'host-namespaces-blocked', label: 'Host namespaces blocked' },
  { id: 'pod-security-level', label: 'Pod Security level' },
];

/** The coloured label, then what explains it. */
function StatusWithDetails({
  status,
  details,
}: {
  status: AdmissionStatus;
  details: string[];
}) {
  return (
    <>
      <StatusChip tone={status.tone} label={status.label} />
      {[...(status.reason ? [`Why: ${status.reason}`] : []), ...details].map(
        (line, index) => (
          // Lines may repeat (two controls of one name): the index keys them.
          <Typography key={index} variant="caption" component="div">
            {line}
          </Typography>
        ),
      )}
    </>
  );
}

const evaluationColumns: TableColumn<AdmissionEvaluation>[] = [
  {
    title: 'Policy',
    render: row =>
      `${row.policy}${
        row.binding ? ` (${row.binding})` : ''
      } · ${mechanismLabel(row.mechanism)}`,
  },
  {
    title: 'Object',
    render: row => `${workloadName(row.object)} as ${row.object.evaluatedAs}`,
  },
  {
    title: 'Outcome',
    render: row => (
      <StatusWithDetails
        // "Not enforced" and "could not evaluate" always say why.
        status={{ ...outcomeStatus(row.outcome), reason: row.reason }}
        details={row.message ? [`Message: ${row.message}`] : []}
      />
    ),
  },
];

function CoverageMatrix({
  admission,
  report,
}: {
  admission: AdmissionReport;
  report: ClusterReport;
}) {
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
        {admission.coverage.map(ns => {
          const labels = report.namespaces.find(
            n => n.name === ns.namespace,
          )?.podSecurityLabels;
          return (
            <TableRow key={ns.namespace}>
              <TableCell component="th" scope="row">
                {ns.namespace}
              </TableCell>
              {REQUIREMENTS.map(r => {
                const cell = ns.cells.find(c => c.requirement === r.id);
                return (
                  <TableCell key={r.id}>
                    <StatusWithDetails
                      status={coverageStatus(cell, labels)}
                      details={controlDescriptions(cell, labels)}
                    />
                  </TableCell>
                );
              })}
            </TableRow>
          );
        })}
      </TableBody>
    </MuiTable>
  );
}

function ClusterAdmission({
  admission,
  report,
  subheading,
}: {
  admission: AdmissionReport;
  report: ClusterReport;
  subheading: SubheadingTag;
}) {
  return (
    <>
      <Typography variant="body2" gutterBottom>
        Served:{' '}
        {admission.served.length
          ? admission.served
              .map(
                s =>
                  `${mechanismLabel(s.mechanism)}${
                    s.version ? ` (${s.version})` : ''
                  }`,
              )
              .join(', ')
          : 'no admission policy mechanism found'}
      </Typography>
      {admission.errors.map((error, index) => (
        // Two errors may say the same thing: the index keys them.
        <Typography key={index} variant="body2" color="error">
          Partial data: {error.message}
        </Typography>
      ))}
      <Typography variant="subtitle1" component={subheading} gutterBottom>
        Coverage by namespace
      </Typography>
      <CoverageMatrix admission={admission} report={report} />
      <Box marginTop={2}>
        <Typography variant="subtitle1" component={subheading} gutterBottom>
          Dry run against the live objects
        </Typography>
        <Table<AdmissionEvaluation>
          options={{
            paging: false,
            search: false,
            padding: 'dense',
            toolbar: false,
          }}
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
      {(admission, report, subheading) => (
        <ClusterAdmission
          admission={admission}
          report={report}
          subheading={subheading}
        />
      )}
    </SectionCard>
  );
}
