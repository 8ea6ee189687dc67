import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Test-only TLS material, see `tls/README.md`. */
export const fixture = (file: string) =>
  readFileSync(resolve(__dirname, 'tls', file), 'utf8');

export const CA_PEM = fixture('ca.pem');
export const CA_DATA = Buffer.from(CA_PEM).toString('base64');
