import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  ClusterReport,
  ClusterStatus,
  ImageVerification,
} from '@internal/plugin-kubernetes-security-common';
import { IMAGE_SIGNATURE_STATES } from '@internal/plugin-kubernetes-security-common';
import {
  buildDemoImage,
  DEMO_IMAGES,
  loadManifests,
  startDemoRegistry,
  startSimulatedCluster,
} from '@internal/simulated-cluster';
import type {
  DemoImageSeed,
  DemoRegistry,
  SimulatedCluster,
} from '@internal/simulated-cluster';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { createImageVerificationService } from '@internal/plugin-kubernetes-security-signatures-node';
import { demoComponents, EXAMPLES, READER } from '../__testUtils__/demo';
import { ReportStore } from '../store/ReportStore';
import { SignatureCache } from '../store/SignatureCache';
import type { ScanService } from './ScanService';
import {
  demoScanService,
  simulatedClusterDefinition,
} from '../__testUtils__/scanService';

jest.setTimeout(120_000);

const database = TestDatabases.create({ ids: ['SQLITE_3'] });

const ROOT = resolve(EXAMPLES, '..');

/**
 * `kubernetesSecurity.signatures` exactly as app-config.yaml has it, with
 * its `${KUBERNETES_SECURITY_DEMO_REGISTRY_*}` variables pointing at this
 * test's registry, as Backstage's config loader would substitute them.
 */
function appConfigSignatures(
  demo: DemoRegistry,
  dir: string,
  offlineUrl: string,
) {
  const text = readFileSync(resolve(ROOT, 'app-config.yaml'), 'utf8')
    .replace(/\$\{KUBERNETES_SECURITY_DEMO_REGISTRY_DIR:-[^}]*\}/g, dir)
    .replace(
      /\$\{KUBERNETES_SECURITY_DEMO_REGISTRY_URL:-[^}]*\}/g,
      demo.registry.url,
    );
  const signatures = parse(text).kubernetesSecurity.signatures;
  // Docker Hub is not mirrored: pin "no network" to a closed local port, so
  // the result does not depend on the machine the test runs on.
  signatures.registries.push({ host: 'docker.io', mirror: offlineUrl });
  return signatures;
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise(done => server.close(done));
  return `http://127.0.0.1:${port}`;
}

/** The seed a verified image came from: by digest, or by name for one never pushed. */
function seedOf(image: ImageVerification): DemoImageSeed | undefined {
  const name = image.image.replace(/@.*$/, '');
  return DEMO_IMAGES.find(seed => {
    const ref = `${seed.registry}/${seed.repository}`;
    if (!name.startsWith(`${ref}:`) && name !== ref) return false;
    return seed.pushed
      ? buildDemoImage(seed).top.digest === image.digest
      : seed.tags.some(tag => name === `${ref}:${tag}`);
  });
}

/**
 * The demo end to end: the demo registry and the prod cluster from the
 * example manifests, scanned with the signature settings of app-config.yaml.
 */
