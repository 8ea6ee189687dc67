import { credentialsFromPullSecret } from './credentials';

const b64 = (value: unknown) =>
  Buffer.from(
    typeof value === 'string' ? value : JSON.stringify(value),
  ).toString('base64');

describe('credentialsFromPullSecret', () => {
  it('reads dockerconfigjson auths, normalising Docker Hub hosts', () => {
    const creds = credentialsFromPullSecret({
      type: 'kubernetes.io/dockerconfigjson',
      data: {
        '.dockerconfigjson': b64({
          auths: {
            'https://index.docker.io/v1/': { auth: b64('alice:s3cr:et') },
            'registry.example.com:5000': { username: 'bob', password: 'pw' },
            'ghcr.io': { identitytoken: 'tok' },
            'broken.example.com': { auth: b64('no-colon') },
          },
        }),
      },
    });
    expect(Object.fromEntries(creds)).toEqual({
      'docker.io': { username: 'alice', password: 's3cr:et' },
      'registry.example.com:5000': { username: 'bob', password: 'pw' },
      'ghcr.io': { identityToken: 'tok' },
    });
  });

  it('reads the legacy dockercfg format', () => {
    const creds = credentialsFromPullSecret({
      type: 'kubernetes.io/dockercfg',
      data: { '.dockercfg': b64({ 'quay.io': { auth: b64('u:p') } }) },
    });
    expect(creds.get('quay.io')).toEqual({ username: 'u', password: 'p' });
  });

  it('yields nothing for malformed or foreign secrets', () => {
    expect(
      credentialsFromPullSecret({
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': b64('{not json') },
      }).size,
    ).toBe(0);
    expect(
      credentialsFromPullSecret({ type: 'Opaque', data: { a: 'b' } }).size,
    ).toBe(0);
    expect(credentialsFromPullSecret({}).size).toBe(0);
  });
});
