import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
} from './annotations';
import { LabelSelector, parseLabelSelector } from './labelSelector';

/**
 * Which Kubernetes objects belong to an entity, resolved exactly like the
 * official Kubernetes plugin does: the service id is the `kubernetes-id`
 * annotation or else the entity name; the label selector annotation wins over
 * `backstage.io/kubernetes-id=<id>`; the namespace annotation narrows the
 * search to one namespace, otherwise all namespaces count.
 */
export interface EntityKubernetesTarget {
  serviceId: string;
  /** The selector in its string form, as shown to users. */
  labelSelector: string;
  /** Undefined means every namespace. */
  namespace?: string;
}

export type ResolvedEntityTarget = EntityKubernetesTarget & {
  selector: LabelSelector;
};

/**
 * Whether the entity opts into Kubernetes at all. Like the official frontend's
 * `isKubernetesAvailable`, only the id and label-selector annotations count.
 */
export function hasKubernetesAnnotations(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[ANNOTATION_KUBERNETES_ID] ||
      annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR],
  );
}

export function getEntityKubernetesTarget(
  entity: Entity,
): EntityKubernetesTarget {
  const annotations = entity.metadata.annotations ?? {};
  // `||` rather than `??` on purpose: the official plugin treats an empty
  // annotation like a missing one.
  const serviceId =
    annotations[ANNOTATION_KUBERNETES_ID] || entity.metadata.name;
  const labelSelector =
    annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR] ||
    `${ANNOTATION_KUBERNETES_ID}=${serviceId}`;
  const namespace = annotations[ANNOTATION_KUBERNETES_NAMESPACE] || undefined;
  return { serviceId, labelSelector, ...(namespace ? { namespace } : {}) };
}

/**
 * Resolves and parses the target. Throws `LabelSelectorSyntaxError` for a
 * malformed label-selector annotation, so callers can report it on the entity.
 */
export function resolveEntityTarget(entity: Entity): ResolvedEntityTarget {
  const target = getEntityKubernetesTarget(entity);
  return { ...target, selector: parseLabelSelector(target.labelSelector) };
}
