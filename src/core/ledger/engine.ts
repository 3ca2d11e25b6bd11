// The ledger state machine: applies commands in batches, assigns each accepted batch its journal
// position and hash, and replays stored batches. Pure: the caller supplies time and does the I/O.

import { createHash } from 'node:crypto';
import { assert } from '../assert.ts';
import type { CustodyRejection } from '../custody/rejection.ts';
import {
  checkVaultReceivesCustomerAssets,
  type Vault,
  type VaultKind,
  validateVault,
} from '../custody/vault.ts';
import { ASSET_CODE_PATTERN, type Asset, isValidScale } from '../money/asset.ts';
import type { SegregationClass } from './classes.ts';
import { CLASS_RULES, SEGREGATION_CLASSES } from './classes.ts';
import { decodeEntry, encodeEntry } from './codec.ts';
import { GENESIS_HASH, ID_LENGTH_MAX, NAME_LENGTH_MAX, REFERENCE_LENGTH_MAX } from './limits.ts';
import { ACCOUNT_CLASS_PATTERN, ENTITY_ID_PATTERN, TRANSFER_ID_PATTERN } from './patterns.ts';

/** Which vault kinds each custody class may record. */
const CUSTODY_VAULT_KINDS: Partial<Record<SegregationClass, readonly VaultKind[]>> = {
  segregated_custody: ['customer_omnibus', 'customer_individual'],
  house_custody: ['house'],
  insurance_custody: ['insurance_fund'],
};

import {
  type AccountState,
  addToBalances,
  newPool,
  type PoolState,
  poolKeyOf,
  snapshotAccount,
} from './state.ts';
import { checkTransfer, type RuleContext } from './transfer-rules.ts';
import type {
  Account,
  AddAccountClassCommand,
  Command,
  CommandResult,
  CommittedBatch,
  CreateCustomerCommand,
  Entry,
  FailedId,
  Leg,
  OpenAccountCommand,
  PostHoldCommand,
  RegisterAssetCommand,
  RegisterVaultCommand,
  Rejection,
  StoredEntry,
  TransferCommand,
  VoidHoldCommand,
} from './types.ts';

const ZERO_ID = '0'.repeat(32);

/**
 * Rejections of malformed input: nothing about the ledger's state caused them, so they are not
 * remembered against the id (the client may fix the request and reuse the id).
 */
export const INPUT_REJECTION_CODES: ReadonlySet<string> = new Set([
  'transfer_id_invalid',
  'transfer_legs_empty',
  'transfer_legs_too_many',
  'transfer_same_account',
  'transfer_reference_invalid',
  'amount_not_positive',
  'amount_overflow',
  'hold_must_have_one_leg',
]);

/** A hold (pending transfer) and what became of it. */
export interface HoldState {
  readonly id: string;
  readonly kind: TransferCommand['kind'];
  readonly leg: Leg;
  readonly expiresAtMs: number;
  status: 'pending' | 'posted' | 'voided' | 'expired';
  /** The amount still reserved while pending; what was posted once posted. */
  amountMinor: bigint;
}

interface IdRecord {
  readonly body: string;
  readonly seq: number;
}

/** The outcome of one batch: a result per command, the batch to commit (if anything was accepted), new failures. */
export interface BatchOutcome {
  readonly results: CommandResult[];
  readonly batch: CommittedBatch | null;
  readonly failed: FailedId[];
}

/** Why a stored batch does not replay: the first thing that does not match. */
export type ReplayResult =
  | { ok: true }
  | {
      ok: false;
      seq: number;
      reason: 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'entry_malformed' | 'entry_rejected';
      entryIndex: number | null;
      message: string;
    };

/** An applied command: its entry (null for a no-op repeat) and, when already computed, its canonical body. */
type Applied = { ok: true; entry: Entry | null; body?: string } | { ok: false; error: Rejection };

const rejected = (code: string, message: string, details?: Rejection['details']): Applied => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

