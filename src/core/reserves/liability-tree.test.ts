// Proves the tree's bytes follow the documented formulas (recomputed here independently with node:crypto),
// that the sums carry every leaf, and that each leaf the rules forbid is refused by name.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../../test/support/reserves-fixture.ts';
import { buildLiabilityTree, type LiabilityLeaf } from './liability-tree.ts';
import { LEAF_AMOUNT_MAX_MINOR, TREE_HEIGHT } from './tree-format.ts';

const ASSETS = [
  { code: 'BTC', scale: 8 },
  { code: 'USDC', scale: 6 },
];
const AUDIT_ID = fixtureBytes('audit', 16);

function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function u128(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(32, '0'), 'hex');
}

/** The documented leaf formula, written out: 0x00 ‖ audit ‖ salt ‖ len ‖ id ‖ u128 per asset. */
function independentLeaf(leaf: LiabilityLeaf): { hash: Buffer; sums: bigint[] } {
  const id = Buffer.from(leaf.customerId, 'utf8');
  return {
    hash: sha256(
      Buffer.from([0]),
      AUDIT_ID,
      leaf.salt,
      Buffer.from([id.length]),
      id,
      ...leaf.balancesMinor.map(u128),
    ),
    sums: [...leaf.balancesMinor],
  };
}

function independentNode(
  left: { hash: Buffer; sums: bigint[] },
  right: { hash: Buffer; sums: bigint[] },
): { hash: Buffer; sums: bigint[] } {
  return {
    hash: sha256(Buffer.from([1]), left.hash, ...left.sums.map(u128), right.hash, ...right.sums.map(u128)),
    sums: left.sums.map((sum, index) => sum + right.sums[index]!),
  };
}

function independentPadding(level: number): { hash: Buffer; sums: bigint[] } {
  return { hash: sha256(Buffer.from([2]), AUDIT_ID, Buffer.from([level])), sums: [0n, 0n] };
}

function leaf(customerId: string, balancesMinor: bigint[]): LiabilityLeaf {
  return { customerId, salt: fixtureBytes(`salt:${customerId}`, 32), balancesMinor };
}

describe('buildLiabilityTree', () => {
  it('computes the documented root for three leaves: nodes hash both children with their sums', () => {
    const leaves = [leaf('alice', [5n, 100n]), leaf('bob', [10n, 0n]), leaf('carol', [0n, 7n])];
    const built = buildLiabilityTree({ auditId: AUDIT_ID, assets: ASSETS, leaves });
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    const [a, b, c] = leaves.map(independentLeaf);
    let node = independentNode(independentNode(a!, b!), independentNode(c!, independentPadding(0)));
    for (let level = 2; level < TREE_HEIGHT; level += 1)
      node = independentNode(node, independentPadding(level));
    expect(Buffer.from(built.tree.root.subarray(0, 32)).toString('hex')).toBe(node.hash.toString('hex'));
    expect(node.sums).toEqual([15n, 107n]);
    expect(Buffer.from(built.tree.root.subarray(32)).toString('hex')).toBe(
      Buffer.concat(node.sums.map(u128)).toString('hex'),
    );
  });

  it('gives an empty tree the padding record of the whole height', () => {
    const built = buildLiabilityTree({ auditId: AUDIT_ID, assets: ASSETS, leaves: [] });
    expect(built.ok && Buffer.from(built.tree.root.subarray(0, 32)).toString('hex')).toBe(
      independentPadding(TREE_HEIGHT).hash.toString('hex'),
    );
  });

  it('changes the root when the same balances sit with another customer or salt', () => {
    const root = (leaves: LiabilityLeaf[]) => {
      const built = buildLiabilityTree({ auditId: AUDIT_ID, assets: ASSETS, leaves });
      return built.ok ? Buffer.from(built.tree.root).toString('hex') : null;
    };
    const base = root([leaf('alice', [1n, 2n])]);
    expect(root([leaf('alicf', [1n, 2n])])).not.toBe(base);
    expect(root([{ ...leaf('alice', [1n, 2n]), salt: fixtureBytes('other', 32) }])).not.toBe(base);
  });

  it.each([
    ['liability_balance_negative', [leaf('alice', [-1n, 0n])]],
    ['liability_balance_too_large', [leaf('alice', [LEAF_AMOUNT_MAX_MINOR + 1n, 0n])]],
    ['liability_balance_count_mismatch', [leaf('alice', [1n])]],
    ['liability_customer_duplicate', [leaf('alice', [1n, 0n]), leaf('alice', [2n, 0n])]],
    ['liability_customer_id_invalid', [leaf('al ice', [1n, 0n])]],
  ] as const)('refuses %s', (code, leaves) => {
    const built = buildLiabilityTree({ auditId: AUDIT_ID, assets: ASSETS, leaves });
    expect(built.ok ? null : built.error.code).toBe(code);
  });

  it('refuses more leaves than a height-32 tree holds with liability_tree_full', () => {
    // Only the count is read before refusing, so an array-like of that length stands in for 2^32 + 1 leaves.
    const leaves = { length: 2 ** TREE_HEIGHT + 1 } as unknown as LiabilityLeaf[];
    const built = buildLiabilityTree({ auditId: AUDIT_ID, assets: ASSETS, leaves });
    expect(built.ok ? null : built.error.code).toBe('liability_tree_full');
  });

  it('accepts the largest allowed balance', () => {
    const built = buildLiabilityTree({
      auditId: AUDIT_ID,
      assets: ASSETS,
      leaves: [leaf('alice', [LEAF_AMOUNT_MAX_MINOR, 0n]), leaf('bob', [LEAF_AMOUNT_MAX_MINOR, 1n])],
    });
    expect(built.ok).toBe(true);
  });

  it.each([
    ['no assets', []],
    ['unsorted assets', [ASSETS[1]!, ASSETS[0]!]],
    ['a duplicate asset', [ASSETS[0]!, ASSETS[0]!]],
    ['a bad scale', [{ code: 'BTC', scale: 40 }]],
  ])('refuses %s with liability_assets_invalid', (_name, assets) => {
    const built = buildLiabilityTree({ auditId: AUDIT_ID, assets, leaves: [] });
    expect(built.ok ? null : built.error.code).toBe('liability_assets_invalid');
  });
});
