import { CelLibraryError } from './celErrors';

/**
 * The Kubernetes CEL IP and CIDR libraries (1.30+). As in the API server,
 * IPv4-mapped IPv6 addresses and zones are rejected, and IPv4 octets with
 * leading zeros are not accepted.
 */
export class IpAddress {
  constructor(readonly family: 4 | 6, readonly value: bigint) {}

  get bits(): number {
    return this.family === 4 ? 32 : 128;
  }

  inRange(base: bigint, prefix: number): boolean {
    const shift = BigInt(this.bits - prefix);
    return this.value >> shift === base >> shift;
  }

  isUnspecified(): boolean {
    return this.value === 0n;
  }

  isLoopback(): boolean {
    return this.family === 4 ? this.inRange(0x7f000000n, 8) : this.value === 1n;
  }

  isLinkLocalMulticast(): boolean {
    return this.family === 4
      ? this.inRange(0xe0000000n, 24)
      : this.inRange(0xff02n << 112n, 16);
  }

  isLinkLocalUnicast(): boolean {
    return this.family === 4
      ? this.inRange(0xa9fe0000n, 16)
      : this.inRange(0xfe80n << 112n, 10);
  }

  isGlobalUnicast(): boolean {
    if (this.isUnspecified() || this.isLoopback()) return false;
    if (this.isLinkLocalUnicast() || this.isLinkLocalMulticast()) return false;
    if (this.family === 4) {
      return !this.inRange(0xe0000000n, 4) && this.value !== 0xffffffffn;
    }
    return !this.inRange(0xffn << 120n, 8);
  }

  toString(): string {
    if (this.family === 4) {
      return [24n, 16n, 8n, 0n]
        .map(s => String((this.value >> s) & 0xffn))
        .join('.');
    }
    const groups = Array.from({ length: 8 }, (_, i) =>
      Number((this.value >> BigInt(112 - 16 * i)) & 0xffffn),
    );
    // RFC 5952: compress the longest run (of two or more) of zero groups.
    let [bestStart, bestLength] = [-1, 1];
    for (let i = 0; i < 8; ) {
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
      i = j === i ? i + 1 : j;
    }
    const hex = groups.map(g => g.toString(16));
    if (bestStart < 0) return hex.join(':');
    return `${hex.slice(0, bestStart).join(':')}::${hex
      .slice(bestStart + bestLength)
      .join(':')}`;
  }
}

export class Cidr {
  constructor(readonly address: IpAddress, readonly prefixLength: number) {}

  masked(): Cidr {
    const shift = BigInt(this.address.bits - this.prefixLength);
    const value = (this.address.value >> shift) << shift;
    return new Cidr(
      new IpAddress(this.address.family, value),
      this.prefixLength,
    );
  }

  containsIp(other: IpAddress): boolean {
    return (
      other.family === this.address.family &&
      other.inRange(this.address.value, this.prefixLength)
    );
  }

  containsCidr(other: Cidr): boolean {
    return (
      other.prefixLength >= this.prefixLength && this.containsIp(other.address)
    );
  }

  toString(): string {
    return `${this.address}/${this.prefixLength}`;
  }
}

const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function parseIpv4(text: string): bigint | undefined {
  if (!IPV4.test(text)) return undefined;
  return text
    .split('.')
    .reduce((acc, octet) => (acc << 8n) | BigInt(octet), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(piece)) {
        groups.push(parseInt(piece, 16));
      } else return undefined;
    }
    return groups;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array(missing).fill(0), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return new IpAddress(4, v4);
  if (!text.includes(':')) return undefined;
  const v6 = parseIpv6(text);
  if (v6 === undefined) return undefined;
  // IPv4-mapped IPv6 (::ffff:a.b.c.d) is ambiguous; Kubernetes rejects it.
  if (v6 >> 32n === 0xffffn) return undefined;
  return new IpAddress(6, v6);
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIp(text.slice(0, slash));
  const prefix = text.slice(slash + 1);
  if (!address || !/^(0|[1-9]\d{0,2})$/.test(prefix)) return undefined;
  if (Number(prefix) > address.bits) return undefined;
  return new Cidr(address, Number(prefix));
}

export function ip(text: string): IpAddress {
  const parsed = parseIp(text);
  if (!parsed) throw new CelLibraryError(`IP Address "${text}" parse error`);
  return parsed;
}

export function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed)
    throw new CelLibraryError(`network address "${text}" parse error`);
  return parsed;
}
