import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * The URL without user info, query or fragment, for messages: cluster URLs
 * reach logs and the clusters endpoint, and must not carry secrets there.
 */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString();
  } catch {
    return raw.replace(/\/\/[^/]*@/, '//').replace(/[?#].*$/, '');
  }
}

/**
 * Guards the API-server URLs the plugin will send credentials to. Cluster URLs
 * come from config, catalog entities and cloud APIs, so a mistyped or hostile
 * value must not turn scans into requests with a bearer token to somewhere else.
 */
export function validateApiServerUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`"${redactUrl(raw)}" is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(
      `"${redactUrl(raw)}" must use https (or http for a local API server)`,
    );
  }
  // Plain http would send the bearer token in clear text: only to this
  // machine (kubectl proxy, a local simulator).
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new Error(
      `"${redactUrl(
        raw,
      )}" must use https; http is only accepted on loopback addresses`,
    );
  }
  if (url.username || url.password) {
    throw new Error(`"${url.host}" must not embed credentials in the URL`);
  }
  if (url.search || url.hash) {
    throw new Error(`"${redactUrl(raw)}" must not have a query or fragment`);
  }
  return url;
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/** Resolves a host name to its addresses, as `dns.promises.lookup(host, { all: true })`. */
export type HostLookup = (hostname: string) => Promise<{ address: string }[]>;

export interface LocatedUrlOptions {
  /**
   * Host names (`127.0.0.1`, `*.corp.example.com`) the operator trusts to be
   * reached over http or at non-public addresses, as the official catalog
   * locator's `dangerouslyAllowClusterUrls`.
   */
  dangerouslyAllowClusterUrls?: string[];
  lookup: HostLookup;
}

/**
 * The stricter check for URLs that users control, i.e. `kubernetes-cluster`
 * Resources in the catalog: https to a public address unless the operator
 * allowed the host, so nobody can point scans at the cloud metadata endpoint
 * or an internal service. Host names are resolved and every address checked.
 */
export async function validateLocatedApiServerUrl(
  raw: string,
  options: LocatedUrlOptions,
): Promise<URL> {
  const url = validateApiServerUrl(raw);
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (isAllowedHost(hostname, options.dangerouslyAllowClusterUrls ?? [])) {
    return url;
  }
  if (url.protocol !== 'https:') {
    throw new Error(
      `"${redactUrl(
        raw,
      )}" must use https; list the host in dangerouslyAllowClusterUrls to allow http`,
    );
  }
  if (isIP(hostname)) {
    if (isNonPublicAddress(hostname)) {
      throw new Error(
        `"${redactUrl(
          raw,
        )}" points at a non-public address; list the host in dangerouslyAllowClusterUrls if it is trusted`,
      );
    }
    return url;
  }
  let addresses: { address: string }[];
  try {
    addresses = await options.lookup(hostname);
  } catch (error) {
    throw new Error(
      `Cannot resolve "${hostname}": ${
        (error as NodeJS.ErrnoException).code ?? (error as Error).message
      }`,
    );
  }
  const nonPublic = addresses.find(({ address }) =>
    isNonPublicAddress(address),
  );
  if (nonPublic) {
    throw new Error(
      `"${hostname}" resolves to the non-public address ${nonPublic.address}; list the host in dangerouslyAllowClusterUrls if it is trusted`,
    );
  }
  return url;
}

/** Whether the operator listed the host in `dangerouslyAllowClusterUrls`. */
export function isAllowedHost(hostname: string, patterns: string[]): boolean {
  return patterns.some(raw => {
    const pattern = raw.toLowerCase();
    if (pattern.startsWith('*.')) {
      return (
        hostname.endsWith(pattern.slice(1)) || hostname === pattern.slice(2)
      );
    }
    return hostname === pattern;
  });
}

// Everything that is not global unicast: the special-purpose registries of
// IANA (RFC 6890 and successors) for IPv4 and IPv6.
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  // Unspecified, loopback and the deprecated IPv4-compatible addresses.
  ['::', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address is anything but global unicast; invalid input counts as non-public. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return NON_PUBLIC.check(address, 'ipv4');
  if (family !== 6) return true;
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms reach IPv4 hosts.
  const mapped = /^(?:::ffff:|::)(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return isNonPublicAddress(mapped[1]);
  if (/^::ffff:/i.test(address)) return true;
  return NON_PUBLIC.check(address, 'ipv6');
}

const URL_PATTERN =
  /^(https?):\/\/(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?\/?$/i;
const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

/**
 * Reads one `allowedClusterUrls` entry: `https://*.eks.amazonaws.com`,
 * `https://k8s.corp.example.com:6443`, `http://127.0.0.1:6553`. Scheme and
 * port must be equal (no port means the scheme's default), the host equal
 * or, after `*.`, a subdomain of it. Throws on anything else, so a typo
 * fails loudly instead of allowing more than meant.
 */
export function parseClusterUrlPattern(pattern: string): (url: URL) => boolean {
  const match = URL_PATTERN.exec(pattern.trim());
  if (!match) {
    throw new Error(
      `"${pattern}" is not a cluster URL pattern: use scheme://host[:port], where the host may start with "*."`,
    );
  }
  const [, scheme, wildcard, host, port] = match;
  const protocol = `${scheme.toLowerCase()}:`;
  const expectedPort =
    port === undefined || port === DEFAULT_PORTS[scheme.toLowerCase()]
      ? ''
      : String(Number(port));
  const expectedHost = host.toLowerCase();
  return url => {
    if (url.protocol !== protocol || url.port !== expectedPort) return false;
    const hostname = url.hostname.toLowerCase();
    return wildcard
      ? hostname.endsWith(`.${expectedHost}`)
      : hostname === expectedHost;
  };
}

/** `error.code` of a connection refused by `guardedLookup`. */
export const REFUSED_ADDRESS_CODE = 'EREFUSEDADDRESS';

/**
 * A `lookup` for `net.connect` that resolves the host and refuses the
 * connection when any address is refused, so what was checked when the
 * cluster was located is what is connected to.
 */
export function guardedLookup(
  refuse: (address: string) => string | undefined,
  resolve: HostLookup = hostname => dnsLookup(hostname, { all: true }),
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      found => {
        const addresses = found
          .map(({ address }) => ({ address, family: isIP(address) }))
          .filter(a => !options.family || a.family === options.family);
        for (const { address } of addresses) {
          const reason = refuse(address);
          if (reason) {
            const error: NodeJS.ErrnoException = new Error(
              `${hostname} resolves to ${address}: ${reason}`,
            );
            error.code = REFUSED_ADDRESS_CODE;
            callback(error, '', 0);
            return;
          }
        }
        if (!addresses.length) {
          const error: NodeJS.ErrnoException = new Error(
            `${hostname} has no address`,
          );
          error.code = 'ENOTFOUND';
          callback(error, '', 0);
        } else if (options.all) {
          (callback as any)(null, addresses);
        } else {
          callback(null, addresses[0].address, addresses[0].family);
        }
      },
      error => callback(error, '', 0),
    );
  };
}
