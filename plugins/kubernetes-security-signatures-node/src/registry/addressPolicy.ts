import { lookup as systemLookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { RegistryError } from './RegistryError';

/** Where the settings live, for messages that say what to change. */
export const ACCESS_SETTINGS = 'kubernetesSecurity.signatures.registryAccess';

/**
 * Which hosts registry requests may reach
 * (`kubernetesSecurity.signatures.registryAccess`). Image references, and so
 * the hosts contacted, are chosen by anyone who can create a Pod; the
 * defaults keep those requests away from the backend's own machine and the
 * cloud's metadata service, while private registries (10.0.0.0/8, …) work.
 */
export interface RegistryAccessOptions {
  /**
   * When non-empty, the only hosts contacted: registries, their token
   * services and the storage hosts they redirect downloads to. Entries are
   * host names, `*.domain` (any subdomain), IP addresses or CIDR ranges
   * (matched against every address a name resolves to).
   */
  allowHosts?: string[];
  /** Hosts never contacted, in the same forms; wins over `allowHosts`. */
  denyHosts?: string[];
  /** Loopback (127.0.0.0/8, ::1) and unspecified (0.0.0.0/8, ::) addresses. */
  allowLoopback?: boolean;
  /** Link-local addresses (169.254.0.0/16, fe80::/10), cloud metadata excepted. */
  allowLinkLocal?: boolean;
  /**
   * Token services (`WWW-Authenticate: Bearer realm=…`) allowed on another
   * host than the registry's, which then receive its credentials. Docker
   * Hub's `auth.docker.io` is always allowed for Docker Hub.
   */
  allowTokenRealmHosts?: string[];
}

/**
 * A host name, `*.domain`, IP address or CIDR range from the settings;
 * `entry` as written, for messages.
 */
type HostPattern =
  | { entry: string; kind: 'name'; name: string; wildcard: boolean }
  | { entry: string; kind: 'address'; addresses: BlockList };

/** Registry API host → the token service it is known to use on another host. */
const KNOWN_TOKEN_SERVICES = new Map([
  ['registry-1.docker.io', 'auth.docker.io'],
]);

/**
 * Where cloud platforms serve instance and pod credentials: never a
 * registry, so refused even when link-local addresses are allowed. Not all
 * are link-local: AWS also answers inside the private fd00::/8, Alibaba
 * Cloud on a carrier-grade NAT address, Azure's WireServer on a public one.
 */
const CLOUD_METADATA = addressList([
  '169.254.169.254',
  '169.254.170.2',
  '169.254.170.23',
  'fd00:ec2::254',
  'fd00:ec2::23',
  '100.100.100.200',
  '168.63.129.16',
]);
const LOOPBACK = addressList(['127.0.0.0/8', '::1']);
// Connecting to the unspecified address reaches the local host.
const UNSPECIFIED = addressList(['0.0.0.0/8', '::']);
const LINK_LOCAL = addressList(['169.254.0.0/16', 'fe80::/10']);

/** Throws an `Error` naming the setting when an entry is not a host pattern. */
export function validateRegistryAccess(options: RegistryAccessOptions): void {
  parsePatterns('allowHosts', options.allowHosts);
  parsePatterns('denyHosts', options.denyHosts);
  parsePatterns('allowTokenRealmHosts', options.allowTokenRealmHosts);
}

export class RegistryAccessPolicy {
  private readonly allow: HostPattern[];
  private readonly deny: HostPattern[];
  private readonly tokenRealms: HostPattern[];

  /** Throws like `validateRegistryAccess`. */
  constructor(private readonly options: RegistryAccessOptions = {}) {
    this.allow = parsePatterns('allowHosts', options.allowHosts);
    this.deny = parsePatterns('denyHosts', options.denyHosts);
    this.tokenRealms = parsePatterns(
      'allowTokenRealmHosts',
      options.allowTokenRealmHosts,
    );
  }

  /**
   * Checks a URL before it is requested. Addresses written in the URL are
   * checked here, since the resolver never sees them; names are checked
   * again by `guardLookup` once resolved.
   */
  checkUrl(url: URL): void {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw refused(`${url.protocol} URLs are not fetched`);
    const host = hostnameOf(url);
    const why =
      this.nameRefusal(host) ??
      (isIP(host) ? this.addressRefusal(host, host) : undefined);
    if (why) throw refused(why);
  }

  /**
   * A resolver that checks every address a name resolves to when the
   * connection is made, so a name that first resolved to an allowed address
   * cannot be switched to a forbidden one (DNS rebinding).
   */
  guardLookup(resolve: LookupFunction = systemLookup): LookupFunction {
    return (hostname, options, callback) => {
      resolve(hostname, { ...options, all: true }, (error, resolved) => {
        if (error) {
          callback(error, '');
          return;
        }
        const addresses = resolved as LookupAddress[];
        const host = hostname.toLowerCase().replace(/\.$/, '');
        for (const { address } of addresses) {
          const why = this.addressRefusal(host, address);
          if (why) {
            callback(refused(why), '');
            return;
          }
        }
        if (!addresses.length) {
          callback(
            Object.assign(new Error(`${hostname} has no address`), {
              code: 'ENOTFOUND',
            }),
            '',
          );
          return;
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      });
    };
  }

  /**
   * Checks where a registry sends clients for a token: its own host, or a
   * host allowed in config. The token service receives the registry's
   * credentials, so another host must never be chosen by the registry alone.
   */
  checkTokenRealm(registry: URL, realm: URL): void {
    if (realm.host === registry.host) return;
    const realmHost = hostnameOf(realm);
    if (KNOWN_TOKEN_SERVICES.get(hostnameOf(registry)) === realmHost) return;
    if (this.tokenRealms.some(pattern => matchesName(pattern, realmHost)))
      return;
    throw refused(
      `${registry.host} sends clients to the token service ${realm.origin}, on another host; allow it in ${ACCESS_SETTINGS}.allowTokenRealmHosts`,
    );
  }

  private nameRefusal(host: string): string | undefined {
    const denied = this.deny.find(pattern => matchesName(pattern, host));
    if (denied)
      return `${host} matches "${denied.entry}" in ${ACCESS_SETTINGS}.denyHosts`;
    // A name may still be allowed by a CIDR entry once it is resolved.
    const decidedByName =
      isIP(host) || !this.allow.some(pattern => pattern.kind === 'address');
    if (this.allow.length && decidedByName && !this.allowedByName(host))
      return `${host} is not in ${ACCESS_SETTINGS}.allowHosts`;
    return undefined;
  }

  private addressRefusal(host: string, address: string): string | undefined {
    const subject =
      host === address ? address : `${host} resolves to ${address}, which`;
    const denied = this.deny.find(pattern => matchesAddress(pattern, address));
    if (denied)
      return `${subject} matches "${denied.entry}" in ${ACCESS_SETTINGS}.denyHosts`;
    if (matches(CLOUD_METADATA, address))
      return `${subject} is a cloud metadata address, never a registry`;
    const special = this.forbiddenClass(address);
    if (special) return `${subject} is ${special}`;
    if (
      this.allow.length &&
      !this.allowedByName(host) &&
      !this.allow.some(pattern => matchesAddress(pattern, address))
    )
      return `${subject} is not in ${ACCESS_SETTINGS}.allowHosts`;
    return undefined;
  }

  private forbiddenClass(address: string): string | undefined {
    const { allowLoopback, allowLinkLocal } = this.options;
    if (!allowLoopback && matches(LOOPBACK, address))
      return `a loopback address (allow with ${ACCESS_SETTINGS}.allowLoopback)`;
    if (!allowLoopback && matches(UNSPECIFIED, address))
      return `an unspecified address, which reaches this machine (allow with ${ACCESS_SETTINGS}.allowLoopback)`;
    if (!allowLinkLocal && matches(LINK_LOCAL, address))
      return `a link-local address (allow with ${ACCESS_SETTINGS}.allowLinkLocal)`;
    return undefined;
  }

  private allowedByName(host: string): boolean {
    return this.allow.some(pattern => matchesName(pattern, host));
  }
}

function refused(why: string): RegistryError {
  return new RegistryError('refused', `registry request refused: ${why}`);
}

/** The URL's host name without IPv6 brackets or a trailing dot. */
function hostnameOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) match IPv4 entries too. */
function matches(list: BlockList, address: string): boolean {
  return isIP(address) !== 0 && list.check(address, familyOf(address));
}

/** Address entries match a host written as an address. */
function matchesName(pattern: HostPattern, host: string): boolean {
  if (pattern.kind === 'address') return matches(pattern.addresses, host);
  return pattern.wildcard
    ? host.endsWith(`.${pattern.name}`)
    : host === pattern.name;
}

function matchesAddress(pattern: HostPattern, address: string): boolean {
  return pattern.kind === 'address' && matches(pattern.addresses, address);
}

function addressList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    if (bits === undefined) list.addAddress(address, familyOf(address));
    else list.addSubnet(address, Number(bits), familyOf(address));
  }
  return list;
}

const HOST_NAME =
  /^[a-z0-9_]([a-z0-9_-]*[a-z0-9])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9])?)*$/;

function parsePatterns(setting: string, entries: string[] = []): HostPattern[] {
  return entries.map((raw, index) => {
    const entry = raw.trim().toLowerCase();
    const unbracketed = entry.replace(/^\[(.*)\]$/, '$1');
    const [address, bits, extra] = unbracketed.split('/');
    const maxBits = isIP(address) === 6 ? 128 : 32;
    if (
      isIP(address) &&
      extra === undefined &&
      (bits === undefined ||
        (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits))
    )
      return {
        entry: raw,
        kind: 'address',
        addresses: addressList([unbracketed]),
      };
    const wildcard = entry.startsWith('*.');
    const name = wildcard ? entry.slice(2) : entry;
    if (!HOST_NAME.test(name))
      throw new Error(
        `${ACCESS_SETTINGS}.${setting}[${index}]: "${raw}" is not a host name, *.domain, IP address or CIDR range (ports are not part of it)`,
      );
    return { entry: raw, kind: 'name', name, wildcard };
  });
}
