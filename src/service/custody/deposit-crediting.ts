// Turns confirmed on-chain ERC-20 deposits into ledger credits exactly once: the deposit watcher reports each
// confirmed Transfer into a watched vault with a deterministic id, this module attributes it to a customer
// and submits a `deposit` transfer with that id, and the ledger's id idempotency makes every repeat a no-op.
// Deposits it cannot attribute are kept listed for an operator, never credited to anyone.

import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChainError,
  ChainReorgTooDeepError,
  type Deposit,
  type DepositBatch,
  type DepositCursor,
  type DepositWatcherConfig,
  readTokenDecimals,
  scanDeposits,
} from '../../chain/index.ts';
import { assert } from '../../core/assert.ts';
import { type Address, parseAddress } from '../../core/custody/address.ts';
import { type Rejected, rejected } from '../../core/custody/rejection.ts';
import { CUSTOMER_VAULT_KINDS, type Vault } from '../../core/custody/vault.ts';
import type { LedgerEngine } from '../../core/ledger/engine.ts';
import { BATCH_COMMANDS_MAX } from '../../core/ledger/limits.ts';
import type { Rejection, TransferCommand } from '../../core/ledger/types.ts';
import type { LedgerService } from '../ledger-service.ts';
import type { DepositAttribution } from './deposit-attribution.ts';

/** Vaults one crediting process watches: an explicit bound (each is one `to` topic of every log request). */
export const DEPOSIT_VAULTS_MAX = 1_000;

/** Deposits kept listed as unattributed or rejected at once; beyond this the process stops (assertion). */
export const DEPOSITS_UNRESOLVED_MAX = 100_000;

/** The public client the deposit watcher reads through (viem, on the configured chain). */
export type DepositChainClient = Parameters<typeof scanDeposits>[0];

export interface DepositCreditingConfig {
  readonly chainId: number;
  /** Ledger ids of the registered customer vaults to watch. */
  readonly vaultIds: readonly string[];
  /** A deposit in block b is credited once the head is at least b + confirmations - 1. */
  readonly confirmations: number;
  /**
   * The block every start rescans from (the oldest watched vault's deployment block). Nothing is persisted:
   * a rescan re-derives the same transfer ids, which the ledger treats as duplicates.
   */
  readonly startBlock: bigint;
  /** Blocks per log request (the watcher's default when absent). */
  readonly batchBlocks?: bigint;
}

export interface OpenDepositCreditingInput {
  readonly ledger: LedgerService;
  readonly publicClient: DepositChainClient;
  readonly attribution: DepositAttribution;
  readonly config: DepositCreditingConfig;
}

/** The rejection codes of `openDepositCrediting`, in the order they are checked. */
export type DepositCreditingSetupErrorCode =
  | 'deposit_chain_mismatch'
  | 'deposit_vaults_invalid'
  | 'deposit_vault_unknown'
  | 'deposit_vault_chain_mismatch'
  | 'deposit_vault_not_customer'
  | 'deposit_asset_unknown'
  | 'deposit_custody_account_missing'
  | 'deposit_asset_scale_mismatch'
  | 'deposit_tokens_none';

export type OpenDepositCreditingResult =
  | { readonly ok: true; readonly crediting: DepositCrediting }
  | Rejected<DepositCreditingSetupErrorCode>;

/** Why a deposit could not be credited to anyone (yet); an operator resolves it. */
export type UnattributedReason =
  /** An omnibus deposit from an address no customer registered for the vault. */
  | 'sender_unregistered'
  /** The registered (or assigned) customer does not exist in the ledger. */
  | 'customer_unknown'
  /** The customer has no claim account of the vault's account class in the deposit's asset. */
  | 'claim_account_missing'
  /** A watched token the vault does not record in the ledger (no custody account for it). */
  | 'asset_not_recorded';

/** A confirmed deposit that is listed for an operator instead of being credited. */
export interface UnattributedDeposit {
  readonly deposit: Deposit;
  readonly reason: UnattributedReason;
  /** The customer the registry or an operator named, when the reason is about that customer. */
  readonly customerId: string | null;
}

