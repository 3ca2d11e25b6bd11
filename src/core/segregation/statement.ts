// The daily segregation statement: per asset and per customer account class (a "segment"), never netted
// across either, the lines of the US futures segregation statement (CFTC 1.32, Form 1-FR-FCM):
//
//   net ledger balance + unrealised PnL = net equity
//   net equity + deficits added back    = requirement = Σ max(0, net equity of each customer)
//   funds held in segregation − unresolved shortfalls − requirement = excess (deficiency when negative)
//   excess − targeted residual interest = excess over target
//   top-up = max(0, Σ undermargined − excess)
//
// A customer in deficit never reduces what must be held for the others: the deficit is added back.

import { assert } from '../assert.ts';
import type { Vault } from '../custody/vault.ts';
import { CUSTOMER_VAULT_KINDS } from '../custody/vault.ts';
import { positive } from '../ledger/state.ts';
import type { Account } from '../ledger/types.ts';

/** One customer's position in one segment; amounts in the asset's minor units. */
export interface CustomerEquityInput {
  readonly customerId: string;
  /** Posted balance of the customer's collateral accounts in the segment. */
  readonly ledgerBalanceMinor: bigint;
  /** Open positions marked to market (zero until the margin engine exists). */
  readonly unrealisedPnlMinor: bigint;
  /** Margin the customer's positions require (zero until the margin engine exists). */
  readonly requiredMarginMinor: bigint;
}

/** What the margin engine knows about one customer in one segment. */
export interface MarginFigures {
  readonly unrealisedPnlMinor: bigint;
  readonly requiredMarginMinor: bigint;
}

/** The margin engine's figures per customer; absent customers have none. */
export interface MarginSource {
  figuresOf(customerId: string, asset: string, accountClass: string): MarginFigures | undefined;
}

/** Until the margin engine exists no customer has open positions. */
export const NO_MARGIN: MarginSource = { figuresOf: () => undefined };

/** Why a vault's holdings do not count as funds held in segregation. */
export type VaultIneligibility =
  | 'vault_not_registered'
  | 'vault_not_customer'
  | 'vault_not_acknowledged'
  | 'vault_class_mismatch';

/** One vault's ledger holdings in one segment, and whether they count. */
export interface VaultHoldingLine {
  readonly vaultId: string;
  readonly balanceMinor: bigint;
  readonly eligible: boolean;
  readonly ineligibility: VaultIneligibility | null;
}

/** Everything one segment's lines are computed from. */
export interface SegmentInput {
  readonly asset: string;
  readonly accountClass: string;
  /** One entry per customer with a position in the segment. */
  readonly customers: readonly CustomerEquityInput[];
  readonly vaults: readonly VaultHoldingLine[];
  /** The house's residual-interest balance on the books (cross-check: equals the excess when all is well). */
  readonly residualInterestLedgerMinor: bigint;
  /** Unresolved external breaks where the vault holds less than the books say (counted as a shortfall). */
  readonly unresolvedShortfallMinor: bigint;
  /** The firm's targeted residual interest for the segment. */
  readonly targetResidualInterestMinor: bigint;
}

/** Whether the segment is covered: deficient (excess < 0), below target, or compliant. */
export type SegmentStatus = 'deficient' | 'below_target' | 'compliant';

/** The statement lines of one segment. */
export interface SegmentLines {
  readonly asset: string;
  readonly accountClass: string;
  readonly customers: number;
  readonly customersInDeficit: number;
  /** 1. Σ ledger balances of customers (may include negatives). */
  readonly netLedgerBalanceMinor: bigint;
  /** 2. Σ unrealised PnL on open positions. */
  readonly unrealisedPnlMinor: bigint;
  /** 3. Net equity = 1 + 2 = Σ net equity of each customer. */
  readonly netEquityMinor: bigint;
  /** 4. Σ max(0, −net equity of each customer): deficits added back, never netted. */
  readonly deficitsAddedBackMinor: bigint;
  /** 5. Requirement = 3 + 4 = Σ max(0, net equity of each customer). */
  readonly requirementMinor: bigint;
  /** 6. Ledger holdings of registered, acknowledged customer vaults of this class. */
  readonly fundsHeldMinor: bigint;
  /** Holdings on the books of vaults that do not count (listed per vault in `vaults`). */
  readonly fundsNotEligibleMinor: bigint;
  /** 7. Unresolved unfavourable external breaks, deducted from funds held until resolved. */
  readonly unresolvedShortfallMinor: bigint;
  /** 8. Funds held net of shortfalls = 6 − 7. */
  readonly fundsHeldNetMinor: bigint;
  /** 9. Excess (deficiency when negative) = 8 − 5: the residual interest. */
  readonly excessMinor: bigint;
  /** 10. The firm's targeted residual interest. */
  readonly targetResidualInterestMinor: bigint;
  /** 11. Excess over target = 9 − 10 (negative: below target). */
  readonly excessOverTargetMinor: bigint;
  /** 12. Σ undermargined amounts, less the debits already added back (CFTC 1.22(c)). */
  readonly undermarginedMinor: bigint;
  /** 13. Firm top-up required = max(0, 12 − 9); also covers a deficiency. */
  readonly topUpRequiredMinor: bigint;
  /** Residual interest as booked in the ledger (informational cross-check). */
  readonly residualInterestLedgerMinor: bigint;
  readonly status: SegmentStatus;
  readonly vaults: readonly VaultHoldingLine[];
}

