// The ledger's commands (what clients ask for), journal entries (what was accepted) and results.
// Amounts here are bigint minor units; the API turns decimal strings into these before the engine sees them.

import type { VaultInput } from '../custody/vault.ts';
import type { SegregationClass, TransferKind } from './classes.ts';

/** One debit/credit pair in a single asset. */
export interface Leg {
  readonly debit: string;
  readonly credit: string;
  readonly asset: string;
  readonly amountMinor: bigint;
}

/** Owner of an account: one customer, or the house (the platform itself). */
export type Owner = { readonly type: 'customer'; readonly customerId: string } | { readonly type: 'house' };

export interface RegisterAssetCommand {
  readonly type: 'register_asset';
  readonly code: string;
  readonly scale: number;
}
export interface AddAccountClassCommand {
  readonly type: 'add_account_class';
  readonly code: string;
}
export interface CreateCustomerCommand {
  readonly type: 'create_customer';
  readonly id: string;
  readonly name: string;
}
/** Registers a custody vault; journaled in its validated normal form (lower-case addresses). */
export interface RegisterVaultCommand {
  readonly type: 'register_vault';
  readonly vault: VaultInput;
}
export interface OpenAccountCommand {
  readonly type: 'open_account';
  readonly id: string;
  readonly owner: Owner;
  readonly asset: string;
  readonly segregationClass: SegregationClass;
  /** Required for customer-pool classes, absent otherwise. */
  readonly accountClass: string | null;
  /**
   * The registered vault whose coins a custody account records; required for custody classes, null for
   * claims. A custody balance backed by no real vault (FTX's `fiat@`) cannot be opened.
   */
  readonly vaultId: string | null;
}
/** A multi-leg transfer; with `hold` it reserves instead of posting (single leg only). */
export interface TransferCommand {
  readonly type: 'transfer';
  /** 128-bit id as 32 lower-case hex digits, chosen by the client. */
  readonly id: string;
  readonly kind: TransferKind;
  /** The basis: a fill id, a fee schedule, a signed instruction id, a tx hash, or the reversed transfer id. */
  readonly reference: string;
  /** The customer whose own instruction this is, when a customer asks for it. */
  readonly instructedBy: string | null;
  readonly legs: readonly Leg[];
  /** When set, the transfer is a hold (pending) that expires at this time unless posted or voided. */
  readonly holdExpiresAtMs: number | null;
}
export interface PostHoldCommand {
  readonly type: 'post_hold';
  readonly id: string;
  readonly holdId: string;
  /** Null posts the full pending amount; otherwise a partial post releasing the rest. */
  readonly amountMinor: bigint | null;
}
export interface VoidHoldCommand {
  readonly type: 'void_hold';
  readonly id: string;
  readonly holdId: string;
}

/** Everything the single writer can be asked to do. */
export type Command =
  | RegisterAssetCommand
  | AddAccountClassCommand
  | CreateCustomerCommand
  | RegisterVaultCommand
  | OpenAccountCommand
  | TransferCommand
  | PostHoldCommand
  | VoidHoldCommand;

/** A hold expiring is a journal entry the engine writes itself, at the first batch past its expiry. */
export interface ExpireHoldEntry {
  readonly type: 'expire_hold';
  readonly holdId: string;
}

/** A journal entry: an accepted command or an expiry. */
export type Entry = Command | ExpireHoldEntry;

/** The rejection returned as data: a stable snake_case code naming the broken rule, a message, details. */
export interface Rejection {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

export type CommandResult =
  | { readonly ok: true; readonly seq: number; readonly duplicate: boolean }
  | { readonly ok: false; readonly error: Rejection };

/** What the single writer hands the store for one durable commit. */
export interface CommittedBatch {
  readonly seq: number;
  readonly timestampMs: number;
  readonly prevHash: string;
  readonly hash: string;
  /** Canonical JSON of each entry, in order; the hash covers exactly these strings. */
  readonly entries: readonly StoredEntry[];
  /** New balances of every account the batch touched (a materialised view of the journal). */
  readonly balances: readonly AccountBalance[];
}

export interface StoredEntry {
  /** The transfer/command id for id-bearing entries; null for registry entries and expiries. */
  readonly id: string | null;
  readonly type: Entry['type'];
  readonly body: string;
}

/** A failed id, remembered so that it stays failed. */
export interface FailedId {
  readonly id: string;
  readonly fingerprint: string;
  readonly code: string;
  readonly message: string;
}

export interface AccountBalance {
  readonly id: string;
  readonly debitsPostedMinor: bigint;
  readonly creditsPostedMinor: bigint;
  readonly debitsPendingMinor: bigint;
  readonly creditsPendingMinor: bigint;
}

/** Materialised account with its balance columns. */
export interface Account extends AccountBalance {
  readonly owner: Owner;
  readonly asset: string;
  readonly segregationClass: SegregationClass;
  readonly accountClass: string | null;
  /** The vault a custody account records; null for claims. */
  readonly vaultId: string | null;
}
