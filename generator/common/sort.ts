/** One ordering for everything the generator iterates: plain code-point comparison, locale-free. */

export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedKeys(record: object | undefined): string[] {
  return record === undefined ? [] : Object.keys(record).sort(compareCodePoints);
}

export function sortBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => compareCodePoints(key(a), key(b)));
}
