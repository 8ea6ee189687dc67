import { CelLibraryError } from './celErrors';

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `2e3`) as exact rationals,
 * so comparisons and integer conversion agree with `resource.Quantity`.
 */
export class Quantity {
  private constructor(
    readonly numerator: bigint,
    readonly denominator: bigint,
  ) {}

  static of(numerator: bigint, denominator = 1n): Quantity {
    if (denominator < 0n) return Quantity.of(-numerator, -denominator);
    const divisor = gcd(abs(numerator), denominator) || 1n;
    return new Quantity(numerator / divisor, denominator / divisor);
  }

  static parse(text: string): Quantity {
    const parsed = parseQuantity(text);
    if (!parsed) {
      throw new CelLibraryError(
        `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': "${text}"`,
      );
    }
    return parsed;
  }

  static isValid(text: string): boolean {
    return parseQuantity(text) !== undefined;
  }

  compareTo(other: Quantity): number {
    const left = this.numerator * other.denominator;
    const right = other.numerator * this.denominator;
    if (left === right) return 0;
    return left < right ? -1 : 1;
  }

  add(other: Quantity): Quantity {
    return Quantity.of(
      this.numerator * other.denominator + other.numerator * this.denominator,
      this.denominator * other.denominator,
    );
  }

  negate(): Quantity {
    return Quantity.of(-this.numerator, this.denominator);
  }

  sign(): bigint {
    if (this.numerator === 0n) return 0n;
    return this.numerator < 0n ? -1n : 1n;
  }

  isInteger(): boolean {
    return (
      this.denominator === 1n &&
      this.numerator >= INT64_MIN &&
      this.numerator <= INT64_MAX
    );
  }

  asInteger(): bigint {
    if (!this.isInteger()) {
      throw new CelLibraryError(
        'cannot convert value to integer: it has a fractional part or overflows int64',
      );
    }
    return this.numerator;
  }

  asApproximateFloat(): number {
    return Number(this.numerator) / Number(this.denominator);
  }
}

const BINARY: Record<string, bigint> = {
  Ki: 2n ** 10n,
  Mi: 2n ** 20n,
  Gi: 2n ** 30n,
  Ti: 2n ** 40n,
  Pi: 2n ** 50n,
  Ei: 2n ** 60n,
};
const DECIMAL: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const QUANTITY =
  /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE]?))$/;

function parseQuantity(text: string): Quantity | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign, digits, exponent, binary, decimal] = match;
  const [whole, fraction = ''] = digits.split('.');
  let numerator = BigInt(`${whole || '0'}${fraction}`);
  let denominator = 10n ** BigInt(fraction.length);
  if (sign === '-') numerator = -numerator;
  if (binary) return Quantity.of(numerator * BINARY[binary], denominator);
  const power = exponent ? Number(exponent.slice(1)) : DECIMAL[decimal ?? ''];
  // Beyond what resource.Quantity can hold; refusing keeps BigInt bounded.
  if (Math.abs(power) > 64) return undefined;
  if (power >= 0) numerator *= 10n ** BigInt(power);
  else denominator *= 10n ** BigInt(-power);
  return Quantity.of(numerator, denominator);
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a, b];
  while (y) [x, y] = [y, x % y];
  return x;
}