/** A confirmed deposit the ledger refused (unexpected: the inputs are checked first); kept for an operator. */
export interface RejectedDeposit {
  readonly deposit: Deposit;
  /** The customer the credit was for; null when the ledger had refused the id before this process started. */
  readonly customerId: string | null;
  readonly error: Rejection;
}

/** A deposit this process credited: the ledger transfer it became. */
export interface CreditedDeposit {
  readonly deposit: Deposit;
  readonly customerId: string;
  readonly asset: string;
  readonly custodyAccountId: string;
  readonly claimAccountId: string;
  readonly seq: number;
}

/** What one `poll` did. */
export interface DepositPollReport {
  /** Deposits credited by this poll. */
  readonly credited: readonly CreditedDeposit[];
  /** Deposits seen again whose transfer id the ledger already holds (a rescan, a restart, another process). */
  readonly alreadyCredited: number;
  /** Deposits newly listed as unattributed by this poll (all of them: `listUnattributed`). */
  readonly unattributed: readonly UnattributedDeposit[];
  /** Deposits the ledger refused in this poll. */
  readonly rejected: readonly RejectedDeposit[];
  /** Zero-value Transfer events (address poisoning, no-ops): nothing to credit. */
  readonly zeroValueIgnored: number;
  /** The last block whose deposits were all handled (null before the first confirmed block). */
  readonly cursor: DepositCursor | null;
  readonly headBlockNumber: bigint;
}

export interface RunDepositCreditingInput {
  /** Pause between polls, and before retrying after the chain failed. */
  readonly intervalMs: number;
  /** Stops the loop after the current poll. */
  readonly signal: AbortSignal;
  /** Told about each chain outage before the loop waits and retries. */
  readonly onChainError?: (error: ChainError) => void;
  readonly onReport?: (report: DepositPollReport) => void;
}

/** The rejection codes of `DepositCrediting.assign`. */
export type AssignDepositErrorCode = 'deposit_not_unattributed';

/** Where one watched token's deposits go in the ledger. */
interface TokenRoute {
  readonly asset: string;
  readonly custodyAccountId: string;
}

/** A watched vault with its ledger custody account per token (lower-case token address). */
interface VaultRoute {
  readonly vault: Vault;
  readonly tokens: ReadonlyMap<string, TokenRoute>;
}

/** The outcome of attributing one deposit: a transfer to submit, or why not. */
type Attribution =
  | { readonly kind: 'credit'; readonly customerId: string; readonly command: TransferCommand }
  | { readonly kind: 'already_credited' }
  | { readonly kind: 'zero_value' }
  | { readonly kind: 'failed'; readonly customerId: string | null; readonly error: Rejection }
  | {
      readonly kind: 'unattributed';
      readonly reason: UnattributedReason;
      readonly customerId: string | null;
    };

/**
 * Checks the configuration against the ledger and the chain (every watched vault is a registered customer
 * vault on this chain; every token it holds has a ledger asset of the token's decimals and a segregated
 * custody account), then returns the crediting process, not yet polling. Chain failures are thrown.
 */
