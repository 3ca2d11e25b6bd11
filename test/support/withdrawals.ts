// Fixtures for withdrawal-service tests: a ledger on a fresh store with the standard book and a funded
// customer, the fixture parties' signer registry, a standard policy, SafeTx signers from test keys, a fake
// chain executor, and a snapshot of everything observable (books fingerprint and custody events).

import { privateKeyToAccount, sign } from 'viem/accounts';
import type { Policy } from '../../src/core/custody/policy.ts';
import type { Command } from '../../src/core/ledger/types.ts';
import { TrusteeCosigner } from '../../src/service/custody/trustee-cosigner.ts';
import type {
  SafeExecutionResult,
  SafeTxSigner,
  WithdrawalExecutor,
} from '../../src/service/custody/withdrawal-executor.ts';
import {
  type WithdrawalInstruction,
  WithdrawalService,
} from '../../src/service/custody/withdrawal-service.ts';
import { LedgerService } from '../../src/service/ledger-service.ts';
import type { LedgerStore } from '../../src/store/store.ts';
import { bookSetupCommands, booksFingerprint, deposit } from './book.ts';
import { PLATFORM_PARTY_ID, parties } from './custody-core.ts';

/** A SafeTx signer from a private key (viem signs; v 27/28). */
export function keySigner(privateKey: `0x${string}`): SafeTxSigner {
  return {
    address: privateKeyToAccount(privateKey).address.toLowerCase() as `0x${string}`,
    signHash: (hash) => sign({ hash, privateKey, to: 'hex' }),
  };
}

/** A chain stand-in: a Safe nonce per address, success unless `revertNext` names a rejection. */
export class FakeExecutor implements WithdrawalExecutor {
  readonly nonces = new Map<string, bigint>();
  readonly executed: { safeAddress: string; signatures: string }[] = [];
  revertNext: { code: string; reason: string } | null = null;

  async readSafeNonce(safeAddress: `0x${string}`): Promise<bigint> {
    return this.nonces.get(safeAddress) ?? 1n;
  }

  async execute(input: Parameters<WithdrawalExecutor['execute']>[0]): Promise<SafeExecutionResult> {
    const revert = this.revertNext;
    this.revertNext = null;
    if (revert !== null) return { ok: false, error: revert };
    this.executed.push({ safeAddress: input.safeAddress, signatures: input.signatures });
    this.nonces.set(input.safeAddress, input.transaction.nonce + 1n);
    return { ok: true, transactionHash: `0x${this.executed.length.toString(16).padStart(64, '0')}` };
  }
}

/** The vault of the standard book that withdrawals leave from. */
export const VAULT_ID = 'vault:derivatives';
/** An address the tests allowlist, and one they never do. */
export const ALLOWED_DESTINATION = '0x00000000000000000000000000000000000d0d0d';
export const OTHER_DESTINATION = '0x00000000000000000000000000000000000e0e0e';
/** Alice's USDC claim at the start of each test (1 000 USDC). */
export const ALICE_FUNDS_MINOR = 1_000_000_000n;
/** Requests at or above this amount are timelocked by `standardPolicy`. */
export const TIMELOCK_FROM_MINOR = 500_000_000n;
export const TIMELOCK_SECONDS = 3_600;

/** Customer + trustee approve; large amounts wait an hour; non-allowlisted destinations are denied. */
export function standardPolicy(overrides: Partial<Policy> = {}): Policy {
  const approverGroups = [
    { id: 'customer', threshold: 1, role: 'customer' },
    { id: 'trustee', threshold: 1, role: 'trustee' },
  ] as const;
  return {
    id: 'customer-withdrawals',
    rules: [
      {
        id: 'outside-allowlist',
        description: 'nothing leaves for an address that is not allowlisted',
        match: { destination: 'not_allowlisted' },
        action: { type: 'deny' },
      },
      {
        id: 'large-timelocked',
        description: 'large withdrawals wait an hour',
        match: { amountMinMinor: TIMELOCK_FROM_MINOR },
        action: { type: 'timelock', delaySeconds: TIMELOCK_SECONDS, approverGroups },
      },
      {
        id: 'allowlisted',
        description: 'customer and trustee approve withdrawals to allowlisted addresses',
        match: { destination: 'allowlisted' },
        action: { type: 'allow', approverGroups },
      },
    ],
    allowlist: { required: false, cooldownMs: 0 },
    amountLimits: [],
    velocityLimits: [],
    ...overrides,
  };
}

/** A running withdrawal setup over one store; `now` drives every clock. */
export interface WithdrawalHarness {
  readonly store: LedgerStore;
  readonly ledger: LedgerService;
  readonly service: WithdrawalService;
  readonly trustee: TrusteeCosigner;
  readonly executor: FakeExecutor;
  readonly clock: { now: number };
  instruction(overrides?: Partial<WithdrawalInstruction>): WithdrawalInstruction;
  snapshot(): Promise<string>;
  reopen(): Promise<WithdrawalService>;
  close(): Promise<void>;
}

let requestCounter = 0;
/** A fresh 32-byte request id. */
export function nextRequestId(): string {
  requestCounter += 1;
  return `0x${requestCounter.toString(16).padStart(8, '0')}${process.pid.toString(16).padStart(56, '0')}`;
}

/** Opens the ledger (book, alice funded), the service (signers, policy, allowlist) and the trustee on `store`. */
export async function openWithdrawalHarness(
  store: LedgerStore,
  options: { executor?: WithdrawalExecutor; extraCommands?: Command[] } = {},
): Promise<WithdrawalHarness> {
  const clock = { now: 1_800_000_000_000 };
  const ledger = await LedgerService.open(store, { clock: () => clock.now });
  const setup = await ledger.submit([
    ...bookSetupCommands(),
    deposit('alice', 'derivatives', 'USDC', ALICE_FUNDS_MINOR),
    ...(options.extraCommands ?? []),
  ]);
  if (!setup.every((result) => result.ok)) throw new Error('book setup refused');
  const executor = (options.executor ?? new FakeExecutor()) as FakeExecutor;
  const trustee = new TrusteeCosigner({
    store,
    ledger,
    signer: keySigner(parties.trustee.key),
    clock: () => clock.now,
  });
  const open = () =>
    WithdrawalService.open({
      ledger,
      executor,
      platformSigner: keySigner(parties.platform1.key),
      trustee,
      clock: () => clock.now,
    });
  const service = await open();
  const registered = await service.registerSigners(
    Object.values(parties).map((party) => party.input),
    PLATFORM_PARTY_ID,
  );
  if (!registered.ok) throw new Error(registered.error.code);
  const installed = await service.installPolicy(VAULT_ID, standardPolicy());
  if (!installed.ok) throw new Error(installed.error.code);
  await service.addAllowlistEntry(VAULT_ID, ALLOWED_DESTINATION);
  return {
    store,
    ledger,
    service,
    trustee,
    executor,
    clock,
    instruction: (overrides = {}) => ({
      requestId: nextRequestId(),
      customerId: 'alice',
      vaultId: VAULT_ID,
      asset: 'USDC',
      amountMinor: 100_000_000n,
      destination: ALLOWED_DESTINATION,
      expiresAtSeconds: BigInt(Math.floor(clock.now / 1000) + 7_200),
      nonce: null,
      ...overrides,
    }),
    snapshot: async () =>
      JSON.stringify({ books: await ledger.read(booksFingerprint), events: await store.readCustodyEvents() }),
    reopen: open,
    close: () => ledger.close(),
  };
}
