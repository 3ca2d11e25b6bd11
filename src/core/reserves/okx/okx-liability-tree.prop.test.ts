// Properties of the v2 full-tree check over random OKX-style trees made by an independent builder
// (test/fixtures/okx/build-okx-tree.ts), with one customer's split leaves placed at random: the tree verifies,
// its root carries the sum of the leaves, the customer's leaves are found, and changing any one line fails.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildLevels,
  formatScale8,
  type Minor3,
  v2TreeText,
  v2UserInfo,
} from '../../../../test/fixtures/okx/build-okx-tree.ts';
import { OKX_ASSETS } from './okx-balances.ts';
import { formatOkxAmount } from './okx-decimal.ts';
import { verifyOkxLiabilityTree } from './okx-liability-tree.ts';
import { verifyOkxUserInfo } from './okx-user-info.ts';

const hex32 = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((bytes) => Buffer.from(bytes).toString('hex'));
const amount = fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 10n ** 18n }));
const balances: fc.Arbitrary<Minor3> = fc.tuple(amount, amount, amount);
// A customer's leaf always holds something: an all-zero leaf beside an equal neighbour would read as padding.
const userPart = balances.filter((part) => part.some((value) => value > 0n));

/** Other customers' leaves, one customer's split, and where each of the customer's leaves goes. */
interface Scenario {
  others: { hash: string; balances: Minor3 }[];
  nonce: string;
  parts: Minor3[];
  positions: number[];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  others: fc.array(fc.record({ hash: hex32, balances }), { minLength: 0, maxLength: 40 }),
  nonce: hex32,
  parts: fc.array(userPart, { minLength: 1, maxLength: 3 }),
  positions: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
});

/** The tree with the customer's leaves spliced in, its file text and the customer's verified leaves. */
function build({ others, nonce, parts, positions }: Scenario) {
  const customer = v2UserInfo(nonce, parts);
  const leaves = [...others];
  customer.leaves.forEach((leaf, index) => {
    leaves.splice(positions[index]! % (leaves.length + 1), 0, leaf);
  });
  fc.pre(leaves.length >= 2);
  const levels = buildLevels(leaves);
  const verified = verifyOkxUserInfo(customer.file);
  if (!verified.ok) throw new Error(verified.error.message);
  return { leaves, levels, text: v2TreeText(levels), userLeaves: verified.leaves };
}

describe('verifyOkxLiabilityTree on built trees', () => {
  it('verifies, totals the leaves at the root and finds the customer’s leaves', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const { leaves, levels, text, userLeaves } = build(input);
        const result = verifyOkxLiabilityTree(text, { userLeaves });
        if (!result.ok) throw new Error(result.error.message);
        expect(result.root.hash).toBe(levels[levels.length - 1]![0]!.hash);
        expect(result.leafCount).toBe(leaves.length);
        const totals = [0, 1, 2].map((asset) =>
          leaves.reduce((sum, leaf) => sum + leaf.balances[asset]!, 0n),
        );
        expect(OKX_ASSETS.map((asset) => formatOkxAmount(result.root.balances[asset]))).toEqual(
          totals.map(formatScale8),
        );
      }),
    );
  });

  it('fails when any one line’s hash or balance changes', () => {
    const change = fc.record({ line: fc.nat(), field: fc.constantFrom('hash', 'BTC', 'ETH', 'USDT') });
    fc.assert(
      fc.property(scenario, change, (input, { line, field }) => {
        const { text, userLeaves } = build(input);
        const lines = text.trimEnd().split('\n');
        const index = line % lines.length;
        const target = lines[index]!;
        lines[index] =
          field === 'hash'
            ? (target.startsWith('0') ? '1' : '0') + target.slice(1)
            : target.replace(new RegExp(`"${field}":"([^"]*)"`), (_, value: string) => {
                const [whole = '0', fraction = ''] = value.split('.');
                return `"${field}":"${formatScale8(BigInt(whole + fraction.padEnd(8, '0')) + 1n)}"`;
              });
        expect(verifyOkxLiabilityTree(lines.join('\n'), { userLeaves }).ok).toBe(false);
      }),
    );
  });
});