/** Computes one segment's lines. Each customer's equity stands alone: no customer offsets another. */
export function computeSegment(input: SegmentInput): SegmentLines {
  let netLedgerBalance = 0n;
  let unrealisedPnl = 0n;
  let deficits = 0n;
  let undermargined = 0n;
  let customersInDeficit = 0;
  // Every bigint operation allocates, and a statement visits millions of customers: zero terms are skipped.
  for (const customer of input.customers) {
    const balance = customer.ledgerBalanceMinor;
    const pnl = customer.unrealisedPnlMinor;
    const required = customer.requiredMarginMinor;
    if (balance !== 0n) netLedgerBalance += balance;
    let equity = balance;
    if (pnl !== 0n) {
      unrealisedPnl += pnl;
      equity = balance + pnl;
    }
    if (equity < 0n) {
      deficits -= equity;
      customersInDeficit += 1;
    }
    // undermargined_i = max(0, required − equity) less the debit already added back (never below zero):
    // max(0, required) for a customer in deficit, max(0, required − equity) otherwise.
    if (required > equity) undermargined += equity < 0n ? positive(required) : required - equity;
  }
  const netEquity = netLedgerBalance + unrealisedPnl;
  const requirement = netEquity + deficits;
  let fundsHeld = 0n;
  let fundsNotEligible = 0n;
  for (const vault of input.vaults) {
    if (vault.eligible) fundsHeld += vault.balanceMinor;
    else fundsNotEligible += vault.balanceMinor;
  }
  const fundsHeldNet = fundsHeld - input.unresolvedShortfallMinor;
  const excess = fundsHeldNet - requirement;
  const excessOverTarget = excess - input.targetResidualInterestMinor;
  return {
    asset: input.asset,
    accountClass: input.accountClass,
    customers: input.customers.length,
    customersInDeficit,
    netLedgerBalanceMinor: netLedgerBalance,
    unrealisedPnlMinor: unrealisedPnl,
    netEquityMinor: netEquity,
    deficitsAddedBackMinor: deficits,
    requirementMinor: requirement,
    fundsHeldMinor: fundsHeld,
    fundsNotEligibleMinor: fundsNotEligible,
    unresolvedShortfallMinor: input.unresolvedShortfallMinor,
    fundsHeldNetMinor: fundsHeldNet,
    excessMinor: excess,
    targetResidualInterestMinor: input.targetResidualInterestMinor,
    excessOverTargetMinor: excessOverTarget,
    undermarginedMinor: undermargined,
    topUpRequiredMinor: positive(undermargined - excess),
    residualInterestLedgerMinor: input.residualInterestLedgerMinor,
    status: excess < 0n ? 'deficient' : excessOverTarget < 0n ? 'below_target' : 'compliant',
    vaults: [...input.vaults].sort((a, b) => compareText(a.vaultId, b.vaultId)),
  };
}

/** Per-segment settings the books do not hold. */
export interface SegmentSettings {
  /** Targeted residual interest per segment key (`segmentKey`); absent means zero. */
  readonly targets: ReadonlyMap<string, bigint>;
  /** Unresolved unfavourable break amounts per segment key; absent means zero. */
  readonly shortfalls: ReadonlyMap<string, bigint>;
  readonly margin: MarginSource;
}

/** The key of a segment in settings maps. */
export function segmentKey(asset: string, accountClass: string): string {
  return `${asset}/${accountClass}`;
}

