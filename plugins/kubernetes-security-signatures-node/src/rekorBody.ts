import { createPublicKey, KeyObject, X509Certificate } from 'node:crypto';
import { parseJsonObject } from './cosign/encoding';

/** The Rekor entry kinds @sigstore/verify can compare against a signature. */
export const CHECKABLE_REKOR_KINDS = new Set([
  'hashedrekord',
  'dsse',
  'intoto',
]);

interface RekorBody {
  kind?: string;
  spec?: {
    signature?: { publicKey?: { content?: unknown } };
    signatures?: { verifier?: unknown }[];
    content?: { envelope?: { signatures?: { publicKey?: unknown }[] } };
  };
}

/** The keys (or certificates) a Rekor entry body says signed it, as PEM. */
function bodyKeyPems(body: RekorBody): unknown[] {
  switch (body.kind) {
    case 'hashedrekord':
      return [body.spec?.signature?.publicKey?.content];
    case 'dsse':
      return listOf(body.spec?.signatures).map(s => s?.verifier);
    case 'intoto':
      return listOf(body.spec?.content?.envelope?.signatures).map(
        s => s?.publicKey,
      );
    default:
      return [];
  }
}

/** The body is the log's JSON: a list field may hold anything, which names no key. */
function listOf<T>(value: T[] | undefined): (T | undefined)[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Whether the Rekor entry was made for this signer's key. @sigstore/verify
 * checks the entry's signature and digest but not its key, so without this
 * an entry logged for someone else's key would vouch for a signature.
 */
export function rekorBodyMatchesKey(
  canonicalizedBodyBase64: string,
  key: KeyObject,
): boolean {
  const body = parseJsonObject<RekorBody>(
    Buffer.from(canonicalizedBodyBase64, 'base64'),
  );
  if (!body) return false;
  const pems = bodyKeyPems(body);
  if (!pems.length) return false;
  const expected = key.export({ type: 'spki', format: 'der' });
  return pems.every(encoded => {
    if (typeof encoded !== 'string') return false;
    try {
      const pem = Buffer.from(encoded, 'base64').toString('utf8');
      const found = pem.includes('CERTIFICATE')
        ? new X509Certificate(pem).publicKey
        : createPublicKey(pem);
      return found.export({ type: 'spki', format: 'der' }).equals(expected);
    } catch {
      return false;
    }
  });
}

/** The key a Rekor entry names, if it is a plain public key (keyed signing). */
export function rekorBodyPublicKey(
  canonicalizedBodyBase64: string,
): KeyObject | undefined {
  const body = parseJsonObject<RekorBody>(
    Buffer.from(canonicalizedBodyBase64, 'base64'),
  );
  const [encoded] = body ? bodyKeyPems(body) : [];
  if (typeof encoded !== 'string') return undefined;
  try {
    const pem = Buffer.from(encoded, 'base64').toString('utf8');
    return pem.includes('CERTIFICATE') ? undefined : createPublicKey(pem);
  } catch {
    return undefined;
  }
}