/** The single writer's state machine. One instance per ledger; not safe to share between writers. */
export class LedgerEngine {
  private readonly assets = new Map<string, Asset>();
  private readonly accountClasses = new Set<string>();
  private readonly customers = new Map<string, string>();
  private readonly accounts = new Map<string, AccountState>();
  private readonly vaults = new Map<string, Vault>();
  /** "vaultId NUL asset" -> the custody account recording it. */
  private readonly vaultAssetAccounts = new Map<string, string>();
  private readonly pools = new Map<string, PoolState>();
  private readonly ids = new Map<string, IdRecord>();
  private readonly failed = new Map<string, FailedId>();
  private readonly holds = new Map<string, HoldState>();
  private readonly reversed = new Set<string>();
  private nextExpiryMs = Number.POSITIVE_INFINITY;
  private seq = 0;
  private hash = GENESIS_HASH;
  private lastTimestampMs = 0;
  private readonly ruleContext: RuleContext = {
    account: (id) => this.accounts.get(id),
    hasAsset: (code) => this.assets.has(code),
    hasCustomer: (id) => this.customers.has(id),
    committedTransferLegs: (id) => this.committedTransferLegs(id),
    isReversed: (id) => this.reversed.has(id),
    vaultCustomer: (id) => this.vaults.get(id)?.customerId ?? null,
  };

  /** Journal position of the last committed batch (0 when empty). */
  get headSeq(): number {
    return this.seq;
  }

  /** Hash of the last committed batch (the genesis hash when empty). */
  get headHash(): string {
    return this.hash;
  }

  /** Time of the last committed batch; the next batch may not be earlier. */
  get headTimestampMs(): number {
    return this.lastTimestampMs;
  }

  /** When the earliest pending hold expires (Infinity when none is pending). */
  get nextHoldExpiryMs(): number {
    return this.nextExpiryMs;
  }

  /** Remembers ids that failed before this process started, so they stay failed. */
  loadFailedIds(failed: readonly FailedId[]): void {
    for (const record of failed) this.failed.set(record.id, record);
  }

  /**
   * Applies a batch of commands at `timestampMs` (never earlier than the previous batch). Expired holds
   * are voided first, as journal entries of their own. Rejected commands change nothing.
   */
  executeBatch(commands: readonly Command[], timestampMs: number): BatchOutcome {
    assert(
      Number.isSafeInteger(timestampMs) && timestampMs >= this.lastTimestampMs,
      'batch time must not go backwards',
    );
    const seq = this.seq + 1;
    const entries: StoredEntry[] = [];
    const touched = new Set<AccountState>();
    const failed: FailedId[] = [];
    if (timestampMs >= this.nextExpiryMs) this.expireHolds(timestampMs, entries, touched);
    const results: CommandResult[] = [];
    // Every command accepted in this batch has the same result: one frozen object serves them all.
    const accepted: CommandResult = Object.freeze({ ok: true, seq, duplicate: false });
    for (const command of commands) {
      const applied = this.applyCommand(command, timestampMs, touched);
      if (applied.ok && applied.entry !== null) {
        const body = applied.body ?? encodeEntry(applied.entry);
        const id =
          'id' in applied.entry &&
          applied.entry.type !== 'open_account' &&
          applied.entry.type !== 'create_customer'
            ? applied.entry.id
            : null;
        entries.push({ id, type: applied.entry.type, body });
        if (id !== null) this.ids.set(id, { body, seq });
        results.push(accepted);
      } else if (applied.ok) {
        results.push({ ok: true, seq: this.duplicateSeq(command), duplicate: true });
      } else {
        results.push({ ok: false, error: applied.error });
        const record = this.failureToRemember(command, applied.error);
        if (record !== null) {
          this.failed.set(record.id, record);
          failed.push(record);
        }
      }
    }
    if (entries.length === 0) return { results, batch: null, failed };
    const prevHash = this.hash;
    const hash = hashBatch(prevHash, seq, timestampMs, entries);
    this.seq = seq;
    this.hash = hash;
    this.lastTimestampMs = timestampMs;
    const balances = [...touched].map(snapshotAccount);
    return { results, batch: { seq, timestampMs, prevHash, hash, entries, balances }, failed };
  }

