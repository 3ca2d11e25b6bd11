// Proves that the chain adapter reads every vault's native and ERC-20 balance at one pinned block (a
// consistent snapshot for reconciliation, also for a past block) and reports a chain that is down as
// ChainUnreachableError; and who controls a vault (a Safe's owners and threshold, or a plain account alone) at a
// block, for proof of reserves.

import type { Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChainAdapter, type VaultAsset } from '../../src/chain/chain-adapter.ts';
import { deployTestToken, mintTestToken } from '../../src/chain/erc20.ts';
import { ChainUnreachableError } from '../../src/chain/errors.ts';
import { LOCAL_ACCOUNT_BALANCE_WEI, type LocalChain, startLocalChain } from '../../src/chain/local-chain.ts';
import { createSafe, deploySafeInfrastructure } from '../../src/chain/safe.ts';
import type { ChainWriter } from '../../src/chain/transactions.ts';

let chain: LocalChain;
let writer: ChainWriter;
let token: Address;
let vaults: Address[];
let assets: VaultAsset[];

beforeAll(async () => {
  chain = await startLocalChain();
  writer = { publicClient: chain.publicClient, walletClient: chain.walletClient(chain.accounts[0]!) };
  token = await deployTestToken(writer, { name: 'Test USD', symbol: 'TUSD', decimals: 6 });
  vaults = [chain.accounts[1]!.address, chain.accounts[2]!.address];
  assets = [
    { kind: 'native', assetId: 'ETH' },
    { kind: 'erc20', assetId: 'USDC', token },
  ];
  await mintTestToken(writer, { token, to: vaults[0]!, amountMinor: 123_456n });
});

afterAll(async () => {
  await chain?.stop();
});

describe('chain adapter', () => {
  it('reads native and ERC-20 balances of every vault at one block', async () => {
    const adapter = createChainAdapter(chain.publicClient);
    const snapshot = await adapter.readVaultBalances({ vaults, assets });
    expect(snapshot.blockNumber).toBe(await adapter.readHeadBlockNumber());
    expect(snapshot.chainId).toBe(chain.chain.id);
    expect(snapshot.balances).toEqual([
      { vault: vaults[0], assetId: 'ETH', balanceMinor: LOCAL_ACCOUNT_BALANCE_WEI },
      { vault: vaults[0], assetId: 'USDC', balanceMinor: 123_456n },
      { vault: vaults[1], assetId: 'ETH', balanceMinor: LOCAL_ACCOUNT_BALANCE_WEI },
      { vault: vaults[1], assetId: 'USDC', balanceMinor: 0n },
    ]);

    // A later mint does not change what a read pinned to the earlier block sees.
    await mintTestToken(writer, { token, to: vaults[1]!, amountMinor: 1n });
    const pinned = await adapter.readVaultBalances({ vaults, assets, blockNumber: snapshot.blockNumber });
    expect(pinned).toEqual(snapshot);
    const latest = await adapter.readVaultBalances({ vaults, assets });
    expect(latest.balances[3]!.balanceMinor).toBe(1n);
  });

  it('reports a chain that is down as ChainUnreachableError, then reads again once it is back', async () => {
    const adapter = createChainAdapter(chain.publicClient);
    chain.setOffline(true);
    try {
      await expect(adapter.readVaultBalances({ vaults, assets })).rejects.toBeInstanceOf(
        ChainUnreachableError,
      );
      await expect(adapter.readHeadBlockNumber()).rejects.toMatchObject({
        name: 'ChainUnreachableError',
        cause: expect.objectContaining({ name: 'HttpRequestError' }),
      });
    } finally {
      chain.setOffline(false);
    }
    expect((await adapter.readVaultBalances({ vaults, assets })).balances).toHaveLength(4);
  });

  it("reads a Safe's owners and threshold, and a plain account as its own single owner", async () => {
    const adapter = createChainAdapter(chain.publicClient);
    const infrastructure = await deploySafeInfrastructure(writer);
    const owners = [chain.accounts[3]!.address, chain.accounts[4]!.address, chain.accounts[5]!.address];
    const safe = await createSafe(writer, { infrastructure, owners, threshold: 2, saltNonce: 77n });
    const block = await adapter.readHeadBlockNumber();
    const control = await adapter.readVaultControl(safe, block);
    expect(control.kind).toBe('safe');
    expect(control.threshold).toBe(2);
    expect([...control.owners].sort()).toEqual(owners.map((owner) => owner.toLowerCase()).sort());
    const account = await adapter.readVaultControl(vaults[0]!, block);
    expect(account).toEqual({ kind: 'account', owners: [vaults[0]!.toLowerCase()], threshold: 1 });
  });
});
