/**
 * Kubernetes Security backend plugin.
 *
 * @packageDocumentation
 */
export { kubernetesSecurityPlugin as default } from './plugin';
export {
  kubernetesSecurityClusterConditions,
  createKubernetesSecurityClusterConditionalDecision,
} from './router/clusterVisibility';
