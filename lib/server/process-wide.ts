/**
 * One value per process, however many copies of a module the process holds: Next.js bundles
 * instrumentation.ts (the history writer), the route handlers and the pages' server render
 * apart, each with its own copy of the modules they share (a build holds three copies of
 * lib/api/snapshot.ts). A module-level cache or map would be one per copy, and each copy would
 * miss what the others did. The value lives on globalThis under a registered symbol.
 */
export function processWide<T>(name: string, make: () => T): T {
  const key = Symbol.for(`frontier-monitor.${name}`);
  const store = globalThis as typeof globalThis & Record<symbol, unknown>;
  if (!(key in store)) store[key] = make();
  return store[key] as T;
}
