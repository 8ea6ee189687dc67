import { X509Certificate } from 'node:crypto';

const PEM_CERTIFICATE =
  /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Checks a PEM CA bundle: at least one certificate, each one parseable. A bad
 * bundle is reported at start-up instead of as a TLS error at every scan.
 * Returns the problem, or undefined when the bundle is usable.
 */
export function caBundleProblem(pem: string): string | undefined {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    return 'contains no PEM certificate (-----BEGIN CERTIFICATE-----)';
  }
  for (const [index, block] of blocks.entries()) {
    try {
      // eslint-disable-next-line no-new
      new X509Certificate(block);
    } catch (error) {
      return `certificate ${index + 1} cannot be parsed: ${
        (error as Error).message
      }`;
    }
  }
  return undefined;
}

/** Checks `caData`: base64 of a PEM bundle, as in kubeconfig files. */
export function caDataProblem(caData: string): string | undefined {
  const compact = caData.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    return 'is not base64 (it must be the base64 of a PEM bundle, as certificate-authority-data in a kubeconfig)';
  }
  const problem = caBundleProblem(Buffer.from(compact, 'base64').toString());
  return problem ? `decodes to a bundle that ${problem}` : undefined;
}
