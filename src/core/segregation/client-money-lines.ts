// The UK client-money calculation (FCA CASS 7.16) as it appears on a statement under the `uk_cass` regime:
// the client money requirement (positive individual client balances, debtors excluded) against the client
// money resource, and the transfer the firm's chosen approach calls for.

/** CASS 7.13: money paid straight into client accounts (normal) or first into the firm's own (alternative). */
export type ClientMoneyApproach = 'normal' | 'alternative';

/** One segment's client-money calculation. */
export interface ClientMoneyLines {
  readonly asset: string;
  readonly accountClass: string;
  readonly approach: ClientMoneyApproach;
  /** Σ max(0, individual client balance) + margined transaction requirement, at the statement's cut-off. */
  readonly requirementMinor: bigint;
  /** Σ max(0, −individual client balance): debtors, excluded from the requirement, never netted. */
  readonly debtorBalancesExcludedMinor: bigint;
  readonly marginedTransactionRequirementMinor: bigint;
  /**
   * Client money resource the calculation uses: at the cut-off under the normal approach, before today's
   * transfer (now) under the alternative approach.
   */
  readonly resourceMinor: bigint;
  /** The prudent segregation buffer the alternative approach keeps (zero under the normal approach). */
  readonly prudentSegregationMinor: bigint;
  /** Positive: the firm pays this into client accounts; negative: it may withdraw this excess. */
  readonly transferMinor: bigint;
  readonly outcome: 'balanced' | 'shortfall' | 'excess';
  /** Close of business of the day the calculation is performed (CASS 7.15.29R). */
  readonly dueAtMs: number;
}
