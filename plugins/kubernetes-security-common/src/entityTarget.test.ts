import type { Entity } from '@backstage/catalog-model';
import {
  getEntityKubernetesTarget,
  hasKubernetesAnnotations,
  resolveEntityTarget,
} from './entityTarget';

function component(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'dice-roller', namespace: 'default', annotations },
    spec: {},
  };
}

// Cases mirror the official plugin's KubernetesFanOutHandler resolution.
describe('getEntityKubernetesTarget', () => {
  it('uses the kubernetes-id annotation as service id and selector', () => {
    expect(
      getEntityKubernetesTarget(
        component({ 'backstage.io/kubernetes-id': 'dice' }),
      ),
    ).toEqual({
      serviceId: 'dice',
      labelSelector: 'backstage.io/kubernetes-id=dice',
    });
  });

  it('falls back to the entity name without an id annotation', () => {
    expect(getEntityKubernetesTarget(component())).toEqual({
      serviceId: 'dice-roller',
      labelSelector: 'backstage.io/kubernetes-id=dice-roller',
    });
  });

  it('treats an empty id annotation like a missing one', () => {
    expect(
      getEntityKubernetesTarget(component({ 'backstage.io/kubernetes-id': '' }))
        .serviceId,
    ).toBe('dice-roller');
  });

  it('prefers the label selector annotation over the id', () => {
    expect(
      getEntityKubernetesTarget(
        component({
          'backstage.io/kubernetes-id': 'dice',
          'backstage.io/kubernetes-label-selector':
            'app=my-app,component=front-end',
        }),
      ),
    ).toEqual({
      serviceId: 'dice',
      labelSelector: 'app=my-app,component=front-end',
    });
  });

  it('narrows to the namespace annotation when present', () => {
    expect(
      getEntityKubernetesTarget(
        component({
          'backstage.io/kubernetes-id': 'dice',
          'backstage.io/kubernetes-namespace': 'dice-space',
        }),
      ),
    ).toEqual({
      serviceId: 'dice',
      labelSelector: 'backstage.io/kubernetes-id=dice',
      namespace: 'dice-space',
    });
  });
});

describe('hasKubernetesAnnotations', () => {
  it('is true for the id or the label selector annotation only', () => {
    expect(
      hasKubernetesAnnotations(
        component({ 'backstage.io/kubernetes-id': 'x' }),
      ),
    ).toBe(true);
    expect(
      hasKubernetesAnnotations(
        component({ 'backstage.io/kubernetes-label-selector': 'a=b' }),
      ),
    ).toBe(true);
    expect(
      hasKubernetesAnnotations(
        component({ 'backstage.io/kubernetes-namespace': 'ns' }),
      ),
    ).toBe(false);
    expect(hasKubernetesAnnotations(component())).toBe(false);
  });
});

describe('resolveEntityTarget', () => {
  it('parses the selector', () => {
    expect(
      resolveEntityTarget(component({ 'backstage.io/kubernetes-id': 'x' }))
        .selector,
    ).toEqual([
      { key: 'backstage.io/kubernetes-id', operator: 'in', values: ['x'] },
    ]);
  });

  it('throws a clear error for a malformed selector annotation', () => {
    expect(() =>
      resolveEntityTarget(
        component({ 'backstage.io/kubernetes-label-selector': 'app in (a' }),
      ),
    ).toThrow('Invalid label selector "app in (a": unbalanced "("');
  });
});
