/**
 * JSON → CEL values. Kubernetes types int32/int64 fields as CEL `int`; JSON
 * numbers would arrive as doubles, and `object.spec.replicas + 1` would then
 * have no overload. Every field of the built-in kinds a policy sees (pods,
 * workloads, namespaces, ConfigMaps) that holds a number is an integer, so
 * whole numbers become BigInt and the rest stay doubles. Maps get no
 * prototype so hostile keys such as `__proto__` stay plain data.
 */
export function toCelValue(value: unknown): unknown {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map(toCelValue);
  if (value !== null && typeof value === 'object') {
    const map: Record<string, unknown> = Object.create(null);
    for (const [key, field] of Object.entries(value)) {
      if (field !== undefined) map[key] = toCelValue(field);
    }
    return map;
  }
  return value;
}

/** Structural equality of CEL values (lists, maps, scalars). */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => celEquals(item, b[i]));
  }
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every(key => key in b && celEquals(a[key], b[key]))
    );
  }
  return false;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    (Object.getPrototypeOf(value) === null ||
      Object.getPrototypeOf(value) === Object.prototype)
  );
}
