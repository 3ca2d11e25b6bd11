// Proves on the local chain (a guarded Safe vault and a test token) and on both stores that confirmed ERC-20
// deposits become ledger credits to the right customer exactly once — across repeated and concurrent polls, a
// fresh crediting process and a service restart — that confirmations and reorgs are respected, that a chain
// outage loses and doubles nothing, and that deposits nobody can be credited for stay listed for an operator.

import type { Address, PrivateKeyAccount } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChainReorgTooDeepError,
  ChainUnreachableError,
  createCustodyVault,
  deploySafeInfrastructure,
  deployTestToken,
  type LocalChain,
  mintTestToken,
  type SafeInfrastructure,
  startLocalChain,
  transferToken,
} from '../../src/chain/index.ts';
import { checkInvariants } from '../../src/core/ledger/invariants.ts';
import type { Command } from '../../src/core/ledger/types.ts';
import { DepositAttribution } from '../../src/service/custody/deposit-attribution.ts';
import {
  type DepositCreditingConfig,
  depositReference,
  openDepositCrediting,
} from '../../src/service/custody/deposit-crediting.ts';
import { LedgerService } from '../../src/service/ledger-service.ts';
import {
  claimAccountCommand,
  custodyAccountCommand,
  DEPOSIT_ASSET,
  depositAccounts,
  depositBookCommands,
  depositVaultInput,
} from '../support/deposit-book.ts';
import { locationOfTestStore, openTestStore, openTestStoreAt, STORE_KINDS } from '../support/stores.ts';

const CONFIRMATIONS = 3;
const VAULT_ID = 'vault:spot:safe';
const INDIVIDUAL_VAULT_ID = 'vault:spot:carol';

let chain: LocalChain;
let infrastructure: SafeInfrastructure;
let token: Address;
let deployer: PrivateKeyAccount;
let platform: PrivateKeyAccount;
let trustee: PrivateKeyAccount;
let recovery: PrivateKeyAccount;
let alice: PrivateKeyAccount;
let bob: PrivateKeyAccount;
let stranger: PrivateKeyAccount;

beforeAll(async () => {
  chain = await startLocalChain({ accountCount: 12 });
  const account = (index: number): PrivateKeyAccount => {
    const found = chain.accounts[index];
    if (found === undefined) throw new Error(`no local account ${index}`);
    return found;
  };
  [deployer, platform, trustee, recovery] = [account(0), account(1), account(2), account(3)];
  [alice, bob, stranger] = [account(5), account(6), account(7)];
  const writer = { publicClient: chain.publicClient, walletClient: chain.walletClient(deployer) };
  infrastructure = await deploySafeInfrastructure(writer);
  token = await deployTestToken(writer, { name: 'Test USD', symbol: 'TUSD', decimals: 6 });
  for (const holder of [alice, bob, stranger])
    await mintTestToken(writer, { token, to: holder.address, amountMinor: 10n ** 12n });
});

afterAll(async () => {
  await chain?.stop();
});

async function send(from: PrivateKeyAccount, to: Address, amountMinor: bigint): Promise<void> {
  await transferToken(
    { publicClient: chain.publicClient, walletClient: chain.walletClient(from) },
    { token, to, amountMinor },
  );
}

