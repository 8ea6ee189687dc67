/**
 * Catalog annotations understood by the official Backstage Kubernetes plugin.
 * This plugin reads the same ones so that an entity set up for one works with
 * the other unchanged.
 */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';
/** Used by the `singleTenant` service locator to pin an entity to one cluster. */
export const ANNOTATION_KUBERNETES_CLUSTER = 'backstage.io/kubernetes-cluster';
