// What one audit commits to, read from the books at one journal position: each customer's balance per
// asset (Σ over account classes of max(0, net claim), so a deficit in one class never nets against another),
// the deficits reported beside the tree, and the salts and leaf positions derived from the audit's secret.

import { createCipheriv } from 'node:crypto';
import { assert } from '../../core/assert.ts';
import type { LedgerEngine } from '../../core/ledger/engine.ts';
import type { LiabilityLeaf } from '../../core/reserves/liability-tree.ts';
import { SALT_BYTES, type TreeAsset } from '../../core/reserves/tree-format.ts';
import { compareText } from '../../core/segregation/statement.ts';

/** Customer balances per asset, read from the books at one position. */
export interface AuditBooks {
  readonly seq: number;
  readonly headHash: string;
  readonly assets: readonly TreeAsset[];
  /** Customers in id order, each with one balance per asset (≥ 0). */
  readonly customers: readonly { readonly customerId: string; readonly balancesMinor: bigint[] }[];
  /** Σ of customer deficits per asset. */
  readonly deficitsMinor: readonly bigint[];
}

/** The part of the ledger engine an audit reads. */
export type AuditedLedger = Pick<LedgerEngine, 'listAssets' | 'iterateAccounts' | 'headSeq' | 'headHash'>;

/** Reads the balances a liability tree commits to: every customer with a customer collateral account. */
export function readAuditBooks(engine: AuditedLedger): AuditBooks {
  const assets = engine
    .listAssets()
    .map((asset) => ({ code: asset.code, scale: asset.scale }))
    .sort((a, b) => compareText(a.code, b.code));
  const assetIndex = new Map(assets.map((asset, index) => [asset.code, index]));
  // Net claim per customer, per "asset index / account class": offsets only within one customer and class.
  const nets = new Map<string, Map<string, bigint>>();
  for (const account of engine.iterateAccounts()) {
    if (account.segregationClass !== 'customer_collateral' || account.owner.type !== 'customer') continue;
    const key = `${assetIndex.get(account.asset)}/${account.accountClass}`;
    let perCustomer = nets.get(account.owner.customerId);
    if (perCustomer === undefined) {
      perCustomer = new Map();
      nets.set(account.owner.customerId, perCustomer);
    }
    const net = account.creditsPostedMinor - account.debitsPostedMinor;
    perCustomer.set(key, (perCustomer.get(key) ?? 0n) + net);
  }
  const deficitsMinor = assets.map(() => 0n);
  const customers = [...nets.keys()].sort(compareText).map((customerId) => {
    const balancesMinor = assets.map(() => 0n);
    for (const [key, net] of nets.get(customerId)!) {
      const index = Number(key.slice(0, key.indexOf('/')));
      // CFTC 1.32 / CASS 7.16: a deficit is never netted against what others (or other classes) are owed.
      if (net > 0n) balancesMinor[index]! += net;
      else deficitsMinor[index]! -= net;
    }
    return { customerId, balancesMinor };
  });
  return { seq: engine.headSeq, headHash: engine.headHash, assets, customers, deficitsMinor };
}

/**
 * The leaves in position order: customer i (in id order) gets the i-th 32 bytes of the AES-256-CTR keystream
 * of the audit secret as its salt, and positions are a Fisher–Yates shuffle drawn from the keystream after
 * the salts. The same secret and books always give the same tree, so it can be rebuilt after a restart.
 */
export function auditLeaves(books: AuditBooks, secret: Uint8Array): LiabilityLeaf[] {
  assert(secret.length === 32, 'an audit secret has 32 bytes');
  const count = books.customers.length;
  const keystream = createCipheriv('aes-256-ctr', secret, new Uint8Array(16)).update(
    new Uint8Array(SALT_BYTES * count + 6 * count),
  );
  const order = Array.from({ length: count }, (_, index) => index);
  for (let index = count - 1; index >= 1; index -= 1) {
    const draw = keystream.readUIntBE(SALT_BYTES * count + 6 * index, 6);
    // floor(draw × (index + 1) / 2^48), exactly in bigint: a uniform 48-bit draw scaled to 0..index, rounded
    // down (bias below 2^-16 even at 2^32 customers).
    const other = Number((BigInt(draw) * BigInt(index + 1)) >> 48n);
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  return order.map((customerIndex) => {
    const customer = books.customers[customerIndex]!;
    return {
      customerId: customer.customerId,
      salt: keystream.subarray(SALT_BYTES * customerIndex, SALT_BYTES * (customerIndex + 1)),
      balancesMinor: customer.balancesMinor,
    };
  });
}