describe.each(STORE_KINDS)('deposit crediting on %s', (kind) => {
  let service: LedgerService;
  let vaultAddress: Address;
  let individualVaultAddress: Address;
  let config: DepositCreditingConfig;
  let attribution: DepositAttribution;

  beforeAll(async () => {
    const writer = { publicClient: chain.publicClient, walletClient: chain.walletClient(deployer) };
    const startBlock = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
    const index = STORE_KINDS.indexOf(kind);
    const vault = await createCustodyVault(writer, {
      infrastructure,
      owners: { platform: platform.address, trustee: trustee.address, custodianRecovery: recovery.address },
      allowlist: [chain.accounts[4]!.address],
      guardInstallSigners: [platform, trustee],
      saltNonce: BigInt(index + 1),
    });
    vaultAddress = vault.safeAddress;
    // Carol's individual vault is a plain address: the watcher only needs Transfer events into it.
    individualVaultAddress = chain.accounts[10 + index]!.address;
    service = await LedgerService.open(await openTestStore(kind));
    const commands: Command[] = [
      ...depositBookCommands({
        chainId: chain.chain.id,
        vaultId: VAULT_ID,
        vaultAddress,
        token,
        customers: ['alice', 'bob', 'carol'],
      }),
      { type: 'create_customer', id: 'dave', name: 'DAVE' },
      {
        type: 'register_vault',
        vault: depositVaultInput(
          {
            chainId: chain.chain.id,
            vaultId: INDIVIDUAL_VAULT_ID,
            vaultAddress: individualVaultAddress,
            token,
          },
          { kind: 'customer_individual', customerId: 'carol' },
        ),
      },
      custodyAccountCommand(INDIVIDUAL_VAULT_ID),
    ];
    expectAllOk(await service.submit(commands));
    const built = DepositAttribution.build([
      { vault: vaultAddress, sender: alice.address, customerId: 'alice' },
      { vault: vaultAddress, sender: bob.address, customerId: 'bob' },
    ]);
    if (!built.ok) throw new Error(built.error.message);
    attribution = built.attribution;
    config = {
      chainId: chain.chain.id,
      vaultIds: [VAULT_ID, INDIVIDUAL_VAULT_ID],
      confirmations: CONFIRMATIONS,
      startBlock,
      batchBlocks: 16n,
    };
  });

  afterAll(async () => {
    await service?.close();
  });

  async function open(over: Partial<DepositCreditingConfig> = {}) {
    const opened = await openDepositCrediting({
      ledger: service,
      publicClient: chain.publicClient,
      attribution,
      config: { ...config, ...over },
    });
    if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message}`);
    return opened.crediting;
  }

  async function balances() {
    return service.read((engine) => {
      const posted = (id: string) => {
        const account = engine.getAccount(id);
        if (account === undefined) throw new Error(`no account ${id}`);
        return account.creditsPostedMinor - account.debitsPostedMinor;
      };
      return {
        alice: posted(depositAccounts.claim('alice')),
        bob: posted(depositAccounts.claim('bob')),
        carol: posted(depositAccounts.claim('carol')),
        // Custody is debit-normal: coins in the vault.
        custody: -posted(depositAccounts.custody(VAULT_ID)),
        individualCustody: -posted(depositAccounts.custody(INDIVIDUAL_VAULT_ID)),
      };
    });
  }

  async function expectSoundBooks(): Promise<void> {
    expect(checkInvariants(await service.read((engine) => engine.listAccounts()))).toEqual([]);
  }

  it('credits each deposit to the right customer exactly once: twice over the same range, concurrently, after a restart', async () => {
    const crediting = await open();
    await send(alice, vaultAddress, 1_000n);
    await send(bob, vaultAddress, 2_000n);
    await send(alice, vaultAddress, 500n);
    await send(stranger, individualVaultAddress, 70n);
    await chain.mine(CONFIRMATIONS);

    const first = await crediting.poll();
    expect(first.credited.map((c) => [c.customerId, c.deposit.amountMinor])).toEqual([
      ['alice', 1_000n],
      ['bob', 2_000n],
      ['alice', 500n],
      ['carol', 70n],
    ]);
    const [credit] = first.credited;
    expect(credit).toMatchObject({
      asset: DEPOSIT_ASSET,
      custodyAccountId: depositAccounts.custody(VAULT_ID),
      claimAccountId: depositAccounts.claim('alice'),
    });
    const transfer = await service.read((engine) => engine.getTransfer(credit!.deposit.transferId));
    expect(transfer?.entry).toMatchObject({
      type: 'transfer',
      kind: 'deposit',
      reference: `${chain.chain.id}:${credit!.deposit.transactionHash}:${credit!.deposit.logIndex}`,
    });
    expect(depositReference(credit!.deposit)).toBe(
      `${chain.chain.id}:${credit!.deposit.transactionHash}:${credit!.deposit.logIndex}`,
    );
    const expected = { alice: 1_500n, bob: 2_000n, carol: 70n, custody: 3_500n, individualCustody: 70n };
    expect(await balances()).toEqual(expected);

    // The same process again: its cursor moved past the range.
    expect((await crediting.poll()).credited).toEqual([]);
    // Two fresh processes over the same range at once: every deposit is already in the ledger.
    const [again, concurrent] = await Promise.all([(await open()).poll(), (await open()).poll()]);
    expect([again.credited, concurrent.credited]).toEqual([[], []]);
    expect(again.alreadyCredited).toBe(4);
    expect(await balances()).toEqual(expected);

    // A restart: a fresh service on the same store, a fresh process rescanning from the start block.
    const where = locationOfTestStore(service.store);
    await service.close();
    service = await LedgerService.open(await openTestStoreAt(where));
    const startedMs = performance.now();
    const rescan = await (await open()).poll();
    const rescanMs = performance.now() - startedMs;
    expect(rescan.credited).toEqual([]);
    expect(rescan.alreadyCredited).toBe(4);
    expect(rescanMs).toBeLessThan(5_000);
    expect(await balances()).toEqual(expected);
    await expectSoundBooks();
  });

  it('credits a deposit only once it has N confirmations', async () => {
    const crediting = await open();
    await crediting.poll();
    const before = await balances();
    await send(bob, vaultAddress, 42n);
    expect((await crediting.poll()).credited).toEqual([]);
    await chain.mine(CONFIRMATIONS - 2);
    expect((await crediting.poll()).credited).toEqual([]);
    expect(await balances()).toEqual(before);
    await chain.mine(1);
    const report = await crediting.poll();
    expect(report.credited.map((c) => [c.customerId, c.deposit.amountMinor])).toEqual([['bob', 42n]]);
    expect(await balances()).toEqual({ ...before, bob: before.bob + 42n, custody: before.custody + 42n });
    await expectSoundBooks();
  });

  it('credits nothing for a deposit that a reorg removed before it was confirmed', async () => {
    const crediting = await open();
    await chain.mine(CONFIRMATIONS);
    await crediting.poll();
    const before = await balances();
    const snapshot = await chain.snapshot();
    await send(alice, vaultAddress, 9_999n);
    await chain.mine(CONFIRMATIONS - 2);
    expect((await crediting.poll()).credited).toEqual([]);

    await chain.revert(snapshot);
    await chain.mine(CONFIRMATIONS + 2);
    const after = await crediting.poll();
    expect(after.credited).toEqual([]);
    expect(await balances()).toEqual(before);
    // A fresh process rescanning everything finds nothing new either.
    expect((await (await open()).poll()).credited).toEqual([]);
    expect(await balances()).toEqual(before);
    await expectSoundBooks();
  });

  it('stops with the watcher error after a reorg deeper than the confirmations, crediting nothing more', async () => {
    const crediting = await open();
    await crediting.poll();
    const before = await balances();
    const snapshot = await chain.snapshot();
    await chain.mine(CONFIRMATIONS + 2);
    await crediting.poll();
    await chain.revert(snapshot);
    await send(alice, vaultAddress, 31n);
    await chain.mine(CONFIRMATIONS + 4);
    await expect(crediting.poll()).rejects.toBeInstanceOf(ChainReorgTooDeepError);
    // It stays stopped: a human must look before anything else is credited.
    await expect(crediting.poll()).rejects.toBeInstanceOf(ChainReorgTooDeepError);
    const controller = new AbortController();
    await expect(crediting.run({ intervalMs: 1, signal: controller.signal })).rejects.toBeInstanceOf(
      ChainReorgTooDeepError,
    );
    expect(await balances()).toEqual(before);
    // Once a human has looked, a fresh process on the chain as it now is credits the new branch's deposit.
    const restarted = await (await open()).poll();
    expect(restarted.credited.map((c) => [c.customerId, c.deposit.amountMinor])).toEqual([['alice', 31n]]);
    await expectSoundBooks();
  });

  it('loses nothing and credits nothing twice while the chain is down, then catches up', async () => {
    const crediting = await open();
    await crediting.poll();
    const before = await balances();
    const cursor = crediting.cursor;
    await send(bob, vaultAddress, 4_242n);
    await chain.mine(CONFIRMATIONS);

    chain.setOffline(true);
    try {
      await expect(crediting.poll()).rejects.toBeInstanceOf(ChainUnreachableError);
      expect(crediting.cursor).toEqual(cursor);
      expect(await balances()).toEqual(before);
    } finally {
      chain.setOffline(false);
    }
    const recovered = await crediting.poll();
    expect(recovered.credited.map((c) => [c.customerId, c.deposit.amountMinor])).toEqual([['bob', 4_242n]]);

    // The loop waits out an outage, reports each failure, and credits the next deposit once.
    await send(alice, vaultAddress, 808n);
    await chain.mine(CONFIRMATIONS);
    chain.setOffline(true);
    const failures: string[] = [];
    const credited: string[] = [];
    const controller = new AbortController();
    const running = crediting.run({
      intervalMs: 2,
      signal: controller.signal,
      onChainError: (error) => {
        failures.push(error.name);
        if (failures.length === 2) chain.setOffline(false);
      },
      onReport: (report) => {
        for (const c of report.credited) credited.push(`${c.customerId}:${c.deposit.amountMinor}`);
      },
    });
    await expect.poll(() => credited).toEqual(['alice:808']);
    controller.abort();
    await running;
    expect(failures).toEqual(['ChainUnreachableError', 'ChainUnreachableError']);
    expect(await balances()).toEqual({
      ...before,
      alice: before.alice + 808n,
      bob: before.bob + 4_242n,
      custody: before.custody + 808n + 4_242n,
    });
    await expectSoundBooks();
  });

  it('lists a deposit nobody can be credited for, credits it to no one, and keeps it listed until resolved', async () => {
    const crediting = await open();
    await crediting.poll();
    const before = await balances();
    await send(stranger, vaultAddress, 777n);
    await chain.mine(CONFIRMATIONS);

    const report = await crediting.poll();
    expect(report.credited).toEqual([]);
    expect(report.unattributed.map((u) => [u.reason, u.deposit.amountMinor])).toEqual([
      ['sender_unregistered', 777n],
    ]);
    expect(await balances()).toEqual(before);
    // Still listed on the next poll (not reported as new), and after a restart that rescans the chain.
    expect((await crediting.poll()).unattributed).toEqual([]);
    expect(crediting.listUnattributed().map((u) => u.deposit.amountMinor)).toEqual([777n]);
    const fresh = await open();
    await fresh.poll();
    expect(fresh.listUnattributed().map((u) => [u.reason, u.deposit.amountMinor])).toEqual([
      ['sender_unregistered', 777n],
    ]);
    expect(await balances()).toEqual(before);

    // Resolved by an operator's assignment: credited once, on the next poll.
    const [pending] = fresh.listUnattributed();
    expect(fresh.assign(`${'f'.repeat(32)}`, 'bob')).toMatchObject({
      ok: false,
      error: { code: 'deposit_not_unattributed' },
    });
    expect(fresh.assign(pending!.deposit.transferId, 'bob')).toEqual({ ok: true });
    const resolved = await fresh.poll();
    expect(resolved.credited.map((c) => [c.customerId, c.deposit.amountMinor])).toEqual([['bob', 777n]]);
    expect(fresh.listUnattributed()).toEqual([]);
    // The first process, still holding it as unattributed, finds it credited and drops it.
    const stale = await crediting.poll();
    expect(stale.credited).toEqual([]);
    expect(crediting.listUnattributed()).toEqual([]);
    expect(await balances()).toEqual({ ...before, bob: before.bob + 777n, custody: before.custody + 777n });
    await expectSoundBooks();
  });

  it('credits a sender registered after its deposit, and waits for a missing claim account', async () => {
    const crediting = await open();
    await crediting.poll();
    const before = await balances();
    const daveKey = chain.accounts[8]!;
    await mintTestToken(
      { publicClient: chain.publicClient, walletClient: chain.walletClient(deployer) },
      { token, to: daveKey.address, amountMinor: 1_000n },
    );
    await send(daveKey, vaultAddress, 55n);
    await chain.mine(CONFIRMATIONS);
    expect((await crediting.poll()).unattributed.map((u) => u.reason)).toEqual(['sender_unregistered']);

    expect(
      attribution.register({ vault: vaultAddress, sender: daveKey.address, customerId: 'dave' }),
    ).toEqual({
      ok: true,
      duplicate: false,
    });
    // Dave exists but has no claim account of the vault's class yet.
    await crediting.poll();
    expect(crediting.listUnattributed().map((u) => [u.reason, u.customerId])).toEqual([
      ['claim_account_missing', 'dave'],
    ]);
    expect(await balances()).toEqual(before);

    expectAllOk(await service.submit([claimAccountCommand('dave')]));
    const report = await crediting.poll();
    expect(report.credited.map((c) => [c.customerId, c.claimAccountId, c.deposit.amountMinor])).toEqual([
      ['dave', depositAccounts.claim('dave'), 55n],
    ]);
    expect(crediting.listUnattributed()).toEqual([]);
    await expectSoundBooks();
  });

  it('refuses a configuration it cannot credit correctly, with a code', async () => {
    const chainId = chain.chain.id;
    const other = (n: number) => `0x${n.toString(16).padStart(40, '7')}`;
    const vault = (id: string, n: number, overrides = {}) =>
      ({
        type: 'register_vault',
        vault: depositVaultInput({ chainId, vaultId: id, vaultAddress: other(n), token }, overrides),
      }) as const;
    expectAllOk(
      await service.submit([
        { type: 'register_asset', code: 'TUSD8', scale: 8 },
        vault('vault:scale', 1, { assets: [{ asset: 'TUSD8', token }] }),
        {
          type: 'open_account',
          id: 'seg:vault:scale:TUSD8',
          owner: { type: 'house' },
          asset: 'TUSD8',
          segregationClass: 'segregated_custody',
          accountClass: 'spot',
          vaultId: 'vault:scale',
        },
        vault('vault:no-account', 2),
        vault('vault:native', 3, { assets: [{ asset: 'TUSD', token: 'native' }] }),
        vault('vault:other-chain', 4, { chainId: 1 }),
        vault('vault:house', 5, { kind: 'house', accountClass: null, acknowledgment: null }),
        vault('vault:unknown-asset', 6, { assets: [{ asset: 'NOPE', token }] }),
      ]),
    );
    const cases: [Partial<DepositCreditingConfig>, string][] = [
      [{ chainId: 1 }, 'deposit_chain_mismatch'],
      [{ vaultIds: [] }, 'deposit_vaults_invalid'],
      [{ vaultIds: [VAULT_ID, VAULT_ID] }, 'deposit_vaults_invalid'],
      [{ vaultIds: ['vault:missing'] }, 'deposit_vault_unknown'],
      [{ vaultIds: ['vault:other-chain'] }, 'deposit_vault_chain_mismatch'],
      [{ vaultIds: ['vault:house'] }, 'deposit_vault_not_customer'],
      [{ vaultIds: ['vault:unknown-asset'] }, 'deposit_asset_unknown'],
      [{ vaultIds: ['vault:no-account'] }, 'deposit_custody_account_missing'],
      [{ vaultIds: ['vault:scale'] }, 'deposit_asset_scale_mismatch'],
      [{ vaultIds: ['vault:native'] }, 'deposit_tokens_none'],
    ];
    const headBefore = await service.read((engine) => engine.headSeq);
    for (const [over, code] of cases) {
      const opened = await openDepositCrediting({
        ledger: service,
        publicClient: chain.publicClient,
        attribution,
        config: { ...config, ...over },
      });
      expect(opened.ok ? 'ok' : opened.error.code, JSON.stringify(over)).toBe(code);
    }
    expect(await service.read((engine) => engine.headSeq)).toBe(headBefore);
  });
});

function expectAllOk(results: readonly { ok: boolean }[]): void {
  expect(results.filter((result) => !result.ok)).toEqual([]);
}
