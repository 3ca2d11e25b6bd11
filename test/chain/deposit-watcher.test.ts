// Proves on a real EVM that the deposit watcher reports each ERC-20 deposit into a vault once it has N
// confirmations, with an id that is the same on every scan (so a ledger that is idempotent by transfer id
// credits it exactly once across restarts), never credits a deposit a reorg removed before confirmation,
// refuses to continue past a reorg deeper than the confirmations, and survives the chain being down.

import type { Address, Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Deposit,
  type DepositBatch,
  type DepositCursor,
  type DepositWatcherConfig,
  depositTransferId,
  scanDeposits,
  watchDeposits,
} from '../../src/chain/deposit-watcher.ts';
import { deployTestToken, mintTestToken, transferToken } from '../../src/chain/erc20.ts';
import { ChainReorgTooDeepError, ChainUnreachableError } from '../../src/chain/errors.ts';
import { type LocalChain, startLocalChain } from '../../src/chain/local-chain.ts';
import type { ChainWriter } from '../../src/chain/transactions.ts';

const CONFIRMATIONS = 3;

/** Stands in for the ledger: credits by transfer id, ignoring an id it has seen (its idempotency rule). */
class CreditRecorder {
  readonly credited = new Map<string, Deposit>();
  emissions = 0;
  cursor: DepositCursor | null = null;

  readonly onBatch = async (batch: DepositBatch): Promise<void> => {
    for (const deposit of batch.deposits) {
      this.emissions++;
      if (!this.credited.has(deposit.transferId)) this.credited.set(deposit.transferId, deposit);
    }
    // Stored with the credits, as one commit would.
    this.cursor = batch.cursor;
  };
}

let chain: LocalChain;
let customer: ChainWriter;
let token: Address;
let vaultA: Address;
let vaultB: Address;
let notAVault: Address;
let config: DepositWatcherConfig;

beforeAll(async () => {
  chain = await startLocalChain();
  const [deployer, customerKey, a, b, other] = chain.accounts;
  const deployerWriter = { publicClient: chain.publicClient, walletClient: chain.walletClient(deployer!) };
  customer = { publicClient: chain.publicClient, walletClient: chain.walletClient(customerKey!) };
  token = await deployTestToken(deployerWriter, { name: 'Test USD', symbol: 'TUSD', decimals: 6 });
  await mintTestToken(deployerWriter, { token, to: customerKey!.address, amountMinor: 10n ** 12n });
  vaultA = a!.address;
  vaultB = b!.address;
  notAVault = other!.address;
  config = {
    chainId: chain.chain.id,
    tokens: [token],
    vaults: [vaultA, vaultB],
    confirmations: CONFIRMATIONS,
    startBlock: 0n,
    batchBlocks: 4n,
  };
});

afterAll(async () => {
  await chain?.stop();
});

async function deposit(to: Address, amountMinor: bigint): Promise<Hex> {
  const receipt = await transferToken(customer, { token, to, amountMinor });
  return receipt.transactionHash;
}