  /** Re-applies a stored batch, checking its position, its chain link, its hash and every entry. */
  replayBatch(batch: {
    seq: number;
    timestampMs: number;
    prevHash: string;
    hash: string;
    entries: readonly StoredEntry[];
  }): ReplayResult {
    const fail = (
      reason: Extract<ReplayResult, { ok: false }>['reason'],
      entryIndex: number | null,
      message: string,
    ): ReplayResult => ({
      ok: false,
      seq: batch.seq,
      reason,
      entryIndex,
      message,
    });
    if (batch.seq !== this.seq + 1)
      return fail('seq_gap', null, `expected batch ${this.seq + 1}, found ${batch.seq}`);
    if (batch.prevHash !== this.hash)
      return fail('prev_hash_mismatch', null, 'batch does not link to its predecessor');
    if (hashBatch(batch.prevHash, batch.seq, batch.timestampMs, batch.entries) !== batch.hash) {
      return fail('hash_mismatch', null, 'batch content does not match its hash');
    }
    const touched = new Set<AccountState>();
    for (const [index, stored] of batch.entries.entries()) {
      let entry: Entry;
      try {
        entry = decodeEntry(stored.body);
      } catch (error) {
        return fail('entry_malformed', index, `entry is not canonical: ${(error as Error).message}`);
      }
      const applied =
        entry.type === 'expire_hold'
          ? this.applyExpiry(entry.holdId, batch.timestampMs, touched)
          : this.applyCommand(entry, batch.timestampMs, touched);
      if (!applied.ok)
        return fail('entry_rejected', index, `entry is rejected on replay: ${applied.error.code}`);
      if (applied.entry === null) return fail('entry_rejected', index, 'entry is a duplicate on replay');
      if (
        'id' in entry &&
        (entry.type === 'transfer' || entry.type === 'post_hold' || entry.type === 'void_hold')
      ) {
        this.ids.set(entry.id, { body: stored.body, seq: batch.seq });
      }
    }
    this.seq = batch.seq;
    this.hash = batch.hash;
    this.lastTimestampMs = Math.max(this.lastTimestampMs, batch.timestampMs);
    return { ok: true };
  }

  private applyCommand(command: Command, nowMs: number, touched: Set<AccountState>): Applied {
    switch (command.type) {
      case 'register_asset':
        return this.registerAsset(command);
      case 'add_account_class':
        return this.addAccountClass(command);
      case 'create_customer':
        return this.createCustomer(command);
      case 'register_vault':
        return this.registerVault(command);
      case 'open_account':
        return this.openAccount(command, nowMs, touched);
      case 'transfer':
        return this.withIdempotency(command, () => this.transfer(command, nowMs, touched));
      case 'post_hold':
        return this.withIdempotency(command, () => this.postHold(command, touched));
      case 'void_hold':
        return this.withIdempotency(command, () => this.voidHold(command, touched));
    }
  }

  // Idempotency (TigerBeetle semantics): same id + same content = the original result, nothing posted;
  // same id + other content = rejected; an id that failed stays failed.
  private withIdempotency(
    command: TransferCommand | PostHoldCommand | VoidHoldCommand,
    apply: () => Applied,
  ): Applied {
    if (!TRANSFER_ID_PATTERN.test(command.id) || command.id === ZERO_ID) {
      return rejected('transfer_id_invalid', 'ids are 32 lower-case hex digits and not zero');
    }
    const body = encodeEntry(command);
    const existing = this.ids.get(command.id);
    if (existing !== undefined) {
      if (existing.body === body) return { ok: true, entry: null };
      return rejected(
        'idempotency_id_reused_with_different_content',
        `id ${command.id} was already used for other content`,
        { seq: existing.seq },
      );
    }
    const failure = this.failed.get(command.id);
    if (failure !== undefined) {
      if (failure.fingerprint === body)
        return {
          ok: false,
          error: { code: failure.code, message: failure.message, details: { repeated: true } },
        };
      return rejected(
        'idempotency_id_already_failed',
        `id ${command.id} failed before with ${failure.code}`,
        { originalCode: failure.code },
      );
    }
    if (command.type === 'transfer' && command.reference.length > REFERENCE_LENGTH_MAX) {
      return rejected(
        'transfer_reference_invalid',
        `references are at most ${REFERENCE_LENGTH_MAX} characters`,
      );
    }
    const applied = apply();
    if (applied.ok) applied.body = body;
    return applied;
  }

