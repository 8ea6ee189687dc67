import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import { SecurityGradeChip } from './SecurityGradeChip';
import { useOptionalRouteRef } from '../links/useOptionalRouteRef';
import { useEntitySummaries } from './useEntitySummaries';

export interface EntitySecurityGradeChipProps {
  /** An entity ref string or compound ref. */
  entityRef: string | CompoundEntityRef;
}

/**
 * The link to an entity's Security tab, e.g.
 * `/catalog/default/component/x/kubernetes-security`; undefined in an app
 * without the catalog's entity pages.
 */
export function useSecurityTabLink() {
  const entityRoute = useOptionalRouteRef(entityRouteRef);
  return (ref: CompoundEntityRef): string | undefined =>
    entityRoute &&
    `${entityRoute({
      kind: ref.kind.toLocaleLowerCase('en-US'),
      namespace: ref.namespace.toLocaleLowerCase('en-US'),
      name: ref.name,
    })}/kubernetes-security`;
}

/**
 * An entity's current grade, linking to its Security tab; usable on any page.
 * Shows "—" for entities that were never scanned.
 */
export function EntitySecurityGradeChip({
  entityRef,
}: EntitySecurityGradeChipProps) {
  const { value, loading, error } = useEntitySummaries();
  const tabLink = useSecurityTabLink();
  const compound =
    typeof entityRef === 'string' ? parseEntityRef(entityRef) : entityRef;
  const ref = stringifyEntityRef(compound);
  // Same size as the chip: no layout jump when it arrives.
  if (loading) return <Skeleton variant="rect" width={48} height={24} />;
  if (error) {
    return (
      <Typography variant="body2" color="textSecondary" title={error.message}>
        unavailable
      </Typography>
    );
  }
  const summary = value?.get(ref);
  if (!summary?.grade) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        aria-label="Not scanned"
        title="Not scanned"
      >
        —
      </Typography>
    );
  }
  return (
    <SecurityGradeChip
      grade={summary.grade}
      score={summary.score}
      stale={summary.stale}
      to={tabLink(compound)}
    />
  );
}