export async function openDepositCrediting(
  input: OpenDepositCreditingInput,
): Promise<OpenDepositCreditingResult> {
  const { config, ledger, publicClient } = input;
  assert(Number.isInteger(config.confirmations) && config.confirmations >= 1, 'confirmations is at least 1');
  assert(config.startBlock >= 0n, 'the start block is not negative');
  if (publicClient.chain.id !== config.chainId) {
    return rejected(
      'deposit_chain_mismatch',
      `the client is on chain ${publicClient.chain.id}, not ${config.chainId}`,
      {
        clientChainId: publicClient.chain.id,
        chainId: config.chainId,
      },
    );
  }
  if (
    config.vaultIds.length === 0 ||
    config.vaultIds.length > DEPOSIT_VAULTS_MAX ||
    new Set(config.vaultIds).size !== config.vaultIds.length
  ) {
    return rejected('deposit_vaults_invalid', `watch 1 to ${DEPOSIT_VAULTS_MAX} distinct vaults`, {
      count: config.vaultIds.length,
    });
  }
  const planned = await ledger.read((engine) => planRoutes(engine, config));
  if (!planned.ok) return planned;
  // The ledger asset's scale is the token's decimals, so an on-chain amount is the ledger amount as is: a
  // mismatch would credit 10^k times too much or too little, so it is refused before anything is scanned.
  for (const check of planned.scaleChecks) {
    const decimals = await readTokenDecimals(publicClient, check.token);
    if (decimals !== check.scale) {
      return rejected(
        'deposit_asset_scale_mismatch',
        `token ${check.token} has ${decimals} decimals but ledger asset ${check.asset} has scale ${check.scale}`,
        { vaultId: check.vaultId, token: check.token, asset: check.asset, decimals, scale: check.scale },
      );
    }
  }
  const tokens = [...new Set(planned.scaleChecks.map((check) => check.token))];
  if (tokens.length === 0) {
    return rejected(
      'deposit_tokens_none',
      'the watched vaults hold no ERC-20 token (native coins emit no logs)',
    );
  }
  const watcherConfig: DepositWatcherConfig = {
    chainId: config.chainId,
    tokens,
    vaults: planned.routes.map((route) => route.vault.address),
    confirmations: config.confirmations,
    startBlock: config.startBlock,
    ...(config.batchBlocks === undefined ? {} : { batchBlocks: config.batchBlocks }),
  };
  return { ok: true, crediting: new DepositCrediting(input, watcherConfig, planned.routes) };
}

/**
 * One crediting process for a set of vaults. `poll` scans from its in-memory cursor (the configured start
 * block after every start) to the newest confirmed block and credits what it finds; `run` polls until told to
 * stop, waiting out chain outages. Polls never overlap.
 */
export class DepositCrediting {
  private readonly ledger: LedgerService;
  private readonly publicClient: DepositChainClient;
  private readonly attribution: DepositAttribution;
  private readonly routes: ReadonlyMap<string, VaultRoute>;
  private cursorValue: DepositCursor | null = null;
  private readonly unattributed = new Map<string, UnattributedDeposit>();
  private readonly rejectedDeposits = new Map<string, RejectedDeposit>();
  /** Operator decisions: transfer id -> customer, for deposits the registry could not attribute. */
  private readonly assignments = new Map<string, string>();
  private halted: ChainReorgTooDeepError | null = null;
  private polling: Promise<unknown> = Promise.resolve();

  /** Use `openDepositCrediting`, which checks the configuration first. */
  constructor(
    input: OpenDepositCreditingInput,
    private readonly watcherConfig: DepositWatcherConfig,
    routes: readonly VaultRoute[],
  ) {
    this.ledger = input.ledger;
    this.publicClient = input.publicClient;
    this.attribution = input.attribution;
    this.routes = new Map(routes.map((route) => [route.vault.address, route]));
  }

  /** The last block whose deposits were all handled in this process (null until the first scan). */
  get cursor(): DepositCursor | null {
    return this.cursorValue;
  }

  /** Every deposit currently listed as unattributed, in chain order. */
  listUnattributed(): UnattributedDeposit[] {
    return sortByChainOrder([...this.unattributed.values()]);
  }

  /** Every deposit the ledger refused, in chain order. */
  listRejected(): RejectedDeposit[] {
    return sortByChainOrder([...this.rejectedDeposits.values()]);
  }

  /**
   * An operator's decision that an unattributed deposit belongs to `customerId`; the next poll credits it
   * (if the customer has a claim account). In memory only: once credited, the ledger remembers it.
   */
  assign(transferId: string, customerId: string): { readonly ok: true } | Rejected<AssignDepositErrorCode> {
    if (!this.unattributed.has(transferId)) {
      return rejected('deposit_not_unattributed', `deposit ${transferId} is not listed as unattributed`, {
        transferId,
      });
    }
    this.assignments.set(transferId, customerId);
    return { ok: true };
  }

  /**
   * Retries the unattributed deposits, then scans to the newest confirmed block and credits every new
   * deposit. Throws ChainUnreachableError / ChainRequestError when the chain fails (whatever was handled
   * stays handled; the next poll resumes at the cursor) and ChainReorgTooDeepError when a block it treated
   * as final was replaced, after which every poll throws that error again: a human must look.
   */
  poll(): Promise<DepositPollReport> {
    const next = this.polling.then(() => this.pollOnce());
    this.polling = next.catch(() => undefined);
    return next;
  }

