import type { Entity } from '@backstage/catalog-model';
import fc from 'fast-check';
import {
  anyString,
  fuzzParameters,
  fuzzTimeout,
  objectFromEntries,
  TRICKY_KEYS,
} from './__testUtils__';
import {
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
} from './annotations';
import {
  getEntityKubernetesTarget,
  hasKubernetesAnnotations,
  resolveEntityTarget,
} from './entityTarget';
import {
  LabelSelectorSyntaxError,
  matchesLabelSelector,
} from './labelSelector';

const annotationValue = fc.oneof(
  fc.constantFrom('', 'dice-roller', 'app=web', 'app in (a,b),!legacy', 'a b'),
  anyString,
);

/** Entities as the catalog serves them: string annotations, any of their values. */
const entity: fc.Arbitrary<Entity> = fc
  .record({
    name: fc.oneof(fc.constantFrom('dice-roller', 'a'), anyString),
    annotations: fc.option(
      fc
        .array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom(
                ANNOTATION_KUBERNETES_ID,
                ANNOTATION_KUBERNETES_LABEL_SELECTOR,
                ANNOTATION_KUBERNETES_NAMESPACE,
                ANNOTATION_KUBERNETES_CLUSTER,
                ...TRICKY_KEYS,
              ),
              anyString,
            ),
            annotationValue,
          ),
          { maxLength: 6 },
        )
        .map(entries => objectFromEntries(entries) as Record<string, string>),
      { nil: undefined },
    ),
  })
  .map(({ name, annotations }) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
  }));

/** What a Kubernetes object can carry as a label value; nothing else can be matched by one. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The scan reports a syntax error on the entity; anything else thrown is a bug. */
function resolvedOrSyntaxError(subject: Entity) {
  try {
    return resolveEntityTarget(subject);
  } catch (error) {
    if (error instanceof LabelSelectorSyntaxError) return error;
    throw error;
  }
}

describe('entity annotations', () => {
  it(
    'resolve to a target, or to a label selector syntax error the scan can report',
    () => {
      fc.assert(
        fc.property(entity, subject => {
          const annotations = subject.metadata.annotations ?? {};
          expect(hasKubernetesAnnotations(subject)).toBe(
            Boolean(
              annotations[ANNOTATION_KUBERNETES_ID] ||
                annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR],
            ),
          );
          const target = getEntityKubernetesTarget(subject);
          expect(target.serviceId).toBe(
            annotations[ANNOTATION_KUBERNETES_ID] || subject.metadata.name,
          );
          const resolved = resolvedOrSyntaxError(subject);
          // Without a selector annotation, the target is what is labelled
          // with the service id (when the id can be a label value at all:
          // the selector parser trims whitespace as the API server does).
          if (
            resolved instanceof LabelSelectorSyntaxError ||
            annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR] ||
            !LABEL_VALUE.test(target.serviceId) ||
            target.serviceId.length > 63
          )
            return;
          expect(
            matchesLabelSelector(
              { [ANNOTATION_KUBERNETES_ID]: target.serviceId },
              resolved.selector,
            ),
          ).toBe(true);
        }),
        fuzzParameters(1000),
      );
    },
    fuzzTimeout(),
  );
});
