/** Small, defensive decoders for attacker-supplied signature material. */

const MAX_JSON_BYTES = 256 * 1024;

/** Parses a JSON object, or `undefined` for anything else (arrays, garbage, oversized input). */
export function parseJsonObject<T extends object>(
  bytes: Buffer,
): T | undefined {
  if (bytes.length > MAX_JSON_BYTES) return undefined;
  try {
    const value = JSON.parse(bytes.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as T)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The DER bytes of the first PEM block of the given label. */
export function pemToDer(pem: string, label: string): Buffer | undefined {
  const match = new RegExp(
    `-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`,
  ).exec(pem.slice(0, 64 * 1024));
  if (!match) return undefined;
  const der = Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
  return der.length ? der : undefined;
}
