import type { TableColumn } from '@backstage/core-components';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { EntitySecurityGradeChip } from './EntitySecurityGradeChip';

/**
 * A "Security" column for the catalog table (`CatalogTable`'s `columns`):
 * each entity's grade, linking to its Security tab. Every cell shares one
 * request for all grades.
 */
export function createSecurityGradeColumn<
  T extends { entity: Entity },
>(options?: { title?: string }): TableColumn<T> {
  return {
    title: options?.title ?? 'Security',
    field: 'entity.metadata.name',
    width: '90px',
    sorting: false,
    searchable: false,
    render: row => (
      <EntitySecurityGradeChip entityRef={stringifyEntityRef(row.entity)} />
    ),
  };
}
