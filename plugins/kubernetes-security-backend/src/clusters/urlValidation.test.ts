import { validateApiServerUrl } from './urlValidation';

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
