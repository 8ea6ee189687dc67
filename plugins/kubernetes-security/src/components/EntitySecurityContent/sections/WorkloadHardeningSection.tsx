import { Table, TableColumn } from '@backstage/core-components';
import type {
  ClusterReport,
  WorkloadSummary,
} from '@internal/plugin-kubernetes-security-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { SecurityGradeChip } from '../../grades/SecurityGradeChip';
import { relativeTime } from '../relativeTime';
import { areaLabel } from '../checkInfo';
import { SectionInfoCard } from '../../SectionInfoCard';

/** The areas this section sums up; the others have sections of their own. */
const HARDENING_AREAS = [
  'workload-hardening',
  'host-access',
  'images',
  'pod-security-admission',
];

/** Digests are long: show enough to tell them apart, the rest on hover. */
function shortImage(image: string): string {
  return image.replace(/@(sha256:[0-9a-f]{12})[0-9a-f]+/, '@$1…');
}

const workloadColumns: TableColumn<WorkloadSummary>[] = [
  {
    title: 'Kind',
    field: 'kind',
    width: '10%',
    cellStyle: { whiteSpace: 'nowrap' },
  },
  { title: 'Namespace', field: 'namespace', width: '12%' },
  { title: 'Name', field: 'name' },
  {
    title: 'Grade',
    width: '8%',
    render: w => (
      <SecurityGradeChip grade={w.score.grade} score={w.score.score} />
    ),
  },
  {
    title: 'Hardening findings',
    width: '18%',
    render: w => {
      const counts = new Map<string, number>();
      w.findings
        .filter(f => HARDENING_AREAS.includes(f.area))
        .forEach(f => counts.set(f.area, (counts.get(f.area) ?? 0) + 1));
      return counts.size
        ? [...counts.entries()]
            .map(([area, n]) => `${areaLabel(area)}: ${n}`)
            .join(' · ')
        : 'none';
    },
  },
  {
    title: 'Pods',
    width: '8%',
    render: w =>
      w.replicas
        ? `${w.replicas.ready ?? 0}/${w.replicas.desired ?? 0} ready`
        : String(w.pods.length),
  },
  { title: 'Service account', field: 'serviceAccountName', width: '12%' },
  {
    title: 'Images',
    width: '30%',
    render: w => (
      <>
        {w.containers.map(c => (
          <Typography
            key={`${c.type}:${c.name}`}
            variant="body2"
            component="div"
          >
            {c.name}
            {c.type !== 'container' ? ` (${c.type})` : ''}:{' '}
            <code title={c.image}>{shortImage(c.image)}</code>
          </Typography>
        ))}
      </>
    ),
  },
];

/** Each cluster's workloads with their grade and hardening findings. */
export function WorkloadHardeningSection({
  clusters,
}: {
  clusters: ClusterReport[];
}) {
  return (
    <Box
      id="workload-hardening"
      component="section"
      aria-label="Workload hardening"
    >
      <SectionInfoCard
        title="Workload hardening"
        subheader="Security contexts, host access, images and Pod Security Admission, per workload"
      >
        {clusters.map(report => (
          <Box key={report.cluster} marginBottom={2}>
            <Typography variant="h6" component="h3">
              Workloads in {report.cluster}
            </Typography>
            <Typography variant="body2" color="textSecondary" gutterBottom>
              scanned {relativeTime(report.scannedAt)} · selector{' '}
              {report.labelSelector}
              {report.namespace ? ` · namespace ${report.namespace}` : ''}
            </Typography>
            <Table<WorkloadSummary>
              options={{
                paging: false,
                search: false,
                padding: 'dense',
                toolbar: false,
              }}
              columns={workloadColumns}
              data={report.workloads}
              emptyContent={
                <Typography style={{ padding: 16 }}>
                  No workloads match this entity in {report.cluster}.
                </Typography>
              }
            />
          </Box>
        ))}
      </SectionInfoCard>
    </Box>
  );
}
