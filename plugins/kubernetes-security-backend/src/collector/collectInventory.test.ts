import { withoutUnreadMetadata } from './collectInventory';

describe('withoutUnreadMetadata', () => {
  it('drops managedFields and the last-applied manifest, keeping everything else', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web-1',
        namespace: 'shop',
        labels: { app: 'web' },
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration':
            '{"a huge":"copy"}',
          'container.apparmor.security.beta.kubernetes.io/web': 'unconfined',
        },
        managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
      },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    };
    expect(withoutUnreadMetadata(pod)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web-1',
        namespace: 'shop',
        labels: { app: 'web' },
        annotations: {
          'container.apparmor.security.beta.kubernetes.io/web': 'unconfined',
        },
      },
      spec: pod.spec,
    });
    // The object as read is left alone.
    expect(pod.metadata.managedFields).toHaveLength(1);
  });

  it('returns objects with nothing to drop, and malformed ones, as they are', () => {
    const lean = { kind: 'Pod', metadata: { name: 'a', annotations: {} } };
    expect(withoutUnreadMetadata(lean)).toBe(lean);
    for (const odd of [{}, { metadata: null }, { metadata: 'x' }]) {
      expect(withoutUnreadMetadata(odd as never)).toBe(odd);
    }
  });
});
