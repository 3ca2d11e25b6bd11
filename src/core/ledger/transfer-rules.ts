// The segregation rule matrix applied to one transfer, in a fixed order of precedence:
// shape, accounts and assets, basis (reference and instruction), leg pairs by kind, correction,
// balance limits, custody coverage, pool identity. The first broken rule is the rejection.

import { AMOUNT_MINOR_MAX } from '../money/amount.ts';
import { CLASS_RULES, INSTRUCTED_KINDS, isLegAllowed, type TransferKind } from './classes.ts';
import { TRANSFER_LEGS_MAX } from './limits.ts';
import { type AccountState, availableOf, type PoolState, positive } from './state.ts';
import type { Leg, Rejection, TransferCommand } from './types.ts';

/** Balance column increments a transfer would apply to one account. */
export interface Delta {
  readonly account: AccountState;
  debitsPostedMinor: bigint;
  creditsPostedMinor: bigint;
  debitsPendingMinor: bigint;
  creditsPendingMinor: bigint;
}

/** One delta per distinct account the transfer touches, in first-touch order. */
export type TransferPlan = Delta[];

/** What the rules need to read from the ledger. */
export interface RuleContext {
  account(id: string): AccountState | undefined;
  hasAsset(code: string): boolean;
  hasCustomer(id: string): boolean;
  /** The legs of a committed, non-hold transfer, or undefined. */
  committedTransferLegs(id: string): readonly Leg[] | undefined;
  isReversed(id: string): boolean;
  /** The one customer a vault serves, when it is a customer_individual vault; null otherwise. */
  vaultCustomer(vaultId: string): string | null;
}

export type CheckResult = { ok: true; plan: TransferPlan } | { ok: false; error: Rejection };

const reject = (code: string, message: string, details?: Rejection['details']): CheckResult => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

/** Checks a transfer against every rule; on success returns the balance deltas to apply. */
export function checkTransfer(context: RuleContext, command: TransferCommand, nowMs: number): CheckResult {
  const shape = checkShape(command, nowMs);
  if (shape !== null) return shape;
  const accounts: [AccountState, AccountState][] = [];
  for (let index = 0; index < command.legs.length; index += 1) {
    const resolved = resolveLeg(context, command.legs[index]!, index);
    if (!Array.isArray(resolved)) return resolved;
    accounts.push(resolved);
  }
  const basis = checkBasis(context, command, accounts);
  if (basis !== null) return basis;
  if (command.kind === 'correction') {
    const correction = checkCorrection(context, command);
    if (correction !== null) return correction;
  } else {
    for (let index = 0; index < accounts.length; index += 1) {
      const [debit, credit] = accounts[index]!;
      const pair =
        checkLegPair(command.kind, debit, credit, index) ??
        checkIndividualVault(context, debit, credit, index);
      if (pair !== null) return pair;
    }
  }
  const plan = planDeltas(command, accounts);
  return (
    checkLimits(plan) ?? checkCoverage(plan) ?? checkPoolIdentity(command, accounts) ?? { ok: true, plan }
  );
}

function checkShape(command: TransferCommand, nowMs: number): CheckResult | null {
  if (command.legs.length === 0) return reject('transfer_legs_empty', 'a transfer needs at least one leg');
  if (command.legs.length > TRANSFER_LEGS_MAX) {
    return reject('transfer_legs_too_many', `a transfer has at most ${TRANSFER_LEGS_MAX} legs`);
  }
  for (let index = 0; index < command.legs.length; index += 1) {
    const leg = command.legs[index]!;
    if (leg.amountMinor <= 0n)
      return reject('amount_not_positive', 'leg amount must be positive', { leg: index });
    if (leg.amountMinor > AMOUNT_MINOR_MAX)
      return reject('amount_overflow', 'leg amount exceeds u128', { leg: index });
    if (leg.debit === leg.credit) {
      return reject('transfer_same_account', 'a leg cannot debit and credit the same account', {
        leg: index,
      });
    }
  }
  if (command.holdExpiresAtMs !== null) {
    if (command.legs.length !== 1) return reject('hold_must_have_one_leg', 'a hold reserves exactly one leg');
    if (command.holdExpiresAtMs <= nowMs) {
      return reject('hold_expiry_not_in_future', 'a hold must expire after it is placed', { nowMs });
    }
  }
  return null;
}

