/**
 * JSON → CEL values. Kubernetes types int32/int64 fields as CEL `int`; JSON
 * numbers would arrive as doubles, and `object.spec.replicas + 1` would then
 * have no overload. Every field of the built-in kinds a policy sees (pods,
 * workloads, namespaces, ConfigMaps) that holds a number is an integer, so
 * whole numbers become BigInt and the rest stay doubles. Maps get no
 * prototype so hostile keys such as `__proto__` stay plain data. cel-js
 * types an object by its `constructor` property, so one with a
 * `constructor` key (a valid label or annotation key) becomes a `Map`.
 */
export function toCelValue(value: unknown): unknown {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map(toCelValue);
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value).filter(
      ([, field]) => field !== undefined,
    );
    if (Object.prototype.hasOwnProperty.call(value, 'constructor')) {
      return new Map(fields.map(([key, field]) => [key, toCelValue(field)]));
    }
    const map: Record<string, unknown> = Object.create(null);
    for (const [key, field] of fields) map[key] = toCelValue(field);
    return map;
  }
  return value;
}

/** The entries of a CEL map, whichever form it has. */
export function mapEntries(value: object): [string, unknown][] {
  return value instanceof Map ? [...value.entries()] : Object.entries(value);
}

/** Structural equality of CEL values (lists, maps, scalars). */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => celEquals(item, b[i]));
  }
  if (isMap(a) && isMap(b)) {
    const left = new Map(mapEntries(a));
    const right = new Map(mapEntries(b));
    return (
      left.size === right.size &&
      [...left].every(
        ([key, value]) => right.has(key) && celEquals(value, right.get(key)),
      )
    );
  }
  return false;
}

function isMap(value: unknown): value is object {
  return (
    value instanceof Map ||
    (value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      (Object.getPrototypeOf(value) === null ||
        Object.getPrototypeOf(value) === Object.prototype))
  );
}
