import type { Check } from './types';
import { privilegedContainer } from './hardening/privilegedContainer';

/** Every check, in display order. Adding a check means adding one line here. */
export const ALL_CHECKS: readonly Check[] = [privilegedContainer];

export function getCheck(id: string): Check | undefined {
  return ALL_CHECKS.find(check => check.id === id);
}
