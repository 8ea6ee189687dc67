import { buildImage, buildIndex } from './oci';
import type { Artifact, Content } from './oci';

/** The states of `ImageVerification` the demo sets out to show. */
export type DemoState =
  | 'verified'
  | 'policy-mismatch'
  | 'unsigned'
  | 'invalid-signature'
  | 'unverifiable'
  | 'registry-auth-failed'
  | 'registry-unreachable'
  | 'digest-unknown';

export const DEMO_ISSUER = 'https://token.actions.example.com';
/** The payments team's release workflow; each team's signs as `release@<team>.example.com`. */
export const DEMO_IDENTITY = 'release@payments.example.com';
/** What the demo's keyless policy accepts (anchored at both ends). */
export const DEMO_IDENTITY_REGEXP = 'release@[a-z-]+\\.example\\.com';
export const KREL_TRUST = 'krel-trust@k8s-releng-prod.iam.gserviceaccount.com';
export const GOOGLE_ISSUER = 'https://accounts.google.com';
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/** Who signed a build, in the fake sigstore world. */
export type DemoSigner =
  | { keyless: { email?: string; uri?: string; issuer: string } }
  /** The platform team's cosign key pair (`cosign.pub`). */
  | 'platform-key';

/** How the publisher signed a build, the way cosign does it. */
export type DemoSigning =
  | { kind: 'none' }
  | {
      kind: 'legacy';
      signer: DemoSigner;
      /** The payload changed after signing. */
      tamper?: boolean;
      /** An old cosign's `rekord` Rekor entry. */
      rekorKind?: 'rekord';
    }
  | {
      /** A sigstore v0.3 bundle attached through the referrers API (cosign v3). */
      kind: 'bundle';
      signer: DemoSigner;
      /** Another predicate makes it an attestation, not a signature. */
      predicateType?: string;
    };

export interface Platform {
  os: string;
  architecture: string;
}

/** One build the demo registry serves (or deliberately lacks). */
export interface DemoImageSeed {
  /** The registry the example workloads name: the backend mirrors it to the demo registry. */
  registry: 'registry.example.com' | 'registry.k8s.io';
  repository: string;
  /** Tags pushed; the first also names the build, from which its content derives. */
  tags: [string, ...string[]];
  /** One platform: an image manifest; several: an index over them. */
  platforms: Platform[];
  signing: DemoSigning;
  /**
   * False for an image the nodes imported by hand: pods report a local
   * image ID (`sha256:<config digest>`), and the registry lacks the tag.
   */
  pushed: boolean;
  /** In a repository the registry refuses without credentials the demo does not configure. */
  private?: boolean;
  expected: DemoState;
  /** Why it verifies to `expected`. */
  note: string;
}

const LINUX_AMD64: Platform = { os: 'linux', architecture: 'amd64' };
const LINUX_MULTI: Platform[] = [
  LINUX_AMD64,
  { os: 'linux', architecture: 'arm64' },
];

const release = (team: string): DemoSigner => ({
  keyless: { email: `release@${team}.example.com`, issuer: DEMO_ISSUER },
});
const krel: DemoSigner = {
  keyless: { email: KREL_TRUST, issuer: GOOGLE_ISSUER },
};

function app(
  repository: string,
  tags: DemoImageSeed['tags'],
  expected: DemoState,
  signing: DemoSigning,
  note: string,
  extra: Partial<DemoImageSeed> = {},
): DemoImageSeed {
  return {
    registry: 'registry.example.com',
    repository,
    tags,
    platforms: [LINUX_AMD64],
    signing,
    pushed: true,
    expected,
    note,
    ...extra,
  };
}

/** Kubernetes release images: multi-arch indexes signed recursively by krel-trust (KEP-3031). */
function releaseImages(versions: {
  kubernetes: string;
  etcd: string;
  coredns: string;
}): DemoImageSeed[] {
  return [
    ['kube-apiserver', versions.kubernetes],
    ['kube-controller-manager', versions.kubernetes],
    ['kube-scheduler', versions.kubernetes],
    ['kube-proxy', versions.kubernetes],
    ['etcd', versions.etcd],
    ['coredns/coredns', versions.coredns],
  ].map(([repository, tag]) => ({
    registry: 'registry.k8s.io',
    repository,
    tags: [tag],
    platforms: LINUX_MULTI,
    signing: { kind: 'legacy', signer: krel },
    pushed: true,
    expected: 'verified',
    note: 'Signed keyless by krel-trust (issuer accounts.google.com), index and every platform manifest, as the built-in `kubernetes-release` policy requires.',
  }));
}

/**
 * Every image the example workloads (`examples/clusters/**`) run from
 * `registry.example.com` and `registry.k8s.io`, with the state it is meant
 * to show. `docker.io` images are not here: the demo does not mirror Docker
 * Hub, so they show `registry-unreachable` offline.
 */
