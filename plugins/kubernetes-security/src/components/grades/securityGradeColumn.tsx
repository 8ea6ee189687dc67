import type { TableColumn } from '@backstage/core-components';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { EntityReportSummary } from '@internal/plugin-kubernetes-security-common';
import { useEffect } from 'react';
import { EntitySecurityGradeChip } from './EntitySecurityGradeChip';
import { useEntitySummaries } from './useEntitySummaries';

type Summaries = Map<string, EntityReportSummary>;

/** A cell's chip, which also hands the loaded grades to the column's sort. */
function GradeCell({
  entityRef,
  onLoaded,
}: {
  entityRef: string;
  onLoaded(summaries: Summaries): void;
}) {
  const { value } = useEntitySummaries();
  useEffect(() => {
    if (value) onLoaded(value);
  }, [value, onLoaded]);
  return <EntitySecurityGradeChip entityRef={entityRef} />;
}

/**
 * By score, worst first when ascending; entities never scanned come last
 * whichever the direction (material-table passes it as a fourth argument
 * and swaps the rows when descending).
 */
export function compareScores(
  a: number | undefined,
  b: number | undefined,
  direction?: 'asc' | 'desc',
): number {
  const unscannedLast = direction === 'desc' ? -1 : 1;
  if (a === undefined) return b === undefined ? 0 : unscannedLast;
  if (b === undefined) return -unscannedLast;
  return a - b;
}

/**
 * A "Security" column for the catalog table (`CatalogTable`'s `columns`):
 * each entity's grade, linking to its Security tab, sortable by score.
 * Every cell shares one request for all grades.
 */
export function createSecurityGradeColumn<
  T extends { entity: Entity },
>(options?: { title?: string }): TableColumn<T> {
  // material-table sorts outside React: the cells hand it what they loaded.
  let summaries: Summaries | undefined;
  const onLoaded = (loaded: Summaries) => {
    summaries = loaded;
  };
  const scoreOf = (row: T) =>
    summaries?.get(stringifyEntityRef(row.entity))?.score;
  const customSort = (
    a: T,
    b: T,
    _type: 'row' | 'group',
    direction?: 'asc' | 'desc',
  ) => compareScores(scoreOf(a), scoreOf(b), direction);
  return {
    title: options?.title ?? 'Security',
    field: 'entity.metadata.name',
    width: '90px',
    searchable: false,
    customSort,
    render: row => (
      <GradeCell
        entityRef={stringifyEntityRef(row.entity)}
        onLoaded={onLoaded}
      />
    ),
  };
}