/** Why a vault does not count as segregated funds for a custody account of `accountClass`, or null. */
export function vaultIneligibility(
  vault: Vault | undefined,
  accountClass: string,
): VaultIneligibility | null {
  if (vault === undefined) return 'vault_not_registered';
  if (!CUSTOMER_VAULT_KINDS.has(vault.kind)) return 'vault_not_customer';
  if (vault.acknowledgment === null) return 'vault_not_acknowledged';
  if (vault.accountClass !== accountClass) return 'vault_class_mismatch';
  return null;
}

/** A customer's position in one segment while the books are read; handed out as a CustomerEquityInput. */
interface CustomerPosition {
  readonly customerId: string;
  ledgerBalanceMinor: bigint;
  readonly unrealisedPnlMinor: bigint;
  readonly requiredMarginMinor: bigint;
}

interface SegmentBuilder {
  readonly asset: string;
  readonly accountClass: string;
  /** One position per customer, in the order the customers were first seen. */
  readonly customers: CustomerPosition[];
  readonly vaults: Map<string, bigint>;
  residualInterestMinor: bigint;
}

/**
 * Builds every customer segment's input from account snapshots: collateral accounts are summed per customer
 * (a customer's own accounts offset each other, nobody else's do), custody accounts per vault. The margin
 * source is asked once per customer and segment. One pass, sized for millions of accounts: no key string is
 * built per account and a customer's positions are found through `CustomerPositions`.
 */
export function collectSegments(
  accounts: Iterable<Account>,
  vaults: ReadonlyMap<string, Vault>,
  settings: SegmentSettings,
): SegmentInput[] {
  const builders: SegmentBuilder[] = [];
  const buildersByAsset = new Map<string, Map<string, SegmentBuilder>>();
  let lastBuilder: SegmentBuilder | undefined;
  const builderOf = (asset: string, accountClass: string): SegmentBuilder => {
    if (lastBuilder !== undefined && lastBuilder.asset === asset && lastBuilder.accountClass === accountClass)
      return lastBuilder;
    let byClass = buildersByAsset.get(asset);
    if (byClass === undefined) {
      byClass = new Map();
      buildersByAsset.set(asset, byClass);
    }
    let builder = byClass.get(accountClass);
    if (builder === undefined) {
      builder = { asset, accountClass, customers: [], vaults: new Map(), residualInterestMinor: 0n };
      byClass.set(accountClass, builder);
      builders.push(builder);
    }
    lastBuilder = builder;
    return builder;
  };
  const positions = new CustomerPositions();
  for (const account of accounts) {
    const accountClass = account.accountClass;
    if (accountClass === null) continue;
    switch (account.segregationClass) {
      case 'customer_collateral': {
        if (account.owner.type !== 'customer') continue;
        const customerId = account.owner.customerId;
        const builder = builderOf(account.asset, accountClass);
        const debits = account.debitsPostedMinor;
        const balance = debits === 0n ? account.creditsPostedMinor : account.creditsPostedMinor - debits;
        const position = positions.find(customerId, builder);
        if (position !== undefined) {
          position.ledgerBalanceMinor += balance;
          break;
        }
        // Asked while the customer's id is still in cache: a lookup per customer per segment is the cost.
        const figures = settings.margin.figuresOf(customerId, builder.asset, builder.accountClass);
        const created: CustomerPosition = {
          customerId,
          ledgerBalanceMinor: balance,
          unrealisedPnlMinor: figures?.unrealisedPnlMinor ?? 0n,
          requiredMarginMinor: figures?.requiredMarginMinor ?? 0n,
        };
        builder.customers.push(created);
        positions.add(builder, created);
        break;
      }
      case 'segregated_custody': {
        const builder = builderOf(account.asset, accountClass);
        const vaultId = account.vaultId ?? '';
        const balance = account.debitsPostedMinor - account.creditsPostedMinor;
        builder.vaults.set(vaultId, (builder.vaults.get(vaultId) ?? 0n) + balance);
        break;
      }
      case 'residual_interest':
        builderOf(account.asset, accountClass).residualInterestMinor +=
          account.creditsPostedMinor - account.debitsPostedMinor;
        break;
      default:
        break;
    }
  }
  for (const key of [...settings.targets.keys(), ...settings.shortfalls.keys()]) {
    const [asset, accountClass] = key.split('/') as [string, string];
    builderOf(asset, accountClass);
  }
  return builders
    .sort((a, b) => compareText(a.asset, b.asset) || compareText(a.accountClass, b.accountClass))
    .map((builder) => {
      const key = segmentKey(builder.asset, builder.accountClass);
      const vaultLines: VaultHoldingLine[] = [...builder.vaults].map(([vaultId, balanceMinor]) => {
        const ineligibility = vaultIneligibility(vaults.get(vaultId), builder.accountClass);
        return { vaultId, balanceMinor, eligible: ineligibility === null, ineligibility };
      });
      return {
        asset: builder.asset,
        accountClass: builder.accountClass,
        customers: builder.customers,
        vaults: vaultLines,
        residualInterestLedgerMinor: builder.residualInterestMinor,
        unresolvedShortfallMinor: settings.shortfalls.get(key) ?? 0n,
        targetResidualInterestMinor: settings.targets.get(key) ?? 0n,
      };
    });
}

