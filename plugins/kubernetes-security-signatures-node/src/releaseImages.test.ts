import { releaseImageRequests } from './releaseImages';

const D = `sha256:${'b'.repeat(64)}`;

describe('releaseImageRequests', () => {
  it('picks control-plane and add-on images of kube-system with their workloads', () => {
    const requests = releaseImageRequests([
      {
        metadata: {
          name: 'kube-apiserver-node1',
          namespace: 'kube-system',
          ownerReferences: [{ kind: 'Node', name: 'node1', controller: true }],
        },
        spec: {
          containers: [
            {
              name: 'kube-apiserver',
              image: 'registry.k8s.io/kube-apiserver:v1.30.1',
            },
          ],
        },
        status: {
          containerStatuses: [
            {
              name: 'kube-apiserver',
              imageID: `registry.k8s.io/kube-apiserver@${D}`,
            },
          ],
        },
      },
      {
        metadata: {
          name: 'coredns-7db6d8ff4d-abcde',
          namespace: 'kube-system',
          ownerReferences: [
            {
              kind: 'ReplicaSet',
              name: 'coredns-7db6d8ff4d',
              controller: true,
            },
          ],
        },
        spec: {
          containers: [
            {
              name: 'coredns',
              image: 'registry.k8s.io/coredns/coredns:v1.11.1',
            },
          ],
        },
      },
      {
        metadata: {
          name: 'coredns-7db6d8ff4d-fghij',
          namespace: 'kube-system',
          ownerReferences: [
            {
              kind: 'ReplicaSet',
              name: 'coredns-7db6d8ff4d',
              controller: true,
            },
          ],
        },
        spec: {
          containers: [
            {
              name: 'coredns',
              image: 'registry.k8s.io/coredns/coredns:v1.11.1',
            },
          ],
        },
      },
      {
        metadata: {
          name: 'kube-proxy-x1',
          namespace: 'kube-system',
          ownerReferences: [
            { kind: 'DaemonSet', name: 'kube-proxy', controller: true },
          ],
        },
        spec: {
          containers: [
            { name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.30.1' },
          ],
        },
      },
      {
        metadata: { name: 'cilium-x', namespace: 'kube-system' },
        spec: {
          containers: [{ name: 'agent', image: 'quay.io/cilium/cilium:v1.15' }],
        },
      },
      {
        metadata: { name: 'apiserver-lookalike', namespace: 'default' },
        spec: {
          containers: [
            { name: 'a', image: 'registry.k8s.io/kube-apiserver:v1.30.1' },
          ],
        },
      },
      {
        metadata: { namespace: 'kube-system' },
        spec: { containers: [{ name: 'bad', image: 'NOT VALID' }] },
      },
    ]);
    expect(requests).toEqual([
      {
        image: 'registry.k8s.io/kube-apiserver:v1.30.1',
        imageId: `registry.k8s.io/kube-apiserver@${D}`,
        requiredPolicy: 'kubernetes-release',
        usedBy: [
          {
            kind: 'Pod',
            namespace: 'kube-system',
            name: 'kube-apiserver-node1',
            container: 'kube-apiserver',
          },
        ],
      },
      {
        image: 'registry.k8s.io/coredns/coredns:v1.11.1',
        requiredPolicy: 'kubernetes-release',
        usedBy: [
          {
            kind: 'Deployment',
            namespace: 'kube-system',
            name: 'coredns',
            container: 'coredns',
          },
        ],
      },
      {
        image: 'registry.k8s.io/kube-proxy:v1.30.1',
        requiredPolicy: 'kubernetes-release',
        usedBy: [
          {
            kind: 'DaemonSet',
            namespace: 'kube-system',
            name: 'kube-proxy',
            container: 'kube-proxy',
          },
        ],
      },
    ]);
  });
});
