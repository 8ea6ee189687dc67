import {
  isNonPublicAddress,
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