export const DEMO_IMAGES: DemoImageSeed[] = [
  app(
    'payments/api',
    ['1.4.2'],
    'verified',
    { kind: 'legacy', signer: release('payments') },
    'Signed keyless by the payments release workflow (legacy `.sig` tag).',
  ),
  app(
    'payments/api',
    ['1.4.1'],
    'verified',
    { kind: 'legacy', signer: release('payments') },
    'The previous release, still named by the old ReplicaSet (legacy `.sig` tag).',
  ),
  app(
    'payments/api',
    ['1.5.0-rc.1'],
    'verified',
    { kind: 'legacy', signer: release('payments') },
    'The release candidate staging runs (legacy `.sig` tag).',
  ),
  app(
    'payments/migrate',
    ['1.4.2'],
    'verified',
    { kind: 'legacy', signer: release('payments') },
    'Signed keyless by the payments release workflow (legacy `.sig` tag).',
  ),
  app(
    'payments/migrate',
    ['1.4.1'],
    'verified',
    { kind: 'legacy', signer: release('payments') },
    'The previous release, still named by the old ReplicaSet.',
  ),
  app(
    'payments/ledger',
    ['1.4.2'],
    'verified',
    { kind: 'bundle', signer: release('payments') },
    'Signed keyless with cosign v3: a sigstore v0.3 bundle found through the OCI referrers API.',
  ),
  app(
    'payments/ledger-migrate',
    ['1.4.2'],
    'unverifiable',
    { kind: 'legacy', signer: release('payments'), rekorKind: 'rekord' },
    'Signed by an old cosign that logged a `rekord` Rekor entry, which cannot be checked offline.',
  ),
  app(
    'platform/node-agent',
    ['0.9.7'],
    'verified',
    { kind: 'legacy', signer: 'platform-key' },
    "Signed with the platform team's cosign key, as the `platform` policy requires (`cosign.pub`).",
  ),
  app(
    'platform/ci-deployer',
    ['2.8.0'],
    'registry-auth-failed',
    { kind: 'legacy', signer: 'platform-key' },
    'A private repository: the registry asks for credentials the demo does not configure (it is signed, but nobody can tell).',
    { private: true },
  ),
  app(
    'checkout/web',
    ['2.14.0', 'latest'],
    'unsigned',
    { kind: 'none' },
    'Never signed; `:latest` now points here.',
  ),
  app(
    'checkout/web',
    ['2.13.2'],
    'unsigned',
    {
      kind: 'bundle',
      signer: release('checkout'),
      predicateType: 'https://slsa.dev/provenance/v1',
    },
    'Only a SLSA provenance attestation is attached, which is not a signature; one prod pod still runs this older `:latest`.',
  ),
  app(
    'checkout/web',
    ['2.13.0'],
    'unsigned',
    { kind: 'none' },
    'Never signed; what `:latest` was when staging pulled it.',
  ),
  app(
    'checkout/worker',
    ['3.2.0'],
    'invalid-signature',
    { kind: 'legacy', signer: release('checkout'), tamper: true },
    'The signed payload was changed after signing: the signature does not verify.',
  ),
  app(
    'checkout/worker',
    ['3.3.0-rc.1'],
    'policy-mismatch',
    {
      kind: 'legacy',
      signer: {
        keyless: {
          email: 'jane.doe@checkout.example.com',
          issuer: DEMO_ISSUER,
        },
      },
    },
    'Signed by the developer who cut the release candidate, not by a release workflow.',
  ),
  app(
    'observability/fluent-bit-windows',
    ['2.2.3-ltsc2022'],
    'policy-mismatch',
    {
      kind: 'legacy',
      signer: {
        keyless: {
          uri: 'https://github.com/example-upstream/fluent-bit-windows/.github/workflows/release.yaml@refs/tags/v2.2.3',
          issuer: GITHUB_ISSUER,
        },
      },
    },
    "A vendor image signed by its upstream's GitHub workflow, which the demo policy does not trust.",
    { platforms: [{ os: 'windows', architecture: 'amd64' }] },
  ),
  app(
    'observability/metrics-gateway',
    ['1.12.0'],
    'digest-unknown',
    { kind: 'none' },
    'Imported onto the nodes by hand: pods report a local image ID, not a registry digest, and the tag was never pushed.',
    { pushed: false },
  ),
  app(
    'edge/gateway',
    ['1.8.2'],
    'digest-unknown',
    { kind: 'none' },
    'The edge pods report no status at all, and the tag is not in the registry.',
    { pushed: false, platforms: [{ os: 'linux', architecture: 'arm64' }] },
  ),
  ...releaseImages({
    kubernetes: 'v1.30.1',
    etcd: '3.5.12-0',
    coredns: 'v1.11.1',
  }),
  ...releaseImages({
    kubernetes: 'v1.26.3',
    etcd: '3.5.6-0',
    coredns: 'v1.9.3',
  }),
];

/** A seed's content: its manifest (or index over per-platform manifests) and what to push. */
export interface DemoBuild {
  /** The manifest or index the tags point at; its digest is the image's. */
  top: Content;
  /** Per-platform images; the top's own blobs when it is a manifest. */
  images: { artifact: Artifact; platform: Platform }[];
  /** What a node reports for an image it imported: the config digest. */
  localImageId: string;
}

/** Deterministic: the same seed always builds the same digests. */
export function buildDemoImage(seed: DemoImageSeed): DemoBuild {
  const name = `${seed.registry}/${seed.repository}:${seed.tags[0]}`;
  const images = seed.platforms.map(platform => ({
    artifact: buildImage(name, platform),
    platform,
  }));
  const top =
    images.length === 1 ? images[0].artifact.manifest : buildIndex(images);
  return {
    top,
    images,
    localImageId: images[0].artifact.blobs[0].digest,
  };
}

/** The digest a pod's `imageID` reports for the seed: the registry digest, or the local image ID. */
export function demoImageId(seed: DemoImageSeed): string {
  const build = buildDemoImage(seed);
  return seed.pushed
    ? `${seed.registry}/${seed.repository}@${build.top.digest}`
    : build.localImageId;
}
