import {
  digestFromImageId,
  formatReference,
  parseImageReference,
  registryApiHost,
} from './imageReference';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['bitnami/redis', 'docker.io/bitnami/redis:latest'],
    ['index.docker.io/library/nginx:1', 'docker.io/library/nginx:1'],
    [
      'registry.k8s.io/kube-proxy:v1.30.1',
      'registry.k8s.io/kube-proxy:v1.30.1',
    ],
    ['localhost:5000/team/app', 'localhost:5000/team/app:latest'],
    [`ghcr.io/org/app:v1@${D}`, `ghcr.io/org/app:v1@${D}`],
    [`ghcr.io/org/app@${D}`, `ghcr.io/org/app@${D}`],
  ])('%s → %s', (input, expected) => {
    expect(formatReference(parseImageReference(input))).toBe(expected);
  });

  it.each(['', 'UPPER/case', 'a@sha256:short', 'app:bad tag', 'a//b'])(
    'rejects %p',
    input => {
      expect(() => parseImageReference(input)).toThrow(
        /not a valid image reference/,
      );
    },
  );

  it('talks to registry-1.docker.io for Docker Hub', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('ghcr.io')).toBe('ghcr.io');
  });
});

describe('digestFromImageId', () => {
  it.each([
    [`docker-pullable://nginx@${D}`, D],
    [`docker.io/library/nginx@${D}`, D],
    [`registry.k8s.io/kube-proxy@${D}`, D],
    [D, undefined], // a local image ID, not a registry digest
    ['docker://sha256:abc', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%p → %p', (input, expected) => {
    expect(digestFromImageId(input)).toBe(expected);
  });
});
