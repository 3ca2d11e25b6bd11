// The segregation classes, the pools they belong to and the transfer kinds, as data the rules read.
// Per pool the accounting identity holds: custody (where the coins are) = claims (whom they belong to).

/** Every account carries one of these classes; it decides its owner, pool, side and limits. */
export const SEGREGATION_CLASSES = [
  'customer_collateral',
  'segregated_custody',
  'residual_interest',
  'house_custody',
  'house_equity',
  'external',
  'insurance_custody',
  'insurance_fund',
] as const;
export type SegregationClass = (typeof SEGREGATION_CLASSES)[number];

/** The three pools; money crosses between them only through the transfer kinds that say so. */
export type Pool = 'customer' | 'house' | 'insurance';

/** 'custody' accounts are debit-normal (coins held); 'claim' accounts are credit-normal (who owns them). */
export type Side = 'custody' | 'claim';

export interface ClassRules {
  readonly pool: Pool;
  readonly side: Side;
  readonly owner: 'customer' | 'house';
  /** Customer-pool accounts carry a customer account class (derivatives, spot...): each is its own pool. */
  readonly hasAccountClass: boolean;
  /** The code returned when the available balance would fall below zero; null when the class may go negative. */
  readonly negativeCode: string | null;
}

/** The rule table of every segregation class. */
export const CLASS_RULES: Readonly<Record<SegregationClass, ClassRules>> = {
  customer_collateral: {
    pool: 'customer',
    side: 'claim',
    owner: 'customer',
    hasAccountClass: true,
    negativeCode: 'segregation_customer_claim_negative',
  },
  segregated_custody: {
    pool: 'customer',
    side: 'custody',
    owner: 'house',
    hasAccountClass: true,
    negativeCode: 'custody_balance_negative',
  },
  residual_interest: {
    pool: 'customer',
    side: 'claim',
    owner: 'house',
    hasAccountClass: true,
    negativeCode: 'segregation_residual_interest_negative',
  },
  house_custody: {
    pool: 'house',
    side: 'custody',
    owner: 'house',
    hasAccountClass: false,
    negativeCode: 'custody_balance_negative',
  },
  // The house's own equity may be negative: that is the house's insolvency, which segregation exists to contain.
  house_equity: { pool: 'house', side: 'claim', owner: 'house', hasAccountClass: false, negativeCode: null },
  external: { pool: 'house', side: 'claim', owner: 'house', hasAccountClass: false, negativeCode: null },
  insurance_custody: {
    pool: 'insurance',
    side: 'custody',
    owner: 'house',
    hasAccountClass: false,
    negativeCode: 'custody_balance_negative',
  },
  insurance_fund: {
    pool: 'insurance',
    side: 'claim',
    owner: 'house',
    hasAccountClass: false,
    negativeCode: 'insurance_fund_negative',
  },
};

/** What a transfer is for; the kind decides which (debit class, credit class) pairs its legs may use. */
export const TRANSFER_KINDS = [
  'deposit',
  'withdrawal',
  'internal_transfer',
  'trade_settlement',
  'fee',
  'residual_interest_deposit',
  'residual_interest_withdrawal',
  'insurance_fund_deposit',
  'insurance_fund_withdrawal',
  'insurance_fund_payout',
  'house_capital',
  'house_transfer',
  'custody_rebalance',
  'correction',
] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

type Pair = readonly [debit: SegregationClass, credit: SegregationClass];

/**
 * The segregation rule matrix: for each kind, the only (debit class, credit class) pairs a leg may use.
 * A correction has no pairs of its own: it must be the exact reversal of a committed transfer.
 */
export const ALLOWED_LEGS: Readonly<Record<TransferKind, readonly Pair[]>> = {
  deposit: [['segregated_custody', 'customer_collateral']],
  withdrawal: [['customer_collateral', 'segregated_custody']],
  internal_transfer: [
    ['customer_collateral', 'customer_collateral'],
    ['segregated_custody', 'segregated_custody'],
  ],
  // The house as a trading counterparty settles through residual interest, house money already inside
  // segregation: its gains stay segregated until the residual-interest gate releases them, its losses are
  // paid only from what it placed there.
  trade_settlement: [
    ['customer_collateral', 'customer_collateral'],
    ['customer_collateral', 'residual_interest'],
    ['residual_interest', 'customer_collateral'],
  ],
  fee: [['customer_collateral', 'residual_interest']],
  residual_interest_deposit: [
    ['segregated_custody', 'house_custody'],
    ['house_equity', 'residual_interest'],
  ],
  residual_interest_withdrawal: [
    ['house_custody', 'segregated_custody'],
    ['residual_interest', 'house_equity'],
  ],
  insurance_fund_deposit: [
    ['insurance_custody', 'house_custody'],
    ['house_equity', 'insurance_fund'],
  ],
  insurance_fund_withdrawal: [
    ['house_custody', 'insurance_custody'],
    ['insurance_fund', 'house_equity'],
  ],
  insurance_fund_payout: [
    ['segregated_custody', 'insurance_custody'],
    ['insurance_fund', 'customer_collateral'],
  ],
  house_capital: [
    ['house_custody', 'external'],
    ['external', 'house_custody'],
  ],
  house_transfer: [
    ['house_custody', 'house_custody'],
    ['house_equity', 'house_equity'],
    ['house_equity', 'external'],
    ['external', 'house_equity'],
  ],
  custody_rebalance: [
    ['segregated_custody', 'segregated_custody'],
    ['house_custody', 'house_custody'],
    ['insurance_custody', 'insurance_custody'],
  ],
  correction: [],
};

/** Kinds whose debit of a customer claim must be the debited customer's own instruction. */
export const INSTRUCTED_KINDS: ReadonlySet<TransferKind> = new Set(['withdrawal', 'internal_transfer']);

// The matrix as lookup sets ("debit>credit" per kind), built once: the check runs for every leg.
const ALLOWED_PAIR_KEYS: ReadonlyMap<TransferKind, ReadonlySet<string>> = new Map(
  TRANSFER_KINDS.map((kind) => [kind, new Set(ALLOWED_LEGS[kind].map(([d, c]) => `${d}>${c}`))]),
);
const PAIR_KEYS: ReadonlyMap<SegregationClass, ReadonlyMap<SegregationClass, string>> = new Map(
  SEGREGATION_CLASSES.map((d) => [d, new Map(SEGREGATION_CLASSES.map((c) => [c, `${d}>${c}`]))]),
);

/** True when the pair is allowed for the kind. */
export function isLegAllowed(kind: TransferKind, debit: SegregationClass, credit: SegregationClass): boolean {
  const key = PAIR_KEYS.get(debit)?.get(credit);
  return key !== undefined && ALLOWED_PAIR_KEYS.get(kind)?.has(key) === true;
}
