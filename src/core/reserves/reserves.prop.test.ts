// Properties of the liability tree over random customer sets: every customer's proof verifies, changing any
// single field of a proof (leaf, salt, sibling hash or sum, parent, position, attestation, root) makes it
// fail with the check that names that part, and the root's sums are the customers' totals per asset.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signedFixture } from '../../../test/support/reserves-fixture.ts';
import { LEAF_AMOUNT_MAX_MINOR } from './tree-format.ts';
import { verifyInclusionProof } from './verify-inclusion-proof.ts';

const ASSETS = [
  { code: 'BTC', scale: 8 },
  { code: 'ETH', scale: 18 },
  { code: 'USDC', scale: 6 },
];

const balance = fc.oneof(
  fc.constant(0n),
  fc.bigInt({ min: 0n, max: 1_000_000n }),
  fc.bigInt({ min: 0n, max: LEAF_AMOUNT_MAX_MINOR }),
);
const customers = fc.uniqueArray(
  fc.record({
    customerId: fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/),
    balancesMinor: fc.tuple(balance, balance, balance),
  }),
  { minLength: 1, maxLength: 40, selector: (customer) => customer.customerId },
);

// biome-ignore lint/suspicious/noExplicitAny: the mutation walks arbitrary JSON.
type Json = any;

/** Every path to a scalar in a JSON value, e.g. ['path', 3, 'sibling', 'sums', 1]. */
function scalarPaths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys = Array.isArray(value) ? value.map((_, index) => index) : Object.keys(value);
  return keys.flatMap((key) => scalarPaths(value[key], [...prefix, key]));
}

/** A different value of the same kind: a hex digit changed, an amount plus one, a flag flipped. */
function mutated(value: Json, pick: number): Json {
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'number') return value ^ (1 << (pick % 5));
  if (value === null) return '0';
  if (/^-?\d+$/.test(value)) return (BigInt(value) + 1n).toString();
  if (/^(0x)?[0-9a-f]+$/i.test(value)) {
    const at = (value.startsWith('0x') ? 2 : 0) + (pick % (value.length - (value.startsWith('0x') ? 2 : 0)));
    const digit = value[at]!.toLowerCase();
    const replacement = digit === '0' ? '1' : '0';
    return `${value.slice(0, at)}${replacement}${value.slice(at + 1)}`;
  }
  return `${value}x`;
}

/** The check that must catch a change at `path` (the part of the proof it names). */
function expectedCodes(path: (string | number)[]): RegExp {
  const [head, index, part] = path;
  if (head === 'leaf' || head === 'auditId')
    return /^proof_(leaf_hash_mismatch|malformed|attestation_mismatch)$/;
  if (head === 'position') return /^proof_(node_hash_mismatch|position_out_of_range)$/;
  if (head === 'path' && part === 'sibling' && path[3] === 'sums')
    return /^proof_(node_sums_mismatch|sum_out_of_range)$/;
  if (head === 'path' && part === 'parent' && path[3] === 'sums')
    return /^proof_(node_sums_mismatch|sum_out_of_range)$/;
  if (head === 'path') return /^proof_node_hash_mismatch$/;
  if (head === 'attestation') return /^attestation_/;
  if (head === 'assets') return /^proof_(attestation_mismatch|malformed)$/;
  if (head === 'height') return /^proof_(path_length_mismatch|malformed)$/;
  if (head === 'format') return /^proof_format_unsupported$/;
  return index === undefined ? /^proof_malformed$/ : /./;
}

describe('liability tree properties', () => {
  it('every customer proof verifies and the root sums are the customer totals', async () => {
    await fc.assert(
      fc.asyncProperty(customers, async (list) => {
        const fixture = await signedFixture(ASSETS, list, { reservesMinor: [0n, 0n, 0n] });
        for (let position = 0; position < list.length; position += 1) {
          const result = verifyInclusionProof(JSON.parse(JSON.stringify(fixture.proofAt(position))));
          expect(result.ok && result.verified.customerId).toBe(list[position]!.customerId);
        }
        const totals = ASSETS.map((_, asset) =>
          list.reduce((sum, customer) => sum + customer.balancesMinor[asset]!, 0n).toString(),
        );
        expect(fixture.attestation.body.liabilities.totals).toEqual(totals);
      }),
      { numRuns: 40 },
    );
  });

  it('every single-field mutation of a proof fails, naming what failed', async () => {
    await fc.assert(
      fc.asyncProperty(customers, fc.nat(), fc.nat(), fc.nat(), async (list, who, where, pick) => {
        const fixture = await signedFixture(ASSETS, list);
        const proof = JSON.parse(JSON.stringify(fixture.proofAt(who % list.length)));
        const paths = scalarPaths(proof);
        const path = paths[where % paths.length]!;
        let parent = proof;
        for (const key of path.slice(0, -1)) parent = parent[key];
        const last = path[path.length - 1]!;
        parent[last] = mutated(parent[last], pick);
        const result = verifyInclusionProof(proof);
        expect(result.ok, `mutating ${path.join('.')} must fail`).toBe(false);
        if (!result.ok) expect(result.error.code, path.join('.')).toMatch(expectedCodes(path));
      }),
      { numRuns: 300 },
    );
  });
});