describe('deposit watcher', () => {
  it('reports a deposit only once it has N confirmations, with the id derived from chain, tx and log', async () => {
    const recorder = new CreditRecorder();
    await scanDeposits(chain.publicClient, config, null, recorder.onBatch);
    await deposit(notAVault, 5n);
    const hash = await deposit(vaultA, 1_000n);

    await scanDeposits(chain.publicClient, config, recorder.cursor, recorder.onBatch);
    expect(recorder.credited.size).toBe(0);
    await chain.mine(CONFIRMATIONS - 2);
    await scanDeposits(chain.publicClient, config, recorder.cursor, recorder.onBatch);
    expect(recorder.credited.size).toBe(0);
    await chain.mine(1);
    await scanDeposits(chain.publicClient, config, recorder.cursor, recorder.onBatch);

    expect(recorder.credited.size).toBe(1);
    const [credited] = [...recorder.credited.values()];
    expect(credited).toMatchObject({ vault: vaultA, token, amountMinor: 1_000n, transactionHash: hash });
    expect(credited!.transferId).toMatch(/^[0-9a-f]{32}$/);
    expect(credited!.transferId).toBe(depositTransferId(chain.chain.id, hash, credited!.logIndex));
  });

  it('credits exactly once when the watcher runs twice over the same range or restarts from its cursor', async () => {
    await deposit(vaultA, 7n);
    await deposit(vaultB, 8n);
    await chain.mine(CONFIRMATIONS);
    const recorder = new CreditRecorder();
    await scanDeposits(chain.publicClient, config, null, recorder.onBatch);
    const firstIds = [...recorder.credited.keys()];
    expect(firstIds.length).toBeGreaterThanOrEqual(3);

    // A restart that lost its cursor re-reads everything: same ids, so nothing is credited twice.
    await scanDeposits(chain.publicClient, config, null, recorder.onBatch);
    expect([...recorder.credited.keys()]).toEqual(firstIds);
    expect(recorder.emissions).toBe(firstIds.length * 2);

    // A restart from the stored cursor re-reads nothing.
    const result = await scanDeposits(chain.publicClient, config, recorder.cursor, recorder.onBatch);
    expect(result.depositCount).toBe(0);
    expect(recorder.emissions).toBe(firstIds.length * 2);
  });

  it('never credits a deposit that a reorg removed before it was confirmed', async () => {
    const recorder = new CreditRecorder();
    await chain.mine(CONFIRMATIONS);
    await scanDeposits(chain.publicClient, config, null, recorder.onBatch);
    const before = recorder.credited.size;
    const snapshot = await chain.snapshot();
    const orphanHash = await deposit(vaultB, 999n);
    await chain.mine(CONFIRMATIONS - 2);
    await scanDeposits(chain.publicClient, config, recorder.cursor, recorder.onBatch);
    expect(recorder.credited.size).toBe(before);

    // The reorg: the deposit's block is replaced by empty blocks that go on to be confirmed.
    await chain.revert(snapshot);
    await chain.mine(CONFIRMATIONS + 2);
    await scanDeposits(chain.publicClient, config, recorder.cursor, recorder.onBatch);
    expect(recorder.credited.size).toBe(before);
    expect([...recorder.credited.values()].some((d) => d.transactionHash === orphanHash)).toBe(false);
  });

  it('stops with ChainReorgTooDeepError when a block it treated as final is replaced', async () => {
    const recorder = new CreditRecorder();
    const snapshot = await chain.snapshot();
    await chain.mine(CONFIRMATIONS + 2);
    await scanDeposits(chain.publicClient, config, null, recorder.onBatch);
    await chain.revert(snapshot);
    // Different contents make different blocks (identical empty blocks would hash the same).
    await deposit(notAVault, 1n);
    await chain.mine(CONFIRMATIONS + 4);
    await expect(
      scanDeposits(chain.publicClient, config, recorder.cursor, recorder.onBatch),
    ).rejects.toBeInstanceOf(ChainReorgTooDeepError);
  });

  it('loses nothing and credits nothing twice while the chain is down, then catches up', async () => {
    const recorder = new CreditRecorder();
    await scanDeposits(chain.publicClient, config, null, recorder.onBatch);
    const cursorBefore = recorder.cursor;
    const hash = await deposit(vaultA, 4_242n);
    await chain.mine(CONFIRMATIONS);

    chain.setOffline(true);
    await expect(
      scanDeposits(chain.publicClient, config, recorder.cursor, recorder.onBatch),
    ).rejects.toBeInstanceOf(ChainUnreachableError);
    expect(recorder.cursor).toEqual(cursorBefore);
    chain.setOffline(false);

    await scanDeposits(chain.publicClient, config, recorder.cursor, recorder.onBatch);
    const matching = [...recorder.credited.values()].filter((d) => d.transactionHash === hash);
    expect(matching).toHaveLength(1);
  });

  it('keeps watching through an outage: reports the failure, retries, then credits the deposit once', async () => {
    const recorder = new CreditRecorder();
    await scanDeposits(chain.publicClient, config, null, recorder.onBatch);
    const hash = await deposit(vaultB, 31_337n);
    await chain.mine(CONFIRMATIONS);
    chain.setOffline(true);
    const controller = new AbortController();
    const failures: string[] = [];
    const watching = watchDeposits({
      publicClient: chain.publicClient,
      config,
      cursor: recorder.cursor,
      onBatch: recorder.onBatch,
      intervalMs: 5,
      signal: controller.signal,
      onChainError: (error) => {
        failures.push(error.name);
        if (failures.length === 3) chain.setOffline(false);
      },
    });
    await expect
      .poll(() => [...recorder.credited.values()].some((d) => d.transactionHash === hash))
      .toBe(true);
    controller.abort();
    const finalCursor = await watching;
    expect(failures).toEqual(['ChainUnreachableError', 'ChainUnreachableError', 'ChainUnreachableError']);
    expect([...recorder.credited.values()].filter((d) => d.transactionHash === hash)).toHaveLength(1);
    expect(finalCursor).toEqual(recorder.cursor);
  });
});