  private transfer(command: TransferCommand, nowMs: number, touched: Set<AccountState>): Applied {
    const checked = checkTransfer(this.ruleContext, command, nowMs);
    if (!checked.ok) return checked;
    for (const delta of checked.plan) {
      addToBalances(
        delta.account,
        delta.debitsPostedMinor,
        delta.creditsPostedMinor,
        delta.debitsPendingMinor,
        delta.creditsPendingMinor,
      );
      touched.add(delta.account);
    }
    if (command.holdExpiresAtMs !== null) {
      const leg = command.legs[0]!;
      this.holds.set(command.id, {
        id: command.id,
        kind: command.kind,
        leg,
        expiresAtMs: command.holdExpiresAtMs,
        status: 'pending',
        amountMinor: leg.amountMinor,
      });
      this.nextExpiryMs = Math.min(this.nextExpiryMs, command.holdExpiresAtMs);
    }
    if (command.kind === 'correction') this.reversed.add(command.reference);
    return { ok: true, entry: command };
  }

  private postHold(command: PostHoldCommand, touched: Set<AccountState>): Applied {
    const hold = this.holds.get(command.holdId);
    const closed = this.checkHoldOpen(command.holdId, hold);
    if (closed !== null) return closed;
    assert(hold !== undefined, 'open hold exists');
    const amount = command.amountMinor ?? hold.amountMinor;
    if (amount <= 0n) return rejected('amount_not_positive', 'post amount must be positive');
    if (amount > hold.amountMinor) {
      return rejected(
        'hold_post_amount_exceeds_pending',
        `hold ${hold.id} reserves only ${hold.amountMinor} minor units`,
        {
          pendingMinor: hold.amountMinor.toString(),
        },
      );
    }
    // Posting moves the reservation to posted and releases the rest; the rules were checked when the
    // hold was placed against the full amount, so a post of at most that amount cannot break them.
    this.releaseHold(hold, amount, touched);
    hold.status = 'posted';
    hold.amountMinor = amount;
    return { ok: true, entry: command };
  }

  private voidHold(command: VoidHoldCommand, touched: Set<AccountState>): Applied {
    const hold = this.holds.get(command.holdId);
    const closed = this.checkHoldOpen(command.holdId, hold);
    if (closed !== null) return closed;
    assert(hold !== undefined, 'open hold exists');
    this.releaseHold(hold, 0n, touched);
    hold.status = 'voided';
    return { ok: true, entry: command };
  }

  private checkHoldOpen(holdId: string, hold: HoldState | undefined): Applied | null {
    if (hold === undefined) return rejected('hold_not_found', `no hold ${holdId}`);
    if (hold.status === 'posted') return rejected('hold_already_posted', `hold ${holdId} was already posted`);
    if (hold.status === 'voided') return rejected('hold_already_voided', `hold ${holdId} was already voided`);
    if (hold.status === 'expired') return rejected('hold_expired', `hold ${holdId} expired`);
    return null;
  }

  private applyExpiry(holdId: string, nowMs: number, touched: Set<AccountState>): Applied {
    const hold = this.holds.get(holdId);
    if (hold === undefined || hold.status !== 'pending' || hold.expiresAtMs > nowMs) {
      return rejected('hold_not_found', `no expirable hold ${holdId}`);
    }
    this.releaseHold(hold, 0n, touched);
    hold.status = 'expired';
    return { ok: true, entry: { type: 'expire_hold', holdId } };
  }

  private expireHolds(nowMs: number, entries: StoredEntry[], touched: Set<AccountState>): void {
    const due = [...this.holds.values()]
      .filter((hold) => hold.status === 'pending' && hold.expiresAtMs <= nowMs)
      .sort((a, b) => a.expiresAtMs - b.expiresAtMs || (a.id < b.id ? -1 : 1));
    for (const hold of due) {
      const applied = this.applyExpiry(hold.id, nowMs, touched);
      assert(applied.ok && applied.entry !== null, 'a due hold expires');
      entries.push({ id: null, type: 'expire_hold', body: encodeEntry(applied.entry) });
    }
    this.nextExpiryMs = Number.POSITIVE_INFINITY;
    for (const hold of this.holds.values()) {
      if (hold.status === 'pending') this.nextExpiryMs = Math.min(this.nextExpiryMs, hold.expiresAtMs);
    }
  }

