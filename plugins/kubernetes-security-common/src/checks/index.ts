export * from './types';
export * from './registry';
export * from './runChecks';
export { containerEntries, effectiveSecurityContext, field } from './podSpec';