describe('ScanService: image signatures of the demo', () => {
  let demo: DemoRegistry;
  let cluster: SimulatedCluster;
  let store: ReportStore;
  let status: ClusterStatus;
  let images: (ImageVerification & { entity: string })[];
  let scanProd: () => ReturnType<ScanService['scanCluster']>;
  let seedRequests: number;
  let coldRequests: number;

  async function reportOf(entity: string): Promise<ClusterReport> {
    const reports = await store.getEntityReports(`component:default/${entity}`);
    const found = reports.find(report => report.cluster === 'prod');
    if (!found) throw new Error(`no prod report for ${entity}`);
    return found;
  }

  beforeAll(async () => {
    demo = await startDemoRegistry();
    const dir = resolve(demo.trustedRootPath, '..');
    cluster = await startSimulatedCluster({
      name: 'prod',
      version: 'v1.30.1',
      objects: await loadManifests(resolve(EXAMPLES, 'clusters/prod')),
      tokens: [
        {
          token: 'reader',
          username: READER,
          rules: [
            { apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] },
          ],
        },
      ],
    });
    const config = new ConfigReader({
      kubernetesSecurity: {
        signatures: appConfigSignatures(demo, dir, await closedPortUrl()),
      },
    });
    const knex = await database.init('SQLITE_3');
    store = await ReportStore.create(mockServices.database({ knex }));
    // With the database: results are cached between scans, as in the backend.
    const created = await createImageVerificationService({
      config,
      createCache: ttl =>
        SignatureCache.create(mockServices.database({ knex }), ttl),
    });
    const entities = demoComponents();
    const service = demoScanService(store, {
      catalog: catalogServiceMock({ entities }),
      signatures: {
        service: created!.service,
        policies: created!.settings.policies,
      },
    });
    scanProd = () => service.scanCluster(simulatedClusterDefinition(cluster));
    // Requests before the scan are the registry's own seeding pushes.
    seedRequests = demo.registry.requests.length;
    const scan = await scanProd();
    coldRequests = demo.registry.requests.length - seedRequests;
    status = scan.status!;
    images = [];
    for (const entity of entities) {
      const reports = await store.getEntityReports(
        `component:default/${entity.metadata.name}`,
      );
      for (const report of reports)
        for (const image of report.images ?? [])
          images.push({ ...image, entity: entity.metadata.name });
    }
  });

  afterAll(async () => {
    await Promise.all([cluster?.stop(), demo?.stop()]);
  });

  it('asks the registry less on a warm scan: verified and failed results come from the cache', async () => {
    const digests = new Set(images.map(image => image.digest).filter(Boolean));
    const afterCold = seedRequests + coldRequests;
    await scanProd();
    const warm = demo.registry.requests.slice(afterCold);
    // Only the lookups of signature artifacts remain (their digests are part
    // of the cache key); manifests, blobs and crypto are not repeated.
    expect(warm.length).toBeGreaterThan(0);
    expect(warm.length).toBeLessThan(coldRequests);
    expect(
      warm.filter(
        r => r.method === 'GET' && /\/(blobs|manifests)\//.test(r.path),
      ),
    ).toEqual([]);
    expect(digests.size).toBeGreaterThan(10);
  });

  it('shows every signature state in the reports', () => {
    const states = new Set(images.map(image => image.state));
    expect([...states].sort()).toEqual([...IMAGE_SIGNATURE_STATES].sort());
  });

  it('verifies each demo image to the state the seed documents', () => {
    const served = images.filter(image =>
      /^(registry\.example\.com|registry\.k8s\.io)\//.test(image.image),
    );
    expect(served.length).toBeGreaterThanOrEqual(11);
    for (const image of served) {
      const seed = seedOf(image);
      expect({
        image: image.image,
        digest: image.digest,
        seeded: !!seed,
      }).toEqual({ image: image.image, digest: image.digest, seeded: true });
      expect({
        image: image.image,
        state: image.state,
        reason: image.reason,
      }).toEqual({
        image: image.image,
        state: seed!.expected,
        reason: image.reason,
      });
    }
    const elsewhere = images.filter(image => !served.includes(image));
    expect(elsewhere.map(image => [image.image, image.state]).sort()).toEqual([
      // Refused before any request: a link-local registry cache.
      ['169.254.20.10:5000/debug/toolbox:1.0', 'registry-refused'],
      // Docker Hub is not mirrored.
      ['busybox:latest', 'registry-unreachable'],
      ['busybox:latest', 'registry-unreachable'],
      ['nicolaka/netshoot:latest', 'registry-unreachable'],
    ]);
  });

  it('verifies keyless legacy signatures, bundles through referrers, and keys', async () => {
    const signature = (entity: string, repository: string) => {
      const image = images.find(
        i => i.entity === entity && i.image.includes(`/${repository}`),
      );
      return image?.signatures.find(s => s.accepted);
    };
    expect(signature('payments-api', 'payments/api')).toMatchObject({
      format: 'legacy',
      identity: 'release@payments.example.com',
      issuer: 'https://token.actions.example.com',
    });
    expect(signature('payments-ledger', 'payments/ledger:')).toMatchObject({
      format: 'bundle',
      identity: 'release@payments.example.com',
    });
    expect(signature('node-agent', 'platform/node-agent')).toMatchObject({
      format: 'legacy',
      keyId: expect.stringMatching(/^sha256:/),
    });
    const web = (await reportOf('checkout-web')).images!.filter(i =>
      i.image.startsWith('registry.example.com/checkout/web'),
    );
    // The three pods resolved `:latest` to two builds; one carries only an attestation.
    expect(web.map(i => i.state)).toEqual(['unsigned', 'unsigned']);
    expect(web.map(i => i.reason).join(' ')).toContain('attestation');
  });

  it('verifies the kube-system release images against kubernetes-release', () => {
    const release = status.releaseImages ?? [];
    expect(release.map(i => i.image).sort()).toEqual([
      'registry.k8s.io/coredns/coredns:v1.11.1',
      'registry.k8s.io/etcd:3.5.12-0',
      'registry.k8s.io/kube-apiserver:v1.30.1',
      'registry.k8s.io/kube-controller-manager:v1.30.1',
      'registry.k8s.io/kube-proxy:v1.30.1',
      'registry.k8s.io/kube-scheduler:v1.30.1',
    ]);
    for (const image of release)
      expect({
        image: image.image,
        state: image.state,
        policy: image.policy,
      }).toEqual({
        image: image.image,
        state: 'verified',
        policy: 'kubernetes-release',
      });
  });
});
