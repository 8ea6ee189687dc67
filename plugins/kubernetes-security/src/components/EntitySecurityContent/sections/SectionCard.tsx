import { Table, TableColumn } from '@backstage/core-components';
import type { ClusterReport } from '@internal/plugin-kubernetes-security-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Fragment, ReactNode } from 'react';
import { SectionInfoCard } from '../../SectionInfoCard';

/**
 * Shown where a cluster's report has no such section: the data was not
 * collected (older scan, missing permission, feature off), which is never
 * the same as "nothing found".
 */
function NotCollected({ cluster, what }: { cluster: string; what: string }) {
  return (
    <Box
      border={1}
      borderColor="warning.main"
      borderRadius={4}
      padding={1.5}
      marginBottom={1}
      role="note"
    >
      <Typography variant="body2">
        <strong>{cluster}: not collected.</strong> This scan did not report{' '}
        {what}, so nothing can be said about it here — not even that it is fine.
      </Typography>
    </Box>
  );
}

/** The heading tag below a section title (h2) and its clusters' names (h3). */
export type SubheadingTag = 'h3' | 'h4';

/**
 * A section of the Security tab over every cluster of the entity: each
 * cluster's part, or "not collected" when its report lacks the section.
 */
export function SectionCard<K extends keyof ClusterReport>({
  id,
  title,
  subheader,
  clusters,
  section,
  what,
  children,
}: {
  id: string;
  title: string;
  subheader?: string;
  clusters: ClusterReport[];
  section: K;
  /** What the section is about, for the "not collected" notice. */
  what: string;
  children(
    data: NonNullable<ClusterReport[K]>,
    report: ClusterReport,
    subheading: SubheadingTag,
  ): ReactNode;
}) {
  // With several clusters each has a heading (h3), and headings inside a
  // cluster's part go one level below it.
  const perCluster = clusters.length > 1;
  return (
    <Box id={id} component="section" aria-label={title}>
      <SectionInfoCard title={title} subheader={subheader}>
        {clusters.map(report => {
          const data = report[section];
          return (
            <Fragment key={report.cluster}>
              {perCluster && (
                <Typography variant="subtitle2" component="h3" gutterBottom>
                  {report.cluster}
                </Typography>
              )}
              {data === undefined || data === null ? (
                <NotCollected cluster={report.cluster} what={what} />
              ) : (
                <Box marginBottom={2}>
                  {children(
                    data as NonNullable<ClusterReport[K]>,
                    report,
                    perCluster ? 'h4' : 'h3',
                  )}
                </Box>
              )}
            </Fragment>
          );
        })}
      </SectionInfoCard>
    </Box>
  );
}

export function workloadName(ref: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  return `${ref.kind} ${ref.namespace}/${ref.name}`;
}

/** A section's dense table of one cluster's entries, with a sentence when there are none. */
export function SectionTable<T extends object>({
  columns,
  data,
  empty,
  paging = false,
}: {
  columns: TableColumn<T>[];
  data: T[];
  empty: string;
  paging?: boolean;
}) {
  return (
    <Table<T>
      options={{ paging, search: false, padding: 'dense', toolbar: false }}
      columns={columns}
      data={data}
      emptyContent={<Typography style={{ padding: 16 }}>{empty}</Typography>}
    />
  );
}
