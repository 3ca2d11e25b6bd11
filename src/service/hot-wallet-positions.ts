// The ledger's side of the hot-wallet cap: per asset, the customer coins the ledger records in hot and in
// cold customer vaults (posted balances of the segregated custody accounts, by their vault's temperature)
// and the customer liabilities they back, as `planHotWalletRebalance` takes them.

import { assert } from '../core/assert.ts';
import type { HotWalletPosition } from '../core/custody/hot-wallet-cap.ts';
import { CUSTOMER_VAULT_KINDS } from '../core/custody/vault.ts';
import type { LedgerEngine } from '../core/ledger/engine.ts';
import { postedOf } from '../core/ledger/state.ts';

/**
 * One position per registered asset that some segregated custody account holds, in registry order.
 * Liabilities are the positive customer claims of the asset's customer pools (a deficit is never netted
 * against another customer's credit), so the cap never shrinks because one customer owes.
 */
export function hotWalletPositions(engine: LedgerEngine): HotWalletPosition[] {
  const temperatures = new Map(
    engine
      .listVaults()
      .filter((vault) => CUSTOMER_VAULT_KINDS.has(vault.kind))
      .map((vault) => [vault.id, vault.temperature] as const),
  );
  const balances = new Map<string, { hotMinor: bigint; coldMinor: bigint }>();
  for (const account of engine.listAccounts()) {
    if (account.segregationClass !== 'segregated_custody') continue;
    assert(account.vaultId !== null, 'every segregated custody account records its vault');
    const temperature = temperatures.get(account.vaultId);
    assert(temperature !== undefined, 'segregated custody accounts record customer vaults');
    const position = balances.get(account.asset) ?? { hotMinor: 0n, coldMinor: 0n };
    const posted = postedOf('custody', account.debitsPostedMinor, account.creditsPostedMinor);
    if (temperature === 'hot') position.hotMinor += posted;
    else position.coldMinor += posted;
    balances.set(account.asset, position);
  }
  const liabilities = new Map<string, bigint>();
  for (const pool of engine.listPools()) {
    if (pool.pool !== 'customer') continue;
    liabilities.set(pool.asset, (liabilities.get(pool.asset) ?? 0n) + pool.customerClaimsPositiveMinor);
  }
  return engine.listAssets().flatMap((asset) => {
    const position = balances.get(asset.code);
    if (position === undefined) return [];
    return [
      {
        asset: asset.code,
        customerLiabilitiesMinor: liabilities.get(asset.code) ?? 0n,
        hotMinor: position.hotMinor,
        coldMinor: position.coldMinor,
      },
    ];
  });
}
