/**
 * Kubernetes Security backend plugin.
 *
 * @packageDocumentation
 */
export { kubernetesSecurityPlugin as default } from './plugin';
export * from './signatures';
export {
  kubernetesSecurityClusterConditions,
  createKubernetesSecurityClusterConditionalDecision,
} from './service/clusterVisibility';
