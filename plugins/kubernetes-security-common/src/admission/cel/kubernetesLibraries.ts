import { Environment, Optional } from '@marcbachmann/cel-js';
import { CelLibraryError, UnsupportedCelFeatureError } from './celErrors';
import { chargeCost, sizeCost } from './costBudget';
import { NAMED_FORMATS, NamedFormat } from './formats';
import { Cidr, cidr, ip, IpAddress, parseCidr, parseIp } from './ip';
import { Quantity } from './quantity';
import { regexFind, regexFindAll, regexMatches } from './regex';
import { KubeUrl, kubeUrl, parseKubeUrl } from './url';
import { celEquals, mapEntries } from './values';

/**
 * The Kubernetes CEL libraries on top of cel-js's standard library (which
 * already has size, contains, startsWith, endsWith, lowerAscii, upperAscii,
 * trim, split, join, substring, indexOf, lastIndexOf, the macros, optionals,
 * timestamps and durations). `matches` is routed to RE2 by the environment.
 */

class StringsNamespace {}
class SetsNamespace {}
class IpNamespace {}
class FormatNamespace {}
/** Authorization checks depend on who sends the request: not simulated. */
export class Authorizer {}

const AUTHORIZER_REASON =
  'authorizer checks depend on the user making the request and are not simulated';

