import type { TableColumn } from '@backstage/core-components';
import type {
  ClusterReport,
  FsGroupOutcome,
  VolumeFsGroupResult,
} from '@internal/plugin-kubernetes-security-common';
import Typography from '@material-ui/core/Typography';
import { SectionCard, SectionTable, workloadName } from './SectionCard';

const OUTCOMES: Record<FsGroupOutcome, string> = {
  'applied-recursively': 'Applied recursively on every mount',
  'applied-on-mismatch': 'Applied when the root does not match',
  'not-applied': 'Not applied by the kubelet',
  'no-fs-group': 'No fsGroup set',
  unknown: 'Unknown',
};

const columns: TableColumn<VolumeFsGroupResult>[] = [
  { title: 'Workload', render: row => workloadName(row.workload) },
  {
    title: 'Volume',
    render: row =>
      `${row.volume} (${row.source}${row.claim ? ` ${row.claim}` : ''})`,
  },
  {
    title: 'CSI driver',
    render: row =>
      row.driver
        ? `${row.driver}${
            row.fsGroupPolicy ? ` · fsGroupPolicy ${row.fsGroupPolicy}` : ''
          }`
        : '—',
  },
  {
    title: 'fsGroup',
    render: row =>
      row.fsGroup === undefined
        ? 'not set'
        : `${row.fsGroup}${
            row.fsGroupChangePolicy ? ` (${row.fsGroupChangePolicy})` : ''
          }`,
  },
  {
    title: 'Outcome',
    render: row => (
      <>
        <strong>{OUTCOMES[row.outcome] ?? row.outcome}</strong>
        <Typography variant="caption" component="div">
          {row.reason}
        </Typography>
      </>
    ),
  },
];

export function StorageSection({ clusters }: { clusters: ClusterReport[] }) {
  return (
    <SectionCard
      id="storage"
      title="Storage (fsGroup)"
      subheader="How the kubelet or the CSI driver applies fsGroup to each volume (KEP-2317)"
      clusters={clusters}
      section="storage"
      what="volumes and their fsGroup handling"
    >
      {volumes => (
        <SectionTable<VolumeFsGroupResult>
          columns={columns}
          data={volumes}
          empty="The workloads mount no CSI-backed volumes."
        />
      )}
    </SectionCard>
  );
}
