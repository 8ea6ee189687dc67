import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildDemoImage, DEMO_IMAGES, demoImageId } from './demoImages';
import { buildImage } from './oci';

const CLUSTERS = resolve(__dirname, '../../../../examples/clusters');
const SERVED = /^(registry\.example\.com|registry\.k8s\.io)\//;

interface Container {
  name: string;
  image?: string;
}
interface Status {
  name: string;
  imageID?: string;
}

/** Every (image, imageID) a Pod reports, and every image any template names. */
function exampleImages() {
  const images: string[] = [];
  const reported: { image: string; imageId: string; where: string }[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'image' && typeof child === 'string') images.push(child);
        else walk(child);
      }
    }
  };
  for (const cluster of readdirSync(CLUSTERS, { withFileTypes: true })) {
    if (!cluster.isDirectory()) continue;
    const dir = join(CLUSTERS, cluster.name);
    for (const file of readdirSync(dir).filter(f => f.endsWith('.yaml')))
      for (const doc of parseAllDocuments(
        readFileSync(join(dir, file), 'utf8'),
      )) {
        const object = doc.toJS();
        walk(object);
        if (object?.kind !== 'Pod') continue;
        const containers: Container[] = [
          ...(object.spec?.initContainers ?? []),
          ...(object.spec?.containers ?? []),
        ];
        const statuses: Status[] = [
          ...(object.status?.initContainerStatuses ?? []),
          ...(object.status?.containerStatuses ?? []),
        ];
        for (const status of statuses) {
          const image = containers.find(c => c.name === status.name)?.image;
          if (image && status.imageID)
            reported.push({
              image,
              imageId: status.imageID,
              where: `${cluster.name}/${file} ${object.metadata.name}`,
            });
        }
      }
  }
  return { images, reported };
}

/** `registry/repository` of a reference, without tag or digest. */
const repositoryOf = (reference: string) =>
  reference
    .replace(/^[a-z-]+:\/\//, '')
    .replace(/@.*$/, '')
    .replace(/:[^/:]+$/, '');

describe('the demo images', () => {
  it('have contents, and so digests, derived from their name and platform only', () => {
    const linux = { os: 'linux', architecture: 'amd64' };
    expect(buildImage('team/app:1', linux).manifest.digest).toBe(
      buildImage('team/app:1', linux).manifest.digest,
    );
    expect(buildImage('team/app:1', linux).manifest.digest).not.toBe(
      buildImage('team/app:2', linux).manifest.digest,
    );
    expect(buildImage('team/app:1', linux).manifest.digest).not.toBe(
      buildImage('team/app:1', { os: 'linux', architecture: 'arm64' }).manifest
        .digest,
    );
    // Pinned, so a change that would orphan the examples' digests fails here first.
    const api = DEMO_IMAGES.find(
      s => s.repository === 'payments/api' && s.tags[0] === '1.4.2',
    )!;
    expect(buildDemoImage(api).top.digest).toBe(
      'sha256:22fcda7a646a0b7e419fd8955906150fb7a7ad9e1f6f0cbe8d384b9e2d6e3e56',
    );
  });

  it('give every build a distinct digest, and multi-arch builds an index', () => {
    const digests = DEMO_IMAGES.map(seed => buildDemoImage(seed).top.digest);
    expect(new Set(digests).size).toBe(DEMO_IMAGES.length);
    const proxy = DEMO_IMAGES.find(s => s.repository === 'kube-proxy')!;
    expect(buildDemoImage(proxy).top.mediaType).toBe(
      'application/vnd.oci.image.index.v1+json',
    );
  });

  it('are what the example workloads run: each imageID and pinned digest is a seeded build', () => {
    const { images, reported } = exampleImages();
    const seededIds = new Map(
      DEMO_IMAGES.map(seed => [demoImageId(seed), seed]),
    );
    const served = reported.filter(r => SERVED.test(r.image));
    expect(served.length).toBeGreaterThan(40);
    const unknownIds = served.flatMap(({ image, imageId, where }) => {
      const seed = seededIds.get(imageId.replace(/^docker-pullable:\/\//, ''));
      return seed &&
        `${seed.registry}/${seed.repository}` === repositoryOf(image)
        ? []
        : [`${where}: ${image} reports ${imageId}`];
    });
    expect(unknownIds).toEqual([]);

    const unknownImages = images
      .filter(image => SERVED.test(image))
      .flatMap(image => {
        const seeds = DEMO_IMAGES.filter(
          s => `${s.registry}/${s.repository}` === repositoryOf(image),
        );
        const pinned = /@(sha256:[a-f0-9]{64})$/.exec(image)?.[1];
        const tag = /:([^/:@]+)(@|$)/.exec(image)?.[1];
        const known = pinned
          ? seeds.some(s => buildDemoImage(s).top.digest === pinned)
          : seeds.some(s => !tag || s.tags.includes(tag));
        return known && seeds.length ? [] : [image];
      });
    expect(unknownImages).toEqual([]);
  });
});
