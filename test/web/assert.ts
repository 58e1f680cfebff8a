/**
 * The part of Node's `assert` the integration tests use, for the web worker
 * host, which has no Node built-ins (esbuild aliases `assert` to this file in
 * the web suite only).
 */
export class AssertionError extends Error {}

function fail(message: string | undefined, fallback: string): never {
  throw new AssertionError(message ?? fallback);
}

const show = (v: unknown): string => {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
};

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function ok(value: unknown, message?: string): asserts value {
  if (!value) fail(message, `expected a truthy value, got ${show(value)}`);
}

export function strictEqual<T>(actual: unknown, expected: T, message?: string): asserts actual is T {
  if (!Object.is(actual, expected)) fail(message, `${show(actual)} !== ${show(expected)}`);
}

export function deepStrictEqual<T>(actual: unknown, expected: T, message?: string): asserts actual is T {
  if (!deepEqual(actual, expected)) fail(message, `${show(actual)} is not deeply equal to ${show(expected)}`);
}

export function match(text: string, re: RegExp, message?: string): void {
  if (!re.test(text)) fail(message, `${show(text)} does not match ${re}`);
}

export function doesNotMatch(text: string, re: RegExp, message?: string): void {
  if (re.test(text)) fail(message, `${show(text)} matches ${re}`);
}
