export * from './types';
export * from './checkCatalogue';
export { CHECK_METADATA, checkMetadata } from './checkMetadata';
export * from './runChecks';
export { containerEntries, effectiveSecurityContext, field } from './podSpec';