  /** Polls every `intervalMs` until `signal` aborts; chain outages are reported and retried, a deep reorg stops it. */
  async run(input: RunDepositCreditingInput): Promise<void> {
    while (!input.signal.aborted) {
      try {
        // Polled first, reported after: `onReport?.(await ...)` would skip the poll when there is no listener.
        const report = await this.poll();
        input.onReport?.(report);
      } catch (error) {
        if (error instanceof ChainReorgTooDeepError || !(error instanceof ChainError)) throw error;
        input.onChainError?.(error);
      }
      try {
        await sleep(input.intervalMs, undefined, { signal: input.signal });
      } catch {
        // Aborted while waiting: the loop condition ends it.
      }
    }
  }

  private async pollOnce(): Promise<DepositPollReport> {
    if (this.halted !== null) throw this.halted;
    const report = new PollAccumulator();
    // Retried first: a sender registered or an account opened since the last poll makes them creditable.
    const retry = [...this.unattributed.values()].map((entry) => entry.deposit);
    if (retry.length > 0) await this.handle(retry, report, true);
    try {
      const scanned = await scanDeposits(
        this.publicClient,
        this.watcherConfig,
        this.cursorValue,
        async (batch: DepositBatch) => {
          await this.handle(batch.deposits, report, false);
          // Only after every deposit of the range is credited or listed does the cursor move past it.
          this.cursorValue = batch.cursor;
        },
      );
      return report.finish(this.cursorValue, scanned.headBlockNumber);
    } catch (error) {
      if (error instanceof ChainReorgTooDeepError) this.halted = error;
      throw error;
    }
  }

  /** Attributes and credits deposits; `retrying` marks the unattributed ones being tried again. */
  private async handle(
    deposits: readonly Deposit[],
    report: PollAccumulator,
    retrying: boolean,
  ): Promise<void> {
    if (deposits.length === 0) return;
    const attributions = await this.ledger.read((engine) => {
      const claims = claimAccountIndex(engine);
      return deposits.map((deposit) => this.attribute(engine, claims, deposit));
    });
    const toSubmit: { deposit: Deposit; customerId: string; command: TransferCommand }[] = [];
    for (const [index, attribution] of attributions.entries()) {
      const deposit = deposits[index]!;
      if (attribution.kind !== 'unattributed') this.unattributed.delete(deposit.transferId);
      switch (attribution.kind) {
        case 'credit':
          toSubmit.push({ deposit, customerId: attribution.customerId, command: attribution.command });
          break;
        case 'already_credited':
          report.alreadyCredited += 1;
          break;
        case 'zero_value':
          report.zeroValueIgnored += 1;
          break;
        case 'failed':
          this.reject(report, { deposit, customerId: attribution.customerId, error: attribution.error });
          break;
        case 'unattributed': {
          const entry = { deposit, reason: attribution.reason, customerId: attribution.customerId };
          const known = this.unattributed.get(deposit.transferId);
          this.unattributed.set(deposit.transferId, entry);
          assert(this.unattributed.size <= DEPOSITS_UNRESOLVED_MAX, 'too many unresolved deposits');
          if (!retrying && known === undefined) report.unattributed.push(entry);
          break;
        }
      }
    }
    for (let start = 0; start < toSubmit.length; start += BATCH_COMMANDS_MAX) {
      const chunk = toSubmit.slice(start, start + BATCH_COMMANDS_MAX);
      const results = await this.ledger.submit(chunk.map((item) => item.command));
      for (const [index, result] of results.entries()) {
        const item = chunk[index]!;
        if (!result.ok) {
          this.reject(report, { deposit: item.deposit, customerId: item.customerId, error: result.error });
          continue;
        }
        // Another writer of the same ledger credited it between our read and our submit.
        if (result.duplicate) {
          report.alreadyCredited += 1;
          continue;
        }
        const leg = item.command.legs[0]!;
        report.credited.push({
          deposit: item.deposit,
          customerId: item.customerId,
          asset: leg.asset,
          custodyAccountId: leg.debit,
          claimAccountId: leg.credit,
          seq: result.seq,
        });
      }
    }
  }