  /** Removes the hold's reservation and posts `postedMinor` of it (0 for void and expiry). */
  private releaseHold(hold: HoldState, postedMinor: bigint, touched: Set<AccountState>): void {
    const debit = this.accounts.get(hold.leg.debit);
    const credit = this.accounts.get(hold.leg.credit);
    assert(debit !== undefined && credit !== undefined, 'hold accounts exist');
    assert(
      debit.debitsPendingMinor >= hold.amountMinor && credit.creditsPendingMinor >= hold.amountMinor,
      'hold is reserved',
    );
    addToBalances(debit, postedMinor, 0n, -hold.amountMinor, 0n);
    addToBalances(credit, 0n, postedMinor, 0n, -hold.amountMinor);
    touched.add(debit);
    touched.add(credit);
  }

  private registerAsset(command: RegisterAssetCommand): Applied {
    if (!ASSET_CODE_PATTERN.test(command.code))
      return rejected('asset_code_invalid', 'asset codes are 2-16 of A-Z 0-9 . _ -, starting with a letter');
    if (!isValidScale(command.scale))
      return rejected('asset_scale_invalid', 'asset scale must be an integer from 0 to 18');
    const existing = this.assets.get(command.code);
    if (existing !== undefined) {
      if (existing.scale === command.scale) return { ok: true, entry: null };
      return rejected('asset_already_exists', `asset ${command.code} exists with scale ${existing.scale}`);
    }
    this.assets.set(command.code, { code: command.code, scale: command.scale });
    return { ok: true, entry: command };
  }

  private addAccountClass(command: AddAccountClassCommand): Applied {
    if (!ACCOUNT_CLASS_PATTERN.test(command.code))
      return rejected('account_class_invalid', 'account classes are lower snake case, at most 32 characters');
    if (this.accountClasses.has(command.code)) return { ok: true, entry: null };
    this.accountClasses.add(command.code);
    return { ok: true, entry: command };
  }

  private createCustomer(command: CreateCustomerCommand): Applied {
    if (!ENTITY_ID_PATTERN.test(command.id))
      return rejected('customer_id_invalid', `customer ids match ${ENTITY_ID_PATTERN}`);
    if (command.name.length === 0 || command.name.length > NAME_LENGTH_MAX)
      return rejected('customer_name_invalid', `names are 1-${NAME_LENGTH_MAX} characters`);
    const existing = this.customers.get(command.id);
    if (existing !== undefined) {
      if (existing === command.name) return { ok: true, entry: null };
      return rejected('customer_already_exists', `customer ${command.id} exists with another name`);
    }
    this.customers.set(command.id, command.name);
    return { ok: true, entry: command };
  }

  private registerVault(command: RegisterVaultCommand): Applied {
    const validated = validateVault(command.vault);
    if (!validated.ok) return { ok: false, error: ledgerRejection(validated.error) };
    const vault = validated.vault;
    const entry: RegisterVaultCommand = { type: 'register_vault', vault };
    const existing = this.vaults.get(vault.id);
    if (existing !== undefined) {
      if (encodeEntry({ type: 'register_vault', vault: existing }) === encodeEntry(entry))
        return { ok: true, entry: null };
      return rejected('vault_already_exists', `vault ${vault.id} is registered with other attributes`);
    }
    for (const other of this.vaults.values()) {
      if (other.chainId === vault.chainId && other.address === vault.address) {
        return rejected(
          'vault_address_already_registered',
          `address ${vault.address} is already vault ${other.id}`,
        );
      }
    }
    this.vaults.set(vault.id, vault);
    return { ok: true, entry };
  }

