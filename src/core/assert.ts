// Assertions for programmer errors and broken invariants: they stay on in production and are never caught.

/** Thrown when an invariant the code relies on does not hold; the process should crash, not continue. */
export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

/** Crashes with `message` unless `condition` holds. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}
