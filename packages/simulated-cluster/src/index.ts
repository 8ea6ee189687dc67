/**
 * A small, faithful Kubernetes API server for the demo, integration tests and
 * benchmarks: real discovery, list/get semantics, RBAC answers and Status bodies.
 *
 * @packageDocumentation
 */
export {
  startSimulatedCluster,
  type SimulatedCluster,
  type SimulatedClusterOptions,
} from './cluster';
export {
  loadSimulatorConfig,
  startSimulatorFromConfig,
  type SimulatedClusterConfig,
  type SimulatorConfig,
} from './config';
export type { Fault, FaultAnswer, FaultRequest } from './faults';
export { generateFleet, type FleetOptions } from './fleet';
export { loadManifests } from './manifests';
export {
  DEFAULT_KUBERNETES_VERSION,
  resolveVersionInfo,
  type KubernetesVersion,
  type KubernetesVersionFields,
  type VersionInfo,
} from './version';
export type {
  KubeObject,
  ObjectMeta,
  ObjectRef,
  OwnerReference,
  PolicyRule,
  RequestLogEntry,
  TokenGrant,
} from './types';
export * from './registry';
