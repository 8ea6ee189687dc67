import { buildImage, sha256Digest } from './oci';
import { startOciRegistry } from './ociRegistry';
import { publishBundle } from './publish';
import { pushArtifact } from './push';
import { SigningWorld } from './signingWorld';

jest.setTimeout(30_000);

describe('startOciRegistry', () => {
  it('stores pushed images and serves them by tag and digest', async () => {
    const registry = await startOciRegistry();
    try {
      const image = buildImage('team/app');
      await pushArtifact(registry.url, 'team/app', image, 'v1');
      const head = await fetch(`${registry.url}/v2/team/app/manifests/v1`, {
        method: 'HEAD',
      });
      expect(head.headers.get('docker-content-digest')).toBe(
        image.manifest.digest,
      );
      const bytes = Buffer.from(
        await (
          await fetch(
            `${registry.url}/v2/team/app/manifests/${image.manifest.digest}`,
          )
        ).arrayBuffer(),
      );
      expect(sha256Digest(bytes)).toBe(image.manifest.digest);
      expect(
        (await fetch(`${registry.url}/v2/team/app/manifests/v2`)).status,
      ).toBe(404);
      const blob = image.blobs[1];
      expect(
        Buffer.from(
          await (
            await fetch(`${registry.url}/v2/team/app/blobs/${blob.digest}`)
          ).arrayBuffer(),
        ),
      ).toEqual(blob.bytes);
    } finally {
      await registry.stop();
    }
  });

  it('serves referrers, filtered by artifact type, or 404 when switched off', async () => {
    const registry = await startOciRegistry();
    try {
      const world = await SigningWorld.create();
      const image = buildImage('team/app');
      await pushArtifact(registry.url, 'team/app', image, 'v1');
      const bundle = await world.signBundle(image.manifest, {
        keyless: { email: 'a@example.com', issuer: 'https://i' },
      });
      await publishBundle(
        registry.url,
        'team/app',
        image.manifest.digest,
        bundle,
        { referrersApi: true },
      );
      const type = 'application/vnd.dev.sigstore.bundle.v0.3+json';
      const index = await (
        await fetch(
          `${registry.url}/v2/team/app/referrers/${
            image.manifest.digest
          }?artifactType=${encodeURIComponent(type)}`,
        )
      ).json();
      expect(index.manifests).toEqual([
        expect.objectContaining({
          digest: bundle.manifest.digest,
          artifactType: type,
        }),
      ]);
      const none = await (
        await fetch(
          `${registry.url}/v2/team/app/referrers/${image.manifest.digest}?artifactType=other`,
        )
      ).json();
      expect(none.manifests).toEqual([]);
      registry.setReferrersApi(false);
      expect(
        (
          await fetch(
            `${registry.url}/v2/team/app/referrers/${image.manifest.digest}`,
          )
        ).status,
      ).toBe(404);
    } finally {
      await registry.stop();
    }
  });

  it('challenges for a bearer token from its own endpoint and redirects blobs to another origin', async () => {
    const registry = await startOciRegistry({
      auth: { username: 'u', password: 'p' },
      redirectBlobs: true,
    });
    try {
      const anonymous = await fetch(`${registry.url}/v2/team/app/manifests/v1`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe(
        `Bearer realm="${registry.url}/token",service="${registry.host}",scope="repository:team/app:pull"`,
      );
      const wrong = await fetch(
        `${registry.url}/token?scope=repository:team/app:pull`,
        {
          headers: {
            authorization: `Basic ${Buffer.from('u:x').toString('base64')}`,
          },
        },
      );
      expect(wrong.status).toBe(401);
      const { token } = await (
        await fetch(`${registry.url}/token?scope=repository:team/app:pull`, {
          headers: {
            authorization: `Basic ${Buffer.from('u:p').toString('base64')}`,
          },
        })
      ).json();
      const headers = { authorization: `Bearer ${token}` };
      const image = buildImage('team/app');
      await pushArtifact(registry.url, 'team/app', image, 'v1', headers);
      const redirect = await fetch(
        `${registry.url}/v2/team/app/blobs/${image.blobs[0].digest}`,
        { headers, redirect: 'manual' },
      );
      expect(redirect.status).toBe(307);
      const location = new URL(redirect.headers.get('location')!);
      expect(location.origin).not.toBe(registry.url);
      expect((await fetch(location)).status).toBe(200);
    } finally {
      await registry.stop();
    }
  });

  it('can keep only some repositories private', async () => {
    const registry = await startOciRegistry({
      auth: { username: 'u', password: 'p', repositories: ['team/secret'] },
    });
    try {
      const image = buildImage('team/app:1');
      await pushArtifact(registry.url, 'team/app', image, 'v1');
      expect(
        (await fetch(`${registry.url}/v2/team/app/manifests/v1`)).status,
      ).toBe(200);
      const refused = await fetch(
        `${registry.url}/v2/team/secret/manifests/v1`,
      );
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toContain(
        'scope="repository:team/secret:pull"',
      );
      // Anyone gets a token, which does not open the private repository.
      const anonymous = await (
        await fetch(`${registry.url}/token?scope=repository:team/secret:pull`)
      ).json();
      expect(
        (
          await fetch(`${registry.url}/v2/team/secret/manifests/v1`, {
            headers: { authorization: `Bearer ${anonymous.token}` },
          })
        ).status,
      ).toBe(401);
      const { token } = await (
        await fetch(`${registry.url}/token?scope=repository:team/secret:pull`, {
          headers: {
            authorization: `Basic ${Buffer.from('u:p').toString('base64')}`,
          },
        })
      ).json();
      const headers = { authorization: `Bearer ${token}` };
      await pushArtifact(registry.url, 'team/secret', image, 'v1', headers);
      expect(
        (
          await fetch(`${registry.url}/v2/team/secret/manifests/v1`, {
            headers,
          })
        ).status,
      ).toBe(200);
    } finally {
      await registry.stop();
    }
  });

  it('injects failures for matching requests, a given number of times', async () => {
    const registry = await startOciRegistry();
    try {
      registry.inject({
        path: /\/v2\/$/,
        status: 429,
        headers: { 'retry-after': '3' },
        times: 2,
      });
      const first = await fetch(`${registry.url}/v2/`);
      expect([first.status, first.headers.get('retry-after')]).toEqual([
        429,
        '3',
      ]);
      expect((await fetch(`${registry.url}/v2/`)).status).toBe(429);
      expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);
      registry.inject({ method: 'GET', path: /manifests/, status: 500 });
      expect((await fetch(`${registry.url}/v2/x/manifests/y`)).status).toBe(
        500,
      );
      expect(registry.requests.length).toBe(4);
    } finally {
      await registry.stop();
    }
  });
});
