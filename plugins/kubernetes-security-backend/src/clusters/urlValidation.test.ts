import {
  guardedLookup,
  isNonPublicAddress,
  parseClusterUrlPattern,
  redactUrl,
  validateApiServerUrl,
  validateLocatedApiServerUrl,
} from './urlValidation';

describe('validateApiServerUrl', () => {
  it('accepts https and http URLs with paths', () => {
    expect(validateApiServerUrl('https://k8s.example.com:6443').host).toBe(
      'k8s.example.com:6443',
    );
    expect(validateApiServerUrl('http://127.0.0.1:8001/proxy/').pathname).toBe(
      '/proxy/',
    );
    expect(validateApiServerUrl('http://localhost:8001').hostname).toBe(
      'localhost',
    );
    expect(validateApiServerUrl('http://[::1]:8001').hostname).toBe('[::1]');
  });

  it.each([
    ['not a url', 'is not a valid URL'],
    ['file:///etc/passwd', 'must use https'],
    ['gopher://k8s:70', 'must use https'],
    ['https://user:pass@k8s.example.com', 'must not embed credentials'],
    ['https://k8s.example.com/?redirect=evil', 'must not have a query'],
    ['http://k8s.example.com:8080', 'http is only accepted on loopback'],
    ['http://10.0.0.1:8080', 'http is only accepted on loopback'],
  ])('rejects %p', (url, message) => {
    expect(() => validateApiServerUrl(url)).toThrow(message);
  });
});

describe('isNonPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:10.0.0.1',
    '::ffff:a00:1',
    '2001:db8::1',
    'not an address',
  ])('%s is not public', address => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
  ])('%s is public', address => {
    expect(isNonPublicAddress(address)).toBe(false);
  });
});

describe('validateLocatedApiServerUrl', () => {
  const lookup = async (host: string) =>
    host === 'metadata.internal'
      ? [{ address: '169.254.169.254' }]
      : [{ address: '93.184.216.34' }];

  it('accepts https to public hosts and addresses', async () => {
    await expect(
      validateLocatedApiServerUrl('https://k8s.example.com:6443', { lookup }),
    ).resolves.toBeInstanceOf(URL);
    await expect(
      validateLocatedApiServerUrl('https://93.184.216.34', { lookup }),
    ).resolves.toBeInstanceOf(URL);
  });

  it('rejects names resolving to private addresses and names that do not resolve', async () => {
    await expect(
      validateLocatedApiServerUrl('https://metadata.internal', { lookup }),
    ).rejects.toThrow(
      '"metadata.internal" resolves to the non-public address 169.254.169.254',
    );
    await expect(
      validateLocatedApiServerUrl('https://nowhere.example', {
        lookup: async () => {
          throw Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' });
        },
      }),
    ).rejects.toThrow('Cannot resolve "nowhere.example": ENOTFOUND');
  });

  it('lets allowed host patterns through without resolving them', async () => {
    const options = {
      lookup,
      dangerouslyAllowClusterUrls: ['*.internal', '127.0.0.1'],
    };
    await expect(
      validateLocatedApiServerUrl('https://metadata.internal', options),
    ).resolves.toBeInstanceOf(URL);
    await expect(
      validateLocatedApiServerUrl('http://127.0.0.1:6553', options),
    ).resolves.toBeInstanceOf(URL);
    // Still never plain http off this machine.
    await expect(
      validateLocatedApiServerUrl('http://k8s.internal', options),
    ).rejects.toThrow('http is only accepted on loopback');
  });
});

describe('messages never echo secrets in URLs', () => {
  it.each([
    [
      'https://user:hunter2@k8s.example.com/?token=hunter2',
      'https://k8s.example.com/',
    ],
    ['http://10.0.0.1:8080/?access_token=hunter2#x', 'http://10.0.0.1:8080/'],
    ['not a url //admin:hunter2@host?token=hunter2', 'not a url //host'],
  ])('redacts %p', (raw, redacted) => {
    expect(redactUrl(raw)).toBe(redacted);
  });

  it.each([
    'https://k8s.example.com/?token=hunter2',
    'http://k8s.example.com:8080/?token=hunter2',
    'ftp://admin:hunter2@k8s.example.com',
    'https://admin:hunter2@k8s.example.com',
  ])('validateApiServerUrl(%p) names the URL without them', raw => {
    const message = (() => {
      try {
        validateApiServerUrl(raw);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toEqual(expect.any(String));
    expect(message).not.toContain('hunter2');
  });
});

describe('parseClusterUrlPattern', () => {
  const allows = (pattern: string, url: string) =>
    parseClusterUrlPattern(pattern)(new URL(url));

  it('matches scheme, host (or subdomains after *.) and port', () => {
    expect(
      allows('https://*.eks.amazonaws.com', 'https://a.b.eks.amazonaws.com'),
    ).toBe(true);
    expect(
      allows('https://*.eks.amazonaws.com', 'https://eks.amazonaws.com'),
    ).toBe(false);
    expect(
      allows('https://*.eks.amazonaws.com', 'https://evil-eks.amazonaws.com'),
    ).toBe(false);
    expect(
      allows(
        'https://*.eks.amazonaws.com',
        'https://x.eks.amazonaws.com.evil.net',
      ),
    ).toBe(false);
    expect(
      allows('https://k8s.example.com', 'https://k8s.example.com:443/path'),
    ).toBe(true);
    expect(
      allows('https://k8s.example.com:443', 'https://k8s.example.com'),
    ).toBe(true);
    expect(
      allows('https://k8s.example.com', 'https://k8s.example.com:6443'),
    ).toBe(false);
    expect(allows('https://k8s.example.com', 'http://k8s.example.com')).toBe(
      false,
    );
    expect(allows('http://127.0.0.1:6553', 'http://127.0.0.1:6553')).toBe(true);
    expect(allows('https://[::1]:6443', 'https://[::1]:6443')).toBe(true);
  });

  it.each([
    '*',
    'k8s.example.com',
    'https://*',
    'https://a.*.example.com',
    'https://k8s.example.com/path?x',
  ])('refuses the pattern %p', pattern => {
    expect(() => parseClusterUrlPattern(pattern)).toThrow(
      'is not a cluster URL pattern',
    );
  });
});

describe('guardedLookup', () => {
  const lookupOnce = (
    refuse: (address: string) => string | undefined,
    addresses: string[],
    all: boolean,
  ) =>
    new Promise((resolve, reject) =>
      guardedLookup(refuse, async () =>
        addresses.map(address => ({ address })),
      )(
        'k8s.example.com',
        { all },
        (error: Error | null, ...result: unknown[]) =>
          error ? reject(error) : resolve(result),
      ),
    );

  it('answers with the addresses when none is refused, in both lookup forms', async () => {
    await expect(
      lookupOnce(() => undefined, ['93.184.216.34'], false),
    ).resolves.toEqual(['93.184.216.34', 4]);
    await expect(
      lookupOnce(() => undefined, ['93.184.216.34', '2606:2800::1'], true),
    ).resolves.toEqual([
      [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800::1', family: 6 },
      ],
    ]);
  });

  it('refuses the connection when any address is refused', async () => {
    const refuse = (address: string) =>
      isNonPublicAddress(address) ? 'non-public' : undefined;
    await expect(
      lookupOnce(refuse, ['93.184.216.34', '10.0.0.1'], true),
    ).rejects.toMatchObject({
      code: 'EREFUSEDADDRESS',
      message: 'k8s.example.com resolves to 10.0.0.1: non-public',
    });
  });
});
