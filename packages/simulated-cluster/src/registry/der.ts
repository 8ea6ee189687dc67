/** The few DER encodings the fake Fulcio needs for its extensions. */

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(value.length), value]);
}

export const derUtf8String = (value: string) =>
  tlv(0x0c, Buffer.from(value, 'utf8'));
export const derOctetString = (value: Buffer) => tlv(0x04, value);
