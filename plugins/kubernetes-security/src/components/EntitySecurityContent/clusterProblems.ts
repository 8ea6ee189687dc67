import {
  ClusterReport,
  ClusterStatus,
  qualifiedResource,
  ScanError,
  SCANNED_RESOURCES,
} from '@internal/plugin-kubernetes-security-common';

/** Without these, a cluster scan may miss an entity's workloads altogether. */
const WORKLOAD_RESOURCES = new Set(
  SCANNED_RESOURCES.filter(row => row.slot.in === 'workloads').map(
    qualifiedResource,
  ),
);

/** Read for the cluster panel only (its Windows nodes): no entity's data depends on it. */
const CLUSTER_PANEL_RESOURCES = new Set(['nodes']);

export function describeError(error: ScanError): string {
  return error.resource ? `${error.resource}: ${error.message}` : error.message;
}

/**
 * Whether what could not be read about a resource changes what the entity's
 * report says. Where the entity runs, every scanned resource feeds its
 * findings or sections; where it does not, only the workload kinds matter,
 * since without them its workloads there may simply be unseen.
 */
function affectsEntity(runsHere: boolean, resource: string | undefined) {
  if (resource && CLUSTER_PANEL_RESOURCES.has(resource)) return false;
  return runsHere || !resource || WORKLOAD_RESOURCES.has(resource);
}

/**
 * The cluster-level problems of one cluster that affect this entity's data
 * there, one line each: partial data and the plugin's missing permissions
 * (each said once, though a 403 shows up as both). The cluster view has
 * the full list.
 */
export function problemsAffectingEntity(
  report: ClusterReport,
  status: ClusterStatus | undefined,
): string[] {
  const runsHere = report.workloads.length > 0 || report.namespaces.length > 0;
  const errors = report.errors.filter(error =>
    affectsEntity(runsHere, error.resource),
  );
  const forbidden = new Set(
    report.errors.filter(e => e.type === 'FORBIDDEN').map(e => e.resource),
  );
  const permissions = (status?.permissions ?? []).filter(
    p =>
      !p.allowed &&
      !forbidden.has(p.resource) &&
      affectsEntity(runsHere, p.resource),
  );
  // Two errors may read the same (e.g. one per API version): say it once.
  return [
    ...new Set([
      ...errors.map(describeError),
      ...permissions.map(
        p =>
          `Missing permission: ${p.verb} ${p.resource}${
            p.namespace ? ` in ${p.namespace}` : ''
          }. Not shown: ${p.neededFor}.`,
      ),
    ]),
  ];
}