function resolveLeg(
  context: RuleContext,
  leg: Leg,
  index: number,
): [AccountState, AccountState] | CheckResult {
  if (!context.hasAsset(leg.asset))
    return reject('asset_unknown', `asset ${leg.asset} is not registered`, { leg: index });
  const debit = context.account(leg.debit);
  if (debit === undefined)
    return reject('account_not_found', `account ${leg.debit} does not exist`, {
      leg: index,
      account: leg.debit,
    });
  const credit = context.account(leg.credit);
  if (credit === undefined)
    return reject('account_not_found', `account ${leg.credit} does not exist`, {
      leg: index,
      account: leg.credit,
    });
  if (debit.asset !== leg.asset || credit.asset !== leg.asset) {
    return reject('transfer_asset_mismatch', 'both accounts of a leg must hold the leg asset', {
      leg: index,
      asset: leg.asset,
      debitAsset: debit.asset,
      creditAsset: credit.asset,
    });
  }
  return [debit, credit];
}

// A customer claim may be debited only by the customer's own instruction, by a trade settlement with a
// counterparty reference, or by a fee with a fee basis; every other kind names its basis too.
function checkBasis(
  context: RuleContext,
  command: TransferCommand,
  accounts: readonly [AccountState, AccountState][],
): CheckResult | null {
  const hasReference = command.reference.length > 0;
  if (INSTRUCTED_KINDS.has(command.kind)) {
    if (command.instructedBy === null || !hasReference) {
      return reject(
        'segregation_customer_debit_requires_instruction',
        `a ${command.kind} needs the debited customer's own instruction (instructedBy and reference)`,
      );
    }
    if (!context.hasCustomer(command.instructedBy)) {
      return reject('customer_not_found', `customer ${command.instructedBy} does not exist`);
    }
    for (const [index, [debit]] of accounts.entries()) {
      const owner = debit.owner;
      if (
        debit.segregationClass === 'customer_collateral' &&
        owner.type === 'customer' &&
        owner.customerId !== command.instructedBy
      ) {
        return reject(
          'segregation_instruction_customer_mismatch',
          `customer ${command.instructedBy} cannot instruct a debit of ${owner.customerId}'s account`,
          { leg: index, account: debit.id },
        );
      }
    }
    return null;
  }
  if (hasReference) return null;
  if (command.kind === 'trade_settlement') {
    return reject(
      'segregation_trade_requires_counterparty_reference',
      'a trade settlement must name its fill',
    );
  }
  if (command.kind === 'fee')
    return reject('segregation_fee_requires_basis', 'a fee must name its fee basis');
  if (command.kind === 'correction') {
    return reject('correction_reference_unknown', 'a correction must name the transfer it reverses');
  }
  return reject('transfer_reference_required', `a ${command.kind} must carry a reference (its basis)`);
}

function checkLegPair(
  kind: TransferKind,
  debit: AccountState,
  credit: AccountState,
  index: number,
): CheckResult | null {
  const d = debit.segregationClass;
  const c = credit.segregationClass;
  const details = { leg: index, kind, debitClass: d, creditClass: c };
  if (!isLegAllowed(kind, d, c)) {
    if (c === 'segregated_custody' && d !== 'segregated_custody') {
      return reject(
        'segregation_custody_exit_forbidden',
        'segregated custody may leave segregation only for a customer withdrawal or a residual-interest withdrawal',
        details,
      );
    }
    if (d === 'customer_collateral' && CLASS_RULES[c].owner === 'house') {
      return reject(
        'segregation_customer_to_house_forbidden',
        `a ${kind} cannot move a customer claim to the house`,
        details,
      );
    }
    if (CLASS_RULES[d].pool !== CLASS_RULES[c].pool) {
      return reject(
        'segregation_pool_mixing_forbidden',
        `a ${kind} cannot move value between the ${CLASS_RULES[d].pool} and ${CLASS_RULES[c].pool} pools`,
        details,
      );
    }
    return reject(
      'transfer_leg_not_allowed_for_kind',
      `a ${kind} cannot debit ${d} and credit ${c}`,
      details,
    );
  }
  // Each customer account class is segregated and computed on its own; only the customer's own
  // internal transfer moves value between classes (and must move the custody with it).
  if (
    debit.accountClass !== null &&
    credit.accountClass !== null &&
    debit.accountClass !== credit.accountClass &&
    kind !== 'internal_transfer'
  ) {
    return reject(
      'segregation_account_class_mixing_forbidden',
      `a ${kind} cannot move value between account classes`,
      {
        ...details,
        debitAccountClass: debit.accountClass,
        creditAccountClass: credit.accountClass,
      },
    );
  }
  return null;
}

