/**
 * Shared types and pure logic of the Kubernetes Security plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './entityTarget';
export * from './kubernetes';
export * from './labelSelector';
export * from './scanError';
export * from './report';
export * from './reportSections';
export * from './workloads';
export * from './kubeObjectShape';
export * from './permissions';
export * from './checks';
export * from './scoreModel';
export * from './scoring';
export * from './scorecards';
export * from './assessment';
export * from './admission';
export * from './clusterObjects';
export * from './scannedResources';
export * from './storage/fsGroup';
export * from './cluster/clusterFeatures';
export * from './tokens/serviceAccountUsage';