  private reject(report: PollAccumulator, entry: RejectedDeposit): void {
    if (!this.rejectedDeposits.has(entry.deposit.transferId)) report.rejected.push(entry);
    this.rejectedDeposits.set(entry.deposit.transferId, entry);
    assert(this.rejectedDeposits.size <= DEPOSITS_UNRESOLVED_MAX, 'too many unresolved deposits');
  }

  // The order matters: the ledger's memory wins over the registry, so a deposit credited once (by an earlier
  // process, under an attribution since changed, or by an operator's assignment) is never re-attributed.
  private attribute(engine: LedgerEngine, claims: ClaimAccountIndex, deposit: Deposit): Attribution {
    assert(deposit.chainId === this.watcherConfig.chainId, 'the watcher reports deposits of its chain');
    if (deposit.amountMinor === 0n) return { kind: 'zero_value' };
    const existing = engine.getTransfer(deposit.transferId);
    if (existing !== undefined) {
      assert(
        existing.entry.type === 'transfer' &&
          existing.entry.kind === 'deposit' &&
          existing.entry.reference === depositReference(deposit),
        'a deposit transfer id belongs to that deposit only',
      );
      return { kind: 'already_credited' };
    }
    // An id that failed stays failed (ledger idempotency): list it with the original refusal.
    const failure = engine.getFailure(deposit.transferId);
    if (failure !== undefined) {
      return { kind: 'failed', customerId: null, error: { code: failure.code, message: failure.message } };
    }
    const vaultAddress = parseAddress(deposit.vault);
    const route = vaultAddress === null ? undefined : this.routes.get(vaultAddress);
    assert(route !== undefined, 'the watcher reports deposits into watched vaults only');
    const token = route.tokens.get(deposit.token.toLowerCase());
    if (token === undefined) return { kind: 'unattributed', reason: 'asset_not_recorded', customerId: null };
    const customerId =
      route.vault.customerId ??
      this.assignments.get(deposit.transferId) ??
      this.attribution.customerOf(route.vault.address, deposit.from);
    if (customerId === null) return { kind: 'unattributed', reason: 'sender_unregistered', customerId: null };
    if (!engine.hasCustomer(customerId))
      return { kind: 'unattributed', reason: 'customer_unknown', customerId };
    const accountClass = route.vault.accountClass;
    assert(accountClass !== null, 'a customer vault serves one account class');
    const claimAccountId = claims.get(claimKey(customerId, token.asset, accountClass));
    if (claimAccountId === undefined) {
      return { kind: 'unattributed', reason: 'claim_account_missing', customerId };
    }
    return {
      kind: 'credit',
      customerId,
      command: {
        type: 'transfer',
        id: deposit.transferId,
        kind: 'deposit',
        reference: depositReference(deposit),
        instructedBy: null,
        legs: [
          {
            debit: token.custodyAccountId,
            credit: claimAccountId,
            asset: token.asset,
            amountMinor: deposit.amountMinor,
          },
        ],
        holdExpiresAtMs: null,
      },
    };
  }
}

/** A deposit's ledger reference (its basis): `chainId:txHash:logIndex`, the inputs of its transfer id. */
export function depositReference(deposit: Pick<Deposit, 'chainId' | 'transactionHash' | 'logIndex'>): string {
  return `${deposit.chainId}:${deposit.transactionHash.toLowerCase()}:${deposit.logIndex}`;
}

class PollAccumulator {
  readonly credited: CreditedDeposit[] = [];
  readonly unattributed: UnattributedDeposit[] = [];
  readonly rejected: RejectedDeposit[] = [];
  alreadyCredited = 0;
  zeroValueIgnored = 0;

  finish(cursor: DepositCursor | null, headBlockNumber: bigint): DepositPollReport {
    return {
      credited: this.credited,
      alreadyCredited: this.alreadyCredited,
      unattributed: this.unattributed,
      rejected: this.rejected,
      zeroValueIgnored: this.zeroValueIgnored,
      cursor,
      headBlockNumber,
    };
  }
}