// A customer_individual vault holds one customer's coins: its custody moves only against that customer's claim.
function checkIndividualVault(
  context: RuleContext,
  debit: AccountState,
  credit: AccountState,
  index: number,
): CheckResult | null {
  for (const [custody, claim] of [
    [debit, credit],
    [credit, debit],
  ] as const) {
    if (custody.vaultId === null || claim.owner.type !== 'customer') continue;
    const only = context.vaultCustomer(custody.vaultId);
    if (only !== null && only !== claim.owner.customerId) {
      return reject(
        'vault_customer_mismatch',
        `vault ${custody.vaultId} holds only customer ${only}'s assets`,
        {
          leg: index,
          vaultId: custody.vaultId,
          customerId: claim.owner.customerId,
        },
      );
    }
  }
  return null;
}

// A correction is the exact reversal of one committed transfer, once: it cannot invent new movements.
function checkCorrection(context: RuleContext, command: TransferCommand): CheckResult | null {
  const original = context.committedTransferLegs(command.reference);
  if (original === undefined) {
    return reject('correction_reference_unknown', `no committed transfer ${command.reference} to reverse`);
  }
  if (context.isReversed(command.reference)) {
    return reject('correction_already_reversed', `transfer ${command.reference} was already reversed`);
  }
  const exact =
    original.length === command.legs.length &&
    original.every((leg, index) => {
      const mirror = command.legs[index];
      return (
        mirror !== undefined &&
        mirror.debit === leg.credit &&
        mirror.credit === leg.debit &&
        mirror.asset === leg.asset &&
        mirror.amountMinor === leg.amountMinor
      );
    });
  if (!exact) {
    return reject(
      'correction_not_exact_reversal',
      'a correction must mirror every leg of the reversed transfer, in order',
    );
  }
  return null;
}

function planDeltas(
  command: TransferCommand,
  accounts: readonly [AccountState, AccountState][],
): TransferPlan {
  const plan: TransferPlan = [];
  const pending = command.holdExpiresAtMs !== null;
  for (let index = 0; index < accounts.length; index += 1) {
    const [debit, credit] = accounts[index]!;
    const amount = command.legs[index]!.amountMinor;
    const d = deltaOf(plan, debit);
    const c = deltaOf(plan, credit);
    if (pending) {
      d.debitsPendingMinor += amount;
      c.creditsPendingMinor += amount;
    } else {
      d.debitsPostedMinor += amount;
      c.creditsPostedMinor += amount;
    }
  }
  return plan;
}

// Transfers touch a handful of accounts: a linear scan beats a Map here.
function deltaOf(plan: TransferPlan, account: AccountState): Delta {
  for (const delta of plan) if (delta.account === account) return delta;
  const delta: Delta = {
    account,
    debitsPostedMinor: 0n,
    creditsPostedMinor: 0n,
    debitsPendingMinor: 0n,
    creditsPendingMinor: 0n,
  };
  plan.push(delta);
  return delta;
}

function availableAfter(account: AccountState, delta: Delta): bigint {
  return availableOf(
    account.rules.side,
    account.debitsPostedMinor + delta.debitsPostedMinor,
    account.creditsPostedMinor + delta.creditsPostedMinor,
    account.debitsPendingMinor + delta.debitsPendingMinor,
    account.creditsPendingMinor + delta.creditsPendingMinor,
  );
}

function availableNow(account: AccountState): bigint {
  return availableOf(
    account.rules.side,
    account.debitsPostedMinor,
    account.creditsPostedMinor,
    account.debitsPendingMinor,
    account.creditsPendingMinor,
  );
}