/** Slots the customer index starts with; it doubles whenever it is half full. */
const CUSTOMER_SLOTS_INITIAL = 1_024;

/**
 * Every customer's positions across segments, found by customer id. A customer's accounts usually follow one
 * another in the books, so the current customer's positions are kept at hand and the index is searched once
 * per run of accounts, not once per account. At a million customers a JS Map costs several cache misses per
 * lookup and insert; this open-addressing index keeps each slot's hash and first position side by side in
 * one Int32Array, so a new customer costs one probe, and it grows without reading a single id again.
 */
class CustomerPositions {
  /** Pairs [hash, index of the customer's first position]; hash 0 marks an empty slot. */
  #slots = new Int32Array(2 * CUSTOMER_SLOTS_INITIAL);
  #slotMask = CUSTOMER_SLOTS_INITIAL - 1;
  #customers = 0;
  /** Every position, its segment, and the index of the same customer's next position (-1: none). */
  readonly #positions: CustomerPosition[] = [];
  readonly #segments: SegmentBuilder[] = [];
  readonly #next: number[] = [];
  #runCustomerId: string | undefined = undefined;
  #runHash = 0;
  #runFirst = -1;

  /** The customer's position in the segment, if any; `add` then adds to this customer. */
  find(customerId: string, segment: SegmentBuilder): CustomerPosition | undefined {
    if (customerId !== this.#runCustomerId) {
      this.#runCustomerId = customerId;
      this.#runHash = hashText(customerId);
      this.#runFirst = this.#lookup(customerId, this.#runHash);
    }
    for (let at = this.#runFirst; at >= 0; at = this.#next[at]!) {
      if (this.#segments[at] === segment) return this.#positions[at];
    }
    return undefined;
  }

  /** Records a new position, in `segment`, of the customer last passed to `find`. */
  add(segment: SegmentBuilder, position: CustomerPosition): void {
    assert(position.customerId === this.#runCustomerId, 'a position is added for the customer just found');
    const index = this.#positions.length;
    this.#positions.push(position);
    this.#segments.push(segment);
    this.#next.push(-1);
    if (this.#runFirst < 0) {
      this.#runFirst = index;
      this.#insert(this.#runHash, index);
      return;
    }
    let last = this.#runFirst;
    while (this.#next[last]! >= 0) last = this.#next[last]!;
    this.#next[last] = index;
  }

  #lookup(customerId: string, hash: number): number {
    const slots = this.#slots;
    const mask = this.#slotMask;
    for (let slot = hash & mask; slots[2 * slot] !== 0; slot = (slot + 1) & mask) {
      if (slots[2 * slot] !== hash) continue;
      const first = slots[2 * slot + 1]!;
      if (this.#positions[first]!.customerId === customerId) return first;
    }
    return -1;
  }

  #insert(hash: number, first: number): void {
    this.#customers += 1;
    if (2 * this.#customers > this.#slotMask + 1) {
      const old = this.#slots;
      this.#slots = new Int32Array(2 * old.length);
      this.#slotMask = old.length - 1;
      for (let at = 0; at < old.length; at += 2) {
        if (old[at] !== 0) place(this.#slots, this.#slotMask, old[at]!, old[at + 1]!);
      }
    }
    place(this.#slots, this.#slotMask, hash, first);
  }
}

/** Puts [hash, value] into the first free slot from the hash's own (linear probing). */
function place(slots: Int32Array, mask: number, hash: number, value: number): void {
  let slot = hash & mask;
  while (slots[2 * slot] !== 0) slot = (slot + 1) & mask;
  slots[2 * slot] = hash;
  slots[2 * slot + 1] = value;
}

/** FNV-1a over the UTF-16 code units, never 0 (0 marks an empty slot). */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < text.length; at++) hash = Math.imul(hash ^ text.charCodeAt(at), 0x01000193);
  return hash === 0 ? 1 : hash;
}

/** Code-point order, so sorting never depends on the locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
