import { caBundleProblem, caDataProblem } from './caBundle';
import { CA_DATA, CA_PEM } from './__testUtils__/tls';

describe('caBundleProblem', () => {
  it('accepts PEM bundles of one or more certificates', () => {
    expect(caBundleProblem(CA_PEM)).toBeUndefined();
    expect(caBundleProblem(`${CA_PEM}\n${CA_PEM}`)).toBeUndefined();
  });

  it('explains what is wrong', () => {
    expect(caBundleProblem('')).toBe(
      'contains no PEM certificate (-----BEGIN CERTIFICATE-----)',
    );
    const corrupt = CA_PEM.replace(/\n[A-Za-z0-9+/]{10}/, '\nAAAAAAAAAA');
    expect(caBundleProblem(`${CA_PEM}${corrupt}`)).toMatch(
      /^certificate 2 cannot be parsed: /,
    );
  });
});

describe('caDataProblem', () => {
  it('accepts base64 PEM, wrapped or not', () => {
    expect(caDataProblem(CA_DATA)).toBeUndefined();
    expect(caDataProblem(CA_DATA.replace(/(.{64})/g, '$1\n'))).toBeUndefined();
  });

  it('rejects PEM that is not base64-encoded, and base64 of something else', () => {
    expect(caDataProblem(CA_PEM)).toMatch(/^is not base64/);
    expect(caDataProblem(Buffer.from('CA').toString('base64'))).toBe(
      'decodes to a bundle that contains no PEM certificate (-----BEGIN CERTIFICATE-----)',
    );
  });
});
