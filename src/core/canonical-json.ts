// Canonical JSON for custody event bodies: object keys sorted at every level, bigints written as
// {"$bigint":"<decimal>"} so they round-trip exactly, and nothing else special. Equal values give equal text.

import { assert } from './assert.ts';

const BIGINT_KEY = '$bigint';

/** Encodes a JSON-like value (objects, arrays, strings, finite numbers, booleans, null, bigints) canonically. */
export function encodeCanonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value));
}

/** Decodes text written by `encodeCanonicalJson`, turning {"$bigint": "..."} back into bigints. */
export function decodeCanonicalJson<T>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === BIGINT_KEY)
        return BigInt((value as Record<string, string>)[BIGINT_KEY]!);
    }
    return value;
  }) as T;
}

function normalize(value: unknown): unknown {
  if (typeof value === 'bigint') return { [BIGINT_KEY]: value.toString() };
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const field = (value as Record<string, unknown>)[key];
      // Absent and undefined are the same field (exactOptionalPropertyTypes keeps them apart in types only).
      if (field !== undefined) sorted[key] = normalize(field);
    }
    return sorted;
  }
  assert(
    value === null || typeof value === 'string' || typeof value === 'boolean' || Number.isFinite(value),
    'canonical JSON holds only strings, finite numbers, booleans, null, bigints, arrays and objects',
  );
  return value;
}
