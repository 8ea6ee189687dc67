/**
 * Plain code-unit string order, as etcd orders keys and Go sorts strings;
 * `localeCompare` would order case and punctuation differently.
 */
export function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