/** "customerId NUL asset NUL accountClass" -> the customer's first claim account of that asset and class. */
type ClaimAccountIndex = ReadonlyMap<string, string>;

function claimKey(customerId: string, asset: string, accountClass: string): string {
  return `${customerId}\u0000${asset}\u0000${accountClass}`;
}

// Accounts are listed in creation order, so with two matching claim accounts the older one is chosen, the
// same one on every rescan: a repeat always carries identical content and is a duplicate, never a conflict.
function claimAccountIndex(engine: LedgerEngine): ClaimAccountIndex {
  const index = new Map<string, string>();
  for (const account of engine.listAccounts()) {
    if (account.segregationClass !== 'customer_collateral' || account.owner.type !== 'customer') continue;
    if (account.accountClass === null) continue;
    const key = claimKey(account.owner.customerId, account.asset, account.accountClass);
    if (!index.has(key)) index.set(key, account.id);
  }
  return index;
}

interface ScaleCheck {
  readonly vaultId: string;
  readonly token: Address;
  readonly asset: string;
  readonly scale: number;
}

function planRoutes(
  engine: LedgerEngine,
  config: DepositCreditingConfig,
):
  | { readonly ok: true; readonly routes: VaultRoute[]; readonly scaleChecks: ScaleCheck[] }
  | Rejected<DepositCreditingSetupErrorCode> {
  const custodyAccounts = new Map<string, string>();
  for (const account of engine.listAccounts()) {
    if (account.segregationClass === 'segregated_custody' && account.vaultId !== null)
      custodyAccounts.set(`${account.vaultId}\u0000${account.asset}`, account.id);
  }
  const routes: VaultRoute[] = [];
  const scaleChecks: ScaleCheck[] = [];
  for (const vaultId of config.vaultIds) {
    const vault = engine.getVault(vaultId);
    if (vault === undefined)
      return rejected('deposit_vault_unknown', `no registered vault ${vaultId}`, { vaultId });
    if (vault.chainId !== config.chainId) {
      return rejected('deposit_vault_chain_mismatch', `vault ${vaultId} is on chain ${vault.chainId}`, {
        vaultId,
        vaultChainId: vault.chainId,
        chainId: config.chainId,
      });
    }
    // Coins arriving in a house or insurance vault are not customer deposits: there is no claim to credit.
    if (!CUSTOMER_VAULT_KINDS.has(vault.kind)) {
      return rejected('deposit_vault_not_customer', `vault ${vaultId} is a ${vault.kind} vault`, {
        vaultId,
        kind: vault.kind,
      });
    }
    const tokens = new Map<string, TokenRoute>();
    for (const held of vault.assets) {
      // Native coins emit no Transfer logs; the chain adapter's balances reconcile them instead.
      if (held.token === 'native') continue;
      const asset = engine.getAsset(held.asset);
      if (asset === undefined) {
        return rejected('deposit_asset_unknown', `vault ${vaultId} holds ${held.asset}, not a ledger asset`, {
          vaultId,
          asset: held.asset,
        });
      }
      const custodyAccountId = custodyAccounts.get(`${vault.id}\u0000${held.asset}`);
      if (custodyAccountId === undefined) {
        return rejected(
          'deposit_custody_account_missing',
          `no segregated custody account records ${held.asset} in vault ${vaultId}`,
          { vaultId, asset: held.asset },
        );
      }
      tokens.set(held.token, { asset: held.asset, custodyAccountId });
      scaleChecks.push({ vaultId, token: held.token, asset: held.asset, scale: asset.scale });
    }
    routes.push({ vault, tokens });
  }
  return { ok: true, routes, scaleChecks };
}

function sortByChainOrder<T extends { readonly deposit: Deposit }>(entries: T[]): T[] {
  return entries.sort((a, b) =>
    a.deposit.blockNumber === b.deposit.blockNumber
      ? a.deposit.logIndex - b.deposit.logIndex
      : a.deposit.blockNumber < b.deposit.blockNumber
        ? -1
        : 1,
  );
}
