import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { createServiceLocator } from './serviceLocator';

const entity = (annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'testEntity', namespace: 'default', annotations },
});
const locator = (type?: string) =>
  createServiceLocator(
    new ConfigReader(
      type ? { kubernetes: { serviceLocatorMethod: { type } } } : {},
    ),
  );

// Cases mirror the official MultiTenant/SingleTenant service locator tests.
describe('createServiceLocator', () => {
  it('multiTenant (the default) puts every entity in every cluster', () => {
    expect(
      locator()(
        entity({ 'backstage.io/kubernetes-cluster': 'cluster1' }),
        'cluster2',
      ),
    ).toBe(true);
    expect(locator('multiTenant')(entity(), 'cluster1')).toBe(true);
  });

  it('singleTenant keeps only the annotated cluster', () => {
    const pinned = entity({ 'backstage.io/kubernetes-cluster': 'cluster1' });
    expect(locator('singleTenant')(pinned, 'cluster1')).toBe(true);
    expect(locator('singleTenant')(pinned, 'cluster2')).toBe(false);
  });

  it('singleTenant without the annotation returns every cluster', () => {
    expect(locator('singleTenant')(entity(), 'cluster1')).toBe(true);
  });

  it('singleTenant with an unknown cluster name matches none', () => {
    const wrong = entity({ 'backstage.io/kubernetes-cluster': 'cluster3' });
    expect(
      ['cluster1', 'cluster2'].filter(c => locator('singleTenant')(wrong, c)),
    ).toEqual([]);
  });

  it('catalogRelation keeps the clusters the entity dependsOn', () => {
    const dependent: Entity = {
      ...entity(),
      relations: [
        { type: 'dependsOn', targetRef: 'resource:default/cluster1' },
        { type: 'dependsOn', targetRef: 'component:default/cluster2' },
        { type: 'ownedBy', targetRef: 'resource:default/cluster3' },
        { type: 'dependsOn', targetRef: 'resource:other/cluster4' },
      ],
    };
    const located = ['cluster1', 'cluster2', 'cluster3', 'cluster4'].filter(c =>
      locator('catalogRelation')(dependent, c),
    );
    // The Resource is looked up in the entity's own namespace, as officially.
    expect(located).toEqual(['cluster1']);
  });

  it('catalogRelation without dependsOn relations matches no cluster', () => {
    expect(locator('catalogRelation')(entity(), 'cluster1')).toBe(false);
  });

  it('rejects an unknown locator type', () => {
    expect(() => locator('magic')).toThrow(
      'Unsupported kubernetes.serviceLocatorMethod.type "magic"; use multiTenant, singleTenant, catalogRelation',
    );
  });
});