function ordered(a: unknown, b: unknown): number {
  const comparable =
    (typeof a === 'bigint' && typeof b === 'bigint') ||
    (typeof a === 'number' && typeof b === 'number') ||
    (typeof a === 'string' && typeof b === 'string') ||
    (typeof a === 'boolean' && typeof b === 'boolean');
  if (comparable) {
    if (a === b) return 0;
    return (a as any) < (b as any) ? -1 : 1;
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  throw new CelLibraryError(
    `list elements of types ${typeof a} and ${typeof b} cannot be ordered`,
  );
}

function extreme(list: unknown[], sign: 1 | -1, name: string): unknown {
  if (list.length === 0) {
    throw new CelLibraryError(`${name} called on empty list`);
  }
  return list.reduce((best, item) =>
    ordered(item, best) * sign > 0 ? item : best,
  );
}

function sum(list: unknown[]): unknown {
  if (list.every(item => typeof item === 'bigint')) {
    return (list as bigint[]).reduce((total, item) => total + item, 0n);
  }
  if (list.every(item => typeof item === 'number')) {
    return (list as number[]).reduce((total, item) => total + item, 0);
  }
  throw new CelLibraryError('sum needs a list of ints or of doubles');
}

function indexOf(list: unknown[], value: unknown, last: boolean): bigint {
  const indexes = list.map((_, i) => i);
  if (last) indexes.reverse();
  const found = indexes.find(i => celEquals(list[i], value));
  return BigInt(found ?? -1);
}

function charAt(value: string, index: bigint): string {
  const chars = [...value];
  if (index < 0n || index > BigInt(chars.length)) {
    throw new CelLibraryError(`index out of range: ${index}`);
  }
  return chars[Number(index)] ?? '';
}

function replace(value: string, from: string, to: string, limit = -1n): string {
  if (limit < 0n) return value.split(from).join(to);
  let result = value;
  let start = 0;
  for (let n = 0n; n < limit; n++) {
    const at = result.indexOf(from, start);
    if (at < 0) break;
    result = result.slice(0, at) + to + result.slice(at + from.length);
    start = at + to.length + (from === '' ? 1 : 0);
  }
  return result;
}

/** `"%s has %d replicas".format([name, n])` with the verbs cel-go supports. */
function format(template: string, args: unknown[]): string {
  let next = 0;
  return template.replace(
    /%(?:\.(\d+))?([sdfeboxX%])/g,
    (_match, precision: string | undefined, verb: string) => {
      if (verb === '%') return '%';
      if (next >= args.length) {
        throw new CelLibraryError(
          `index ${next} out of range for ${args.length} format arguments`,
        );
      }
      const arg = args[next++];
      const digits = precision === undefined ? 6 : Number(precision);
      switch (verb) {
        case 's':
          return typeof arg === 'string' ? arg : formatString(arg);
        case 'd':
          if (typeof arg !== 'bigint') throw badVerb(verb, arg);
          return arg.toString();
        case 'f':
          return toDouble(verb, arg).toFixed(digits);
        case 'e':
          return toDouble(verb, arg)
            .toExponential(digits)
            .replace(/e([+-])(\d)$/, 'e$10$2');
        case 'b':
        case 'o':
        case 'x':
        case 'X': {
          const radix = { b: 2, o: 8, x: 16, X: 16 }[verb];
          const text = integerOrBytesText(verb, arg, radix);
          return verb === 'X' ? text.toUpperCase() : text;
        }
        default:
          throw badVerb(verb, arg);
      }
    },
  );
}

/** cel-go formats strings for %x as the hex of their UTF-8 bytes. */
function integerOrBytesText(verb: string, arg: unknown, radix: number): string {
  if (typeof arg === 'bigint') return arg.toString(radix);
  if (typeof arg === 'string' && radix === 16) {
    return [...new TextEncoder().encode(arg)]
      .map(byte => byte.toString(16).padStart(2, '0'))
      .join('');
  }
  throw badVerb(verb, arg);
}

function formatString(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatString).join(', ')}]`;
  if (typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') {
    const entries = mapEntries(value as object)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, field]) => `${key}: ${formatString(field)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

function toDouble(verb: string, value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw badVerb(verb, value);
}

function badVerb(verb: string, value: unknown): CelLibraryError {
  return new CelLibraryError(
    `%${verb} cannot format a value of type ${typeof value}`,
  );
}

function quote(value: string): string {
  return JSON.stringify(value);
}

function asIp(value: IpAddress | string): IpAddress {
  return typeof value === 'string' ? ip(value) : value;
}

function asCidr(value: Cidr | string): Cidr {
  return typeof value === 'string' ? cidr(value) : value;
}

/** The function names these libraries add, for telling "unsupported" apart. */
export const KUBERNETES_LIBRARY_FUNCTIONS = new Set<string>();

/** The cost of a call (see costBudget.ts), from its arguments, receiver first. */
type CostOf = (args: unknown[]) => number;

/** cel-go's usual cost: 1 for the call and the traversal of its arguments. */
const traversalCost: CostOf = args =>
  args.reduce<number>((total, arg) => total + sizeCost(arg), 1);

/** For functions that charge as they run (regex searches). */
const chargedWhileRunning: CostOf = () => 0;

/** Set operations compare every element of one list with the other's. */
const pairwiseCost: CostOf = ([, a, b]) => 1 + sizeCost(a) * sizeCost(b);

export function registerKubernetesLibraries(env: Environment): void {
  const fn = (
    signature: string,
    handler: (...args: any[]) => unknown,
    costOf: CostOf = traversalCost,
  ) => {
    KUBERNETES_LIBRARY_FUNCTIONS.add(/(\w+)\(/.exec(signature)![1]);
    env.registerFunction(signature, ((...args: unknown[]) => {
      chargeCost(costOf(args));
      return handler(...args);
    }) as any);
  };

  // Regex (RE2).
  fn('string.re2Matches(string): bool', regexMatches, chargedWhileRunning);
  fn('re2Matches(string, string): bool', regexMatches, chargedWhileRunning);
  fn('string.find(string): string', regexFind, chargedWhileRunning);
  fn(
    'string.findAll(string): list<string>',
    (s, p) => regexFindAll(s, p),
    chargedWhileRunning,
  );
  fn(
    'string.findAll(string, int): list<string>',
    (s, p, n: bigint) => regexFindAll(s, p, Number(n)),
    chargedWhileRunning,
  );

  // Extended strings.
  env.registerType('StringsNamespace', StringsNamespace);
  env.registerConstant('strings', 'StringsNamespace', new StringsNamespace());
  fn('string.charAt(int): string', charAt);
  fn('string.replace(string, string): string', (s, a, b) => replace(s, a, b));
  fn('string.replace(string, string, int): string', replace);
  fn('string.reverse(): string', (s: string) => [...s].reverse().join(''));
  fn('string.format(list): string', format);
  fn('StringsNamespace.quote(string): string', (_ns, s: string) => quote(s));

  // Lists.
  fn('list.isSorted(): bool', (list: unknown[]) =>
    list.every((item, i) => i === 0 || ordered(list[i - 1], item) <= 0),
  );
  fn('list.sum(): dyn', sum);
  fn('list.min(): dyn', (list: unknown[]) => extreme(list, -1, 'min'));
  fn('list.max(): dyn', (list: unknown[]) => extreme(list, 1, 'max'));
  fn('list.indexOf(dyn): int', (list: unknown[], v) => indexOf(list, v, false));
  fn('list.lastIndexOf(dyn): int', (list: unknown[], v) =>
    indexOf(list, v, true),
  );

  // Sets.
  env.registerType('SetsNamespace', SetsNamespace);
  env.registerConstant('sets', 'SetsNamespace', new SetsNamespace());
  const containsAll = (a: unknown[], b: unknown[]) =>
    b.every(item => a.some(other => celEquals(item, other)));
  fn(
    'SetsNamespace.contains(list, list): bool',
    (_ns, a, b) => containsAll(a, b),
    pairwiseCost,
  );
  fn(
    'SetsNamespace.equivalent(list, list): bool',
    (_ns, a, b) => containsAll(a, b) && containsAll(b, a),
    pairwiseCost,
  );
  fn(
    'SetsNamespace.intersects(list, list): bool',
    (_ns, a: unknown[], b) =>
      a.some(item => (b as unknown[]).some(other => celEquals(item, other))),
    pairwiseCost,
  );

  // Quantity.
  env.registerType('Quantity', Quantity);
  fn('quantity(string): Quantity', (s: string) => Quantity.parse(s));
  fn('isQuantity(string): bool', (s: string) => Quantity.isValid(s));
  fn('Quantity.sign(): int', (q: Quantity) => q.sign());
  fn('Quantity.isInteger(): bool', (q: Quantity) => q.isInteger());
  fn('Quantity.asInteger(): int', (q: Quantity) => q.asInteger());
  fn('Quantity.asApproximateFloat(): double', (q: Quantity) =>
    q.asApproximateFloat(),
  );
  fn('Quantity.add(Quantity): Quantity', (a: Quantity, b: Quantity) =>
    a.add(b),
  );
  fn('Quantity.add(int): Quantity', (a: Quantity, b: bigint) =>
    a.add(Quantity.of(b)),
  );
  fn('Quantity.sub(Quantity): Quantity', (a: Quantity, b: Quantity) =>
    a.add(b.negate()),
  );
  fn('Quantity.sub(int): Quantity', (a: Quantity, b: bigint) =>
    a.add(Quantity.of(-b)),
  );
  fn(
    'Quantity.isGreaterThan(Quantity): bool',
    (a: Quantity, b: Quantity) => a.compareTo(b) > 0,
  );
  fn(
    'Quantity.isLessThan(Quantity): bool',
    (a: Quantity, b: Quantity) => a.compareTo(b) < 0,
  );
  fn('Quantity.compareTo(Quantity): int', (a: Quantity, b: Quantity) =>
    BigInt(a.compareTo(b)),
  );
  env.registerOperator(
    'Quantity == Quantity',
    (a: Quantity, b: Quantity) => a.compareTo(b) === 0,
  );

  // URL.
  env.registerType('URL', KubeUrl);
  fn('url(string): URL', kubeUrl);
  fn('isURL(string): bool', (s: string) => parseKubeUrl(s) !== undefined);
  fn('URL.getScheme(): string', (u: KubeUrl) => u.scheme);
  fn('URL.getHost(): string', (u: KubeUrl) => u.host);
  fn('URL.getHostname(): string', (u: KubeUrl) => u.hostname);
  fn('URL.getPort(): string', (u: KubeUrl) => u.port);
  fn('URL.getEscapedPath(): string', (u: KubeUrl) => u.escapedPath);
  fn('URL.getQuery(): map<string, list<string>>', (u: KubeUrl) => u.query);

  // IP and CIDR.
  env.registerType('IP', IpAddress);
  env.registerType('CIDR', Cidr);
  env.registerType('IpNamespace', IpNamespace);
  fn('ip(string): IP', ip);
  fn('isIP(string): bool', (s: string) => parseIp(s) !== undefined);
  fn('isCIDR(string): bool', (s: string) => parseCidr(s) !== undefined);
  fn('string(IP): string', (a: IpAddress) => a.toString());
  fn('string(CIDR): string', (c: Cidr) => c.toString());
  fn('IP.family(): int', (a: IpAddress) => BigInt(a.family));
  fn('IP.isUnspecified(): bool', (a: IpAddress) => a.isUnspecified());
  fn('IP.isLoopback(): bool', (a: IpAddress) => a.isLoopback());
  fn('IP.isLinkLocalMulticast(): bool', (a: IpAddress) =>
    a.isLinkLocalMulticast(),
  );
  fn('IP.isLinkLocalUnicast(): bool', (a: IpAddress) => a.isLinkLocalUnicast());
  fn('IP.isGlobalUnicast(): bool', (a: IpAddress) => a.isGlobalUnicast());
  fn('cidr(string): CIDR', cidr);
  fn('CIDR.containsIP(IP): bool', (c: Cidr, a: IpAddress) => c.containsIp(a));
  fn('CIDR.containsIP(string): bool', (c: Cidr, a: string) =>
    c.containsIp(asIp(a)),
  );
  fn('CIDR.containsCIDR(CIDR): bool', (c: Cidr, o: Cidr) => c.containsCidr(o));
  fn('CIDR.containsCIDR(string): bool', (c: Cidr, o: string) =>
    c.containsCidr(asCidr(o)),
  );
  fn('CIDR.ip(): IP', (c: Cidr) => c.address);
  fn('CIDR.masked(): CIDR', (c: Cidr) => c.masked());
  fn('CIDR.prefixLength(): int', (c: Cidr) => BigInt(c.prefixLength));
  env.registerOperator(
    'IP == IP',
    (a: IpAddress, b: IpAddress) =>
      a.family === b.family && a.value === b.value,
  );
  env.registerOperator(
    'CIDR == CIDR',
    (a: Cidr, b: Cidr) =>
      a.prefixLength === b.prefixLength &&
      a.address.family === b.address.family &&
      a.address.value === b.address.value,
  );

  // Named formats.
  env.registerType('Format', NamedFormat);
  env.registerType('FormatNamespace', FormatNamespace);
  env.registerConstant('format', 'FormatNamespace', new FormatNamespace());
  fn('FormatNamespace.named(string): optional<Format>', (_ns, name: string) =>
    Object.prototype.hasOwnProperty.call(NAMED_FORMATS, name)
      ? Optional.of(NAMED_FORMATS[name])
      : Optional.none(),
  );
  for (const name of Object.keys(NAMED_FORMATS)) {
    fn(`FormatNamespace.${name}(): Format`, () => NAMED_FORMATS[name]);
  }
  fn('Format.validate(string): optional<list<string>>', (f: NamedFormat, s) => {
    const problems = f.validate(s);
    return problems.length ? Optional.of(problems) : Optional.none();
  });

  // Authorizer: present so expressions type-check; calling it is unknown.
  env.registerType('Authorizer', Authorizer);
  for (const signature of [
    'Authorizer.group(string): dyn',
    'Authorizer.path(string): dyn',
    'Authorizer.serviceAccount(string, string): dyn',
  ]) {
    env.registerFunction(signature, () => {
      throw new UnsupportedCelFeatureError('authorizer', AUTHORIZER_REASON);
    });
  }
}

export { AUTHORIZER_REASON };
