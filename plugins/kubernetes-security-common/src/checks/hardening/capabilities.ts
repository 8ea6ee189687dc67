import type { Container } from '../../kubernetes';
import { containerFix } from '../fix';
import { field, type ContainerEntry } from '../podSpec';
import type { WorkloadUnderCheck } from '../types';
import { stringList } from '../securityContext';

/** The capabilities a container adds and drops, as written. */
export function capabilitiesOf(container: Container): {
  add: string[];
  drop: string[];
} {
  return {
    add: stringList(field(container.securityContext, 'capabilities.add')),
    drop: stringList(field(container.securityContext, 'capabilities.drop')),
  };
}

/**
 * The capability a runtime grants for a name: containerd upper-cases names
 * and CRI-O also accepts a `CAP_` prefix, so `cap_sys_admin` is SYS_ADMIN.
 */
export function normalizeCapability(name: string): string {
  return name.toUpperCase().replace(/^CAP_/, '');
}

/**
 * Fixes a container's capabilities: `add` keeps only what `keep` accepts
 * (the list is replaced whole by a patch; none left removes it) and,
 * with `dropAll`, `drop` becomes `["ALL"]`.
 */
export function capabilitiesFix(
  workload: WorkloadUnderCheck,
  { container, field: list }: Pick<ContainerEntry, 'container' | 'field'>,
  keep: (capability: string) => boolean,
  dropAll = false,
): string | undefined {
  const { add } = capabilitiesOf(container);
  const kept = add.filter(keep);
  return containerFix(
    workload,
    { field: list, name: container.name },
    {
      securityContext: {
        capabilities: {
          ...(dropAll ? { drop: ['ALL'] } : {}),
          ...(kept.length < add.length
            ? { add: kept.length ? kept : null }
            : {}),
        },
      },
    },
  );
}