// No allow_negative: customer claims, custody, residual interest and the insurance fund never go below
// zero on their available balance (pending outflows counted).
function checkLimits(plan: TransferPlan): CheckResult | null {
  for (const delta of plan) {
    const account = delta.account;
    if (
      account.debitsPostedMinor + delta.debitsPostedMinor > AMOUNT_MINOR_MAX ||
      account.creditsPostedMinor + delta.creditsPostedMinor > AMOUNT_MINOR_MAX ||
      account.debitsPendingMinor + delta.debitsPendingMinor > AMOUNT_MINOR_MAX ||
      account.creditsPendingMinor + delta.creditsPendingMinor > AMOUNT_MINOR_MAX
    ) {
      return reject('account_balance_overflow', `account ${account.id} would exceed 2^128-1 minor units`, {
        account: account.id,
      });
    }
    const code = account.rules.negativeCode;
    if (code === null) continue;
    const available = availableAfter(account, delta);
    if (available < 0n) {
      return reject(code, `account ${account.id} would go below zero`, {
        account: account.id,
        availableMinor: availableNow(account).toString(),
        shortfallMinor: (-available).toString(),
      });
    }
  }
  return null;
}

// Per asset and account class, segregated custody must stay >= the sum of positive customer claims;
// a deficit of one customer is never netted against the credits of another (CFTC 1.20, 1.32).
function checkCoverage(plan: TransferPlan): CheckResult | null {
  for (let first = 0; first < plan.length; first += 1) {
    const pool = plan[first]!.account.pool;
    if (pool.pool !== 'customer' || plan.findIndex((delta) => delta.account.pool === pool) !== first)
      continue;
    let custody = pool.custodyAvailableMinor;
    let claims = pool.customerClaimsPositiveMinor;
    for (let index = first; index < plan.length; index += 1) {
      const delta = plan[index]!;
      const account = delta.account;
      if (account.pool !== pool) continue;
      const before = availableNow(account);
      const after = availableAfter(account, delta);
      if (account.rules.side === 'custody') custody += after - before;
      if (account.segregationClass === 'customer_collateral') claims += positive(after) - positive(before);
    }
    if (custody < claims) {
      return reject(
        'segregation_custody_below_customer_claims',
        `segregated custody of ${pool.asset}/${pool.accountClass} would fall below customer claims`,
        {
          asset: pool.asset,
          accountClass: pool.accountClass,
          custodyMinor: custody.toString(),
          customerClaimsMinor: claims.toString(),
        },
      );
    }
  }
  return null;
}

// Per pool, custody = claims: a transfer must move both sides by the same amount, so value can enter or
// leave a pool only as coins and claims together (the house and insurance pools never mix with customers').
function checkPoolIdentity(
  command: TransferCommand,
  accounts: readonly [AccountState, AccountState][],
): CheckResult | null {
  const pools: PoolState[] = [];
  const imbalances: bigint[] = [];
  for (let index = 0; index < accounts.length; index += 1) {
    const [debit, credit] = accounts[index]!;
    // A leg inside one pool moves custody and claims alike; only legs across pools can unbalance one.
    if (debit.pool === credit.pool) continue;
    const amount = command.legs[index]!.amountMinor;
    // custody - claims: a debit raises custody or lowers a claim; a credit does the opposite.
    addImbalance(pools, imbalances, debit.pool, amount);
    addImbalance(pools, imbalances, credit.pool, -amount);
  }
  for (let index = 0; index < pools.length; index += 1) {
    const imbalance = imbalances[index]!;
    if (imbalance !== 0n) {
      const pool = pools[index]!;
      return reject(
        'segregation_pool_unbalanced',
        `the ${pool.key} pool would hold custody different from its claims`,
        {
          pool: pool.key,
          imbalanceMinor: imbalance.toString(),
        },
      );
    }
  }
  return null;
}

function addImbalance(pools: PoolState[], imbalances: bigint[], pool: PoolState, amount: bigint): void {
  const index = pools.indexOf(pool);
  if (index === -1) {
    pools.push(pool);
    imbalances.push(amount);
  } else {
    imbalances[index] = imbalances[index]! + amount;
  }
}