  // Every custody account records exactly one registered vault, and each (vault, asset) is recorded by at
  // most one custody account: a custody balance backed by nothing real (FTX's `fiat@`) cannot exist.
  private checkAccountVault(command: OpenAccountCommand, nowMs: number): Applied | null {
    const custodyKinds = CUSTODY_VAULT_KINDS[command.segregationClass];
    if (custodyKinds === undefined) {
      if (command.vaultId !== null)
        return rejected(
          'account_vault_not_applicable',
          `${command.segregationClass} accounts record no vault`,
        );
      return null;
    }
    if (command.vaultId === null)
      return rejected(
        'account_vault_required',
        `${command.segregationClass} accounts record one registered vault`,
      );
    const vault = this.vaults.get(command.vaultId);
    if (vault === undefined) return rejected('vault_not_found', `no vault ${command.vaultId}`);
    if (!custodyKinds.includes(vault.kind)) {
      return rejected(
        'vault_kind_mismatch',
        `a ${command.segregationClass} account cannot record a ${vault.kind} vault`,
        {
          vaultId: vault.id,
          kind: vault.kind,
        },
      );
    }
    if (command.segregationClass === 'segregated_custody') {
      const receives = checkVaultReceivesCustomerAssets(
        vault,
        { asset: command.asset, accountClass: command.accountClass ?? '', customerId: vault.customerId },
        nowMs,
      );
      if (!receives.ok) return { ok: false, error: ledgerRejection(receives.error) };
    } else if (!vault.assets.some((entry) => entry.asset === command.asset)) {
      return rejected('vault_asset_not_supported', `vault ${vault.id} does not hold ${command.asset}`, {
        vaultId: vault.id,
      });
    }
    const mapped = this.vaultAssetAccounts.get(`${vault.id}\u0000${command.asset}`);
    if (mapped !== undefined) {
      return rejected(
        'vault_asset_already_recorded',
        `account ${mapped} already records ${command.asset} in vault ${vault.id}`,
        {
          vaultId: vault.id,
          account: mapped,
        },
      );
    }
    return null;
  }

  private openAccount(command: OpenAccountCommand, nowMs: number, touched: Set<AccountState>): Applied {
    if (!ENTITY_ID_PATTERN.test(command.id) || command.id.length > ID_LENGTH_MAX)
      return rejected('account_id_invalid', `account ids match ${ENTITY_ID_PATTERN}`);
    if (!(SEGREGATION_CLASSES as readonly string[]).includes(command.segregationClass))
      return rejected('segregation_class_unknown', `unknown segregation class ${command.segregationClass}`);
    if (!this.assets.has(command.asset))
      return rejected('asset_unknown', `asset ${command.asset} is not registered`);
    const rules = CLASS_RULES[command.segregationClass];
    if (rules.owner !== command.owner.type) {
      return rejected(
        'account_owner_not_allowed_for_class',
        `${command.segregationClass} accounts are owned by the ${rules.owner}`,
      );
    }
    if (command.owner.type === 'customer' && !this.customers.has(command.owner.customerId)) {
      return rejected('customer_not_found', `customer ${command.owner.customerId} does not exist`);
    }
    if (rules.hasAccountClass && command.accountClass === null)
      return rejected(
        'account_class_required',
        `${command.segregationClass} accounts need a customer account class`,
      );
    if (!rules.hasAccountClass && command.accountClass !== null)
      return rejected(
        'account_class_not_applicable',
        `${command.segregationClass} accounts have no customer account class`,
      );
    if (command.accountClass !== null && !this.accountClasses.has(command.accountClass))
      return rejected('account_class_unknown', `account class ${command.accountClass} is not configured`);
    const existing = this.accounts.get(command.id);
    if (existing !== undefined) {
      const same =
        encodeEntry(command) ===
        encodeEntry({
          type: 'open_account',
          id: existing.id,
          owner: existing.owner,
          asset: existing.asset,
          segregationClass: existing.segregationClass,
          accountClass: existing.accountClass,
          vaultId: existing.vaultId,
        });
      return same
        ? { ok: true, entry: null }
        : rejected('account_already_exists', `account ${command.id} exists with other attributes`);
    }
    const vaultCheck = this.checkAccountVault(command, nowMs);
    if (vaultCheck !== null) return vaultCheck;
    if (command.vaultId !== null)
      this.vaultAssetAccounts.set(`${command.vaultId}\u0000${command.asset}`, command.id);
    const key = poolKeyOf(command.segregationClass, command.asset, command.accountClass);
    let pool = this.pools.get(key);
    if (pool === undefined) {
      pool = newPool(rules.pool, command.asset, rules.pool === 'customer' ? command.accountClass : null);
      this.pools.set(key, pool);
    }
    const account: AccountState = {
      id: command.id,
      owner: command.owner,
      asset: command.asset,
      segregationClass: command.segregationClass,
      accountClass: command.accountClass,
      vaultId: command.vaultId,
      rules,
      pool,
      debitsPostedMinor: 0n,
      creditsPostedMinor: 0n,
      debitsPendingMinor: 0n,
      creditsPendingMinor: 0n,
    };
    this.accounts.set(command.id, account);
    touched.add(account);
    return { ok: true, entry: command };
  }

