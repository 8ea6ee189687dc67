import type { Container } from '../../kubernetes';
import { field } from '../podSpec';
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
