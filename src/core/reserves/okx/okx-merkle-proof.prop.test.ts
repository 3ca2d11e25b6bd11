// Properties of the v1 verifier over random OKX-style trees made by an independent builder
// (test/fixtures/okx/build-okx-tree.ts): every leaf's proof verifies to the builder's root, and changing any
// one hash, balance, side or nonce of a proof makes it fail.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildLevels,
  formatScale8,
  type Minor3,
  v1LeafHash,
  v1ProofFile,
} from '../../../../test/fixtures/okx/build-okx-tree.ts';
import { OKX_ASSETS } from './okx-balances.ts';
import { formatOkxAmount } from './okx-decimal.ts';
import { verifyOkxMerkleProof } from './okx-merkle-proof.ts';

const hex32 = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((bytes) => Buffer.from(bytes).toString('hex'));
const amount = fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 10n ** 18n }));
const balances: fc.Arbitrary<Minor3> = fc.tuple(amount, amount, amount);
const tree = fc
  .array(fc.record({ nonce: hex32, balances }), { minLength: 2, maxLength: 40 })
  .chain((leaves) =>
    fc.record({ leaves: fc.constant(leaves), leafIndex: fc.nat({ max: leaves.length - 1 }) }),
  );

interface Node {
  hash: string;
  type: number;
  nonce?: string;
  balances: Record<string, string>;
}

function proofFor(leaves: { nonce: string; balances: Minor3 }[], leafIndex: number) {
  const levels = buildLevels(
    leaves.map((leaf) => ({ hash: v1LeafHash(leaf.nonce, leaf.balances), balances: leaf.balances })),
  );
  const proof = v1ProofFile(
    levels,
    leafIndex,
    leaves.map((leaf) => leaf.nonce),
  ) as { self: Node; path: Node[] };
  return { levels, proof };
}

describe('verifyOkxMerkleProof on built trees', () => {
  it('verifies every leaf’s proof to the builder’s root', () => {
    fc.assert(
      fc.property(tree, ({ leaves, leafIndex }) => {
        const { levels, proof } = proofFor(leaves, leafIndex);
        const result = verifyOkxMerkleProof(proof);
        if (!result.ok) throw new Error(result.error.message);
        const root = levels[levels.length - 1]![0]!;
        expect(result.root.hash).toBe(root.hash);
        expect(result.root.height).toBe(levels.length);
        expect(OKX_ASSETS.map((asset) => formatOkxAmount(result.root.balances[asset]))).toEqual(
          root.balances.map(formatScale8),
        );
      }),
    );
  });

  it('fails when any one field of the proof changes', () => {
    const change = fc.record({
      node: fc.nat(),
      field: fc.constantFrom('hash', 'BTC', 'ETH', 'USDT', 'type', 'nonce'),
    });
    fc.assert(
      fc.property(tree, change, ({ leaves, leafIndex }, { node, field }) => {
        const { proof } = proofFor(leaves, leafIndex);
        const nodes = [proof.self, ...proof.path];
        const target = nodes[node % nodes.length]!;
        if (field === 'hash') target.hash = (target.hash.startsWith('0') ? '1' : '0') + target.hash.slice(1);
        else if (field === 'type') {
          // Padding (4) copies its sibling's hash and hashes alike on either side: relabelling it is no change.
          fc.pre(target.type !== 4);
          target.type = target.type === 1 ? 2 : target.type === 2 ? 1 : 1;
        } else if (field === 'nonce') {
          fc.pre(target.nonce !== undefined);
          target.nonce = `${target.nonce}0`;
        } else {
          const [whole = '0', fraction = ''] = target.balances[field]!.split('.');
          target.balances[field] = formatScale8(BigInt(whole + fraction.padEnd(8, '0')) + 1n);
        }
        expect(verifyOkxMerkleProof(proof).ok).toBe(false);
      }),
    );
  });
});