  private duplicateSeq(command: Command): number {
    if (command.type === 'transfer' || command.type === 'post_hold' || command.type === 'void_hold') {
      return this.ids.get(command.id)?.seq ?? 0;
    }
    return 0;
  }

  private failureToRemember(command: Command, error: Rejection): FailedId | null {
    if (command.type !== 'transfer' && command.type !== 'post_hold' && command.type !== 'void_hold')
      return null;
    if (INPUT_REJECTION_CODES.has(error.code) || error.code.startsWith('idempotency_')) return null;
    if (this.failed.has(command.id)) return null;
    return { id: command.id, fingerprint: encodeEntry(command), code: error.code, message: error.message };
  }

  private committedTransferLegs(id: string): readonly Leg[] | undefined {
    const record = this.ids.get(id);
    if (record === undefined) return undefined;
    const entry = decodeEntry(record.body);
    if (entry.type !== 'transfer' || entry.holdExpiresAtMs !== null) return undefined;
    return entry.legs;
  }

  // ---- reads ------------------------------------------------------------------------------------

  /** The account, or undefined. */
  getAccount(id: string): Account | undefined {
    const account = this.accounts.get(id);
    return account === undefined ? undefined : snapshotAccount(account);
  }

  /** Every account, read in place without copying (for whole-book computations such as the statement). */
  iterateAccounts(): IterableIterator<Account> {
    return this.accounts.values();
  }

  /** Every account, in creation order. */
  listAccounts(): Account[] {
    return [...this.accounts.values()].map(snapshotAccount);
  }

  /** The asset, or undefined. */
  getAsset(code: string): Asset | undefined {
    return this.assets.get(code);
  }

  /** A registered vault, or undefined. */
  getVault(id: string): Vault | undefined {
    return this.vaults.get(id);
  }

  /** Every registered vault. */
  listVaults(): Vault[] {
    return [...this.vaults.values()];
  }

  /** Every registered asset. */
  listAssets(): Asset[] {
    return [...this.assets.values()];
  }

  /** Configured customer account classes. */
  listAccountClasses(): string[] {
    return [...this.accountClasses];
  }

  /** Customers with their names. */
  listCustomers(): { id: string; name: string }[] {
    return [...this.customers].map(([id, name]) => ({ id, name }));
  }

  /** True when the customer exists. */
  hasCustomer(id: string): boolean {
    return this.customers.has(id);
  }

  /** A committed transfer, post or void by id, with its journal position. */
  getTransfer(id: string): { entry: Entry; seq: number } | undefined {
    const record = this.ids.get(id);
    return record === undefined ? undefined : { entry: decodeEntry(record.body), seq: record.seq };
  }

  /** A failed id's original rejection. */
  getFailure(id: string): FailedId | undefined {
    return this.failed.get(id);
  }

  /** A hold and its status. */
  getHold(id: string): Readonly<HoldState> | undefined {
    return this.holds.get(id);
  }

  /** Every hold still pending. */
  listPendingHolds(): Readonly<HoldState>[] {
    return [...this.holds.values()].filter((hold) => hold.status === 'pending');
  }

  /** Running pool totals (custody, claims, coverage) for statements and invariant checks. */
  listPools(): Readonly<PoolState>[] {
    return [...this.pools.values()];
  }
}

/** A custody rejection in the ledger's flat form (nested detail values become JSON text). */
function ledgerRejection(error: CustodyRejection): Rejection {
  const details: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(error.details)) {
    details[key] = value === null || typeof value !== 'object' ? value : JSON.stringify(value);
  }
  return { code: error.code, message: error.message, details };
}

/** SHA-256 over the predecessor hash, position, time and every entry string: the journal's chain link. */
export function hashBatch(
  prevHash: string,
  seq: number,
  timestampMs: number,
  entries: readonly StoredEntry[],
): string {
  const hash = createHash('sha256');
  hash.update(`ringfence-journal-v1\n${prevHash}\n${seq}\n${timestampMs}\n${entries.length}\n`);
  for (const entry of entries) {
    hash.update(entry.body);
    hash.update('\n');
  }
  return hash.digest('hex');
}
