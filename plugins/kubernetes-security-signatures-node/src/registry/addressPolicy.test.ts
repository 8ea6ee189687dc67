import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { RegistryAccessPolicy, validateRegistryAccess } from './addressPolicy';
import type { RegistryAccessOptions } from './addressPolicy';

function refusal(options: RegistryAccessOptions, url: string) {
  try {
    new RegistryAccessPolicy(options).checkUrl(new URL(url));
    return undefined;
  } catch (error) {
    return error;
  }
}

/** What connecting to `host` would do, with `host` resolving to `addresses`. */
function connect(
  options: RegistryAccessOptions,
  host: string,
  addresses: string[],
): Promise<LookupAddress[]> {
  const resolver: LookupFunction = (_hostname, _options, callback) =>
    callback(
      null,
      addresses.map(address => ({ address, family: isIP(address) })),
    );
  const lookup = new RegistryAccessPolicy(options).guardLookup(resolver);
  return new Promise((resolve, reject) =>
    lookup(host, { all: true }, (error, resolved) =>
      error ? reject(error) : resolve(resolved as LookupAddress[]),
    ),
  );
}

describe('RegistryAccessPolicy', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
    ['http://[fd00:ec2::254]/', 'cloud metadata'],
    ['http://100.100.100.200/', 'cloud metadata'],
    ['http://[::ffff:169.254.169.254]/', 'cloud metadata'],
    ['https://127.0.0.1:5000/v2/', 'loopback'],
    ['https://[::1]/v2/', 'loopback'],
    ['https://[::ffff:127.0.0.1]/v2/', 'loopback'],
    ['https://0.0.0.0/v2/', 'unspecified'],
    ['https://169.254.10.20/v2/', 'link-local'],
    ['https://[fe80::1]/v2/', 'link-local'],
    ['file:///etc/passwd', 'URLs are not fetched'],
  ])('refuses %s by default (%s)', (url, why) => {
    expect(refusal({}, url)).toMatchObject({
      kind: 'refused',
      message: expect.stringContaining(why),
    });
  });

  it.each([
    'https://10.1.2.3/v2/',
    'https://172.16.0.5:5000/v2/',
    'https://192.168.1.10/v2/',
    'https://[fd12:3456::1]/v2/',
    'https://100.64.0.1/v2/',
    'https://ghcr.io/v2/',
  ])('allows %s by default', url => {
    expect(refusal({}, url)).toBeUndefined();
  });

  it('allows loopback and link-local only when configured, and cloud metadata never', () => {
    const open = { allowLoopback: true, allowLinkLocal: true };
    expect(refusal(open, 'http://127.0.0.1:5000/')).toBeUndefined();
    expect(refusal(open, 'http://[::1]:5000/')).toBeUndefined();
    expect(refusal(open, 'http://169.254.10.20/')).toBeUndefined();
    expect(refusal(open, 'http://169.254.169.254/')).toMatchObject({
      message: expect.stringContaining('cloud metadata'),
    });
    expect(refusal(open, 'http://[fd00:ec2::254]/')).toMatchObject({
      message: expect.stringContaining('cloud metadata'),
    });
  });

  it('checks every address a name resolves to, at connection time', async () => {
    await expect(
      connect({}, 'registry.example.com', ['10.0.0.5']),
    ).resolves.toEqual([{ address: '10.0.0.5', family: 4 }]);
    // One bad address among good ones is enough: the socket may pick it.
    await expect(
      connect({}, 'registry.example.com', ['10.0.0.5', '127.0.0.1']),
    ).rejects.toMatchObject({
      kind: 'refused',
      message: expect.stringContaining(
        'registry.example.com resolves to 127.0.0.1, which is a loopback address',
      ),
    });
    await expect(
      connect({}, 'metadata.google.internal', ['169.254.169.254']),
    ).rejects.toMatchObject({
      message: expect.stringContaining('cloud metadata'),
    });
  });

  it('lets the deny list win over the allow list, by name and by resolved address', async () => {
    const options = {
      allowHosts: ['*.example.com', 'registry.internal'],
      denyHosts: ['bad.example.com', '10.0.0.0/8'],
    };
    expect(refusal(options, 'https://good.example.com/')).toBeUndefined();
    expect(refusal(options, 'https://bad.example.com/')).toMatchObject({
      message: expect.stringContaining(
        'bad.example.com matches "bad.example.com" in kubernetesSecurity.signatures.registryAccess.denyHosts',
      ),
    });
    expect(refusal(options, 'https://example.com/')).toMatchObject({
      message: expect.stringContaining('not in'),
    });
    expect(refusal(options, 'https://evil.test/')).toMatchObject({
      message: expect.stringContaining(
        'evil.test is not in kubernetesSecurity.signatures.registryAccess.allowHosts',
      ),
    });
    await expect(
      connect(options, 'registry.internal', ['10.20.30.40']),
    ).rejects.toMatchObject({
      message: expect.stringContaining('matches "10.0.0.0/8"'),
    });
    await expect(
      connect(options, 'registry.internal', ['192.168.1.1']),
    ).resolves.toHaveLength(1);
  });

  it('matches CIDR entries of the allow list against resolved addresses', async () => {
    const options = { allowHosts: ['10.20.0.0/16'] };
    expect(refusal(options, 'https://10.20.1.1/')).toBeUndefined();
    expect(refusal(options, 'https://10.21.1.1/')).toMatchObject({
      kind: 'refused',
    });
    await expect(
      connect(options, 'registry.internal', ['10.20.3.4']),
    ).resolves.toHaveLength(1);
    await expect(
      connect(options, 'registry.internal', ['10.99.3.4']),
    ).rejects.toMatchObject({
      message: expect.stringContaining('not in'),
    });
  });

  it("allows a token service on the registry host, Docker Hub's own, or one in allowTokenRealmHosts", () => {
    const check =
      (options: RegistryAccessOptions, registry: string, realm: string) => () =>
        new RegistryAccessPolicy(options).checkTokenRealm(
          new URL(registry),
          new URL(realm),
        );
    expect(
      check({}, 'https://ghcr.io/v2/x', 'https://ghcr.io/token'),
    ).not.toThrow();
    expect(
      check(
        {},
        'https://registry-1.docker.io/v2/x',
        'https://auth.docker.io/token',
      ),
    ).not.toThrow();
    expect(
      check({}, 'https://evil.test/v2/x', 'https://auth.docker.io/token'),
    ).toThrow(/allowTokenRealmHosts/);
    expect(
      check(
        {},
        'https://registry.gitlab.com/v2/x',
        'https://gitlab.com/jwt/auth',
      ),
    ).toThrow(
      'registry.gitlab.com sends clients to the token service https://gitlab.com, on another host',
    );
    expect(
      check(
        { allowTokenRealmHosts: ['gitlab.com'] },
        'https://registry.gitlab.com/v2/x',
        'https://gitlab.com/jwt/auth',
      ),
    ).not.toThrow();
    // Another port is another host: credentials are per host:port.
    expect(
      check({}, 'http://127.0.0.1:5000/v2/x', 'http://127.0.0.1:5001/token'),
    ).toThrow(/another host/);
  });

  it('names the setting and entry that is not a host pattern', () => {
    expect(() =>
      validateRegistryAccess({ denyHosts: ['10.0.0.0/8', 'registry:5000'] }),
    ).toThrow(
      'kubernetesSecurity.signatures.registryAccess.denyHosts[1]: "registry:5000" is not a host name',
    );
    expect(() =>
      validateRegistryAccess({ allowHosts: ['10.0.0.0/33'] }),
    ).toThrow(/allowHosts\[0\]/);
    expect(() =>
      validateRegistryAccess({ allowTokenRealmHosts: ['https://auth.test'] }),
    ).toThrow(/allowTokenRealmHosts\[0\]/);
    expect(() =>
      validateRegistryAccess({
        allowHosts: ['[::1]', 'fd00::/8', '*.example.com', 'localhost'],
      }),
    ).not.toThrow();
  });
});
