/** Orders two strings by code unit, as sort() would: the one order every list in core is sorted by. */
export function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
