// The UK client-money calculation (FCA CASS 7, standard method, individual client balance method): the client
// money requirement, and the daily internal reconciliation of requirement against resource under the normal
// or the alternative approach, whichever the deployment selected. Sources and caveats: docs/reconciliation.md.

import { assert } from '../assert.ts';
import { type Rejected, rejected } from '../custody/rejection.ts';
import { ENTITY_ID_PATTERN } from '../ledger/patterns.ts';

/** The rejection code of this module: an input that can have no meaning (a negative balance held, ...). */
export type ClientMoneyErrorCode = 'client_money_input_invalid';

/** One individual client balance (CASS 7.16.16R): a client, or a client and product line (`c42:fx`). */
export interface IndividualClientBalance {
  readonly clientId: string;
  /** Negative for a debtor (the client owes the firm). */
  readonly individualClientBalanceMinor: bigint;
}

/** The client money requirement and how it was built. */
export interface ClientMoneyRequirement {
  /** Σ max(0, ICB) + MTR: debtors are excluded, never netted against other clients' credits. */
  readonly requirementMinor: bigint;
  /** Σ max(0, ICB). */
  readonly positiveBalancesMinor: bigint;
  /** Σ max(0, −ICB): what debtors owe, left out of the requirement. */
  readonly debtorBalancesExcludedMinor: bigint;
  readonly marginedTransactionRequirementMinor: bigint;
  /** How many balances were summed. */
  readonly clients: number;
  /** How many of them were negative. */
  readonly debtors: number;
}

export type ComputeClientMoneyRequirementResult =
  | { readonly ok: true; readonly requirement: ClientMoneyRequirement }
  | Rejected<ClientMoneyErrorCode>;

/**
 * Computes the client money requirement: Σ over clients of max(0, ICB), plus the margined transaction
 * requirement. Rejects an invalid or repeated client id and a negative MTR.
 */
export function computeClientMoneyRequirement(
  clients: Iterable<IndividualClientBalance>,
  marginedTransactionRequirementMinor: bigint,
): ComputeClientMoneyRequirementResult {
  if (marginedTransactionRequirementMinor < 0n) {
    return invalid('the margined transaction requirement is never negative', {
      field: 'marginedTransactionRequirementMinor',
      value: marginedTransactionRequirementMinor.toString(),
    });
  }
  const seen = new Set<string>();
  let positiveBalancesMinor = 0n;
  let debtorBalancesExcludedMinor = 0n;
  let count = 0;
  let debtors = 0;
  for (const client of clients) {
    if (!ENTITY_ID_PATTERN.test(client.clientId) || seen.has(client.clientId)) {
      return invalid('each balance has its own client id of 1-128 letters, digits and ":._-"', {
        field: 'clientId',
        index: count,
        clientId: client.clientId.slice(0, 130),
        repeated: seen.has(client.clientId),
      });
    }
    seen.add(client.clientId);
    count += 1;
    // CASS 7.16: a negative individual client balance is excluded from the requirement, never netted against
    // other clients' positive balances, so one client's debt is never funded with another client's money.
    if (client.individualClientBalanceMinor >= 0n) {
      positiveBalancesMinor += client.individualClientBalanceMinor;
    } else {
      debtorBalancesExcludedMinor -= client.individualClientBalanceMinor;
      debtors += 1;
    }
  }
  return {
    ok: true,
    requirement: {
      requirementMinor: positiveBalancesMinor + marginedTransactionRequirementMinor,
      positiveBalancesMinor,
      debtorBalancesExcludedMinor,
      marginedTransactionRequirementMinor,
      clients: count,
      debtors,
    },
  };
}

/** How client money reaches client bank accounts, selected per deployment. */
export const CLIENT_MONEY_APPROACHES = ['normal', 'alternative'] as const;
export type ClientMoneyApproach = (typeof CLIENT_MONEY_APPROACHES)[number];

/** Normal approach (CASS 7.13.6R): money goes straight to client bank accounts; the reconciliation checks. */
export interface NormalApproachInput {
  readonly approach: 'normal';
  /** The requirement as at the close of T−1. */
  readonly requirementMinor: bigint;
  /** The resource (client bank account balances per internal records) as at the close of T−1. */
  readonly resourceMinor: bigint;
  /** Close of business on the day the reconciliation is performed (CASS 7.15.29R). */
  readonly dueAtMs: number;
}

/** Alternative approach (CASS 7.13.54G): money lands in firm accounts first; the reconciliation transfers. */
export interface AlternativeApproachInput {
  readonly approach: 'alternative';
  /** The requirement as at the close of T−1. */
  readonly requirementMinor: bigint;
  /** The resource on day T before the reconciliation transfer. */
  readonly resourceBeforeTransferMinor: bigint;
  /** The firm's own money the alternative approach keeps in client accounts as a buffer (>= 0). */
  readonly prudentSegregationMinor: bigint;
  readonly dueAtMs: number;
}

export type ClientMoneyReconciliationInput = NormalApproachInput | AlternativeApproachInput;

/** Whether the resource falls short of, exceeds, or meets what it should be. */
export type ClientMoneyOutcome = 'balanced' | 'shortfall' | 'excess';

/** The normal approach's check and the transfer it calls for. */
export interface NormalApproachReconciliation {
  readonly approach: 'normal';
  readonly requirementMinor: bigint;
  readonly resourceMinor: bigint;
  /** resource − requirement. */
  readonly differenceMinor: bigint;
  readonly outcome: ClientMoneyOutcome;
  /** > 0: the firm pays the shortfall in; < 0: the firm withdraws the excess (its own money); 0: nothing. */
  readonly transferMinor: bigint;
  readonly dueAtMs: number;
}

/** The alternative approach's transfer, computed so the resource meets requirement + buffer. */
export interface AlternativeApproachReconciliation {
  readonly approach: 'alternative';
  readonly requirementMinor: bigint;
  readonly resourceBeforeTransferMinor: bigint;
  readonly prudentSegregationMinor: bigint;
  /** requirement + prudent segregation. */
  readonly targetResourceMinor: bigint;
  /** Resource before the transfer against the target: short of it, over it, or on it. */
  readonly outcome: ClientMoneyOutcome;
  /** target − resourceBefore: > 0 the firm pays in, < 0 the firm withdraws. */
  readonly transferMinor: bigint;
  readonly resourceAfterTransferMinor: bigint;
  /** resourceAfter − requirement: the buffer. */
  readonly differenceAfterMinor: bigint;
  readonly dueAtMs: number;
}

export type ClientMoneyReconciliation = NormalApproachReconciliation | AlternativeApproachReconciliation;

export type ReconcileClientMoneyResult =
  | { readonly ok: true; readonly reconciliation: ClientMoneyReconciliation }
  | Rejected<ClientMoneyErrorCode>;

/**
 * Runs the daily internal client money reconciliation under the selected approach. Rejects an unknown
 * approach, a negative requirement, resource or buffer, and a due time that is not a safe integer >= 0.
 */
export function reconcileClientMoney(input: ClientMoneyReconciliationInput): ReconcileClientMoneyResult {
  // The approach comes from deployment configuration, so it is checked at run time too.
  if (!(CLIENT_MONEY_APPROACHES as readonly string[]).includes(input.approach)) {
    return invalid(`the approach is one of ${CLIENT_MONEY_APPROACHES.join(', ')}`, {
      field: 'approach',
      value: String(input.approach),
    });
  }
  if (!Number.isSafeInteger(input.dueAtMs) || input.dueAtMs < 0) {
    return invalid('the due time is a safe integer of ms since the epoch', {
      field: 'dueAtMs',
      value: Number.isFinite(input.dueAtMs) ? input.dueAtMs : String(input.dueAtMs),
    });
  }
  const negative = negativeField(input);
  if (negative !== null) {
    const [field, value] = negative;
    return invalid(`${field} is never negative`, { field, value: value.toString() });
  }
  if (input.approach === 'normal') {
    const differenceMinor = input.resourceMinor - input.requirementMinor;
    return {
      ok: true,
      reconciliation: {
        approach: 'normal',
        requirementMinor: input.requirementMinor,
        resourceMinor: input.resourceMinor,
        differenceMinor,
        outcome: outcomeOf(differenceMinor),
        // CASS 7.15.29R: a shortfall is paid in, an excess withdrawn, by close of business the same day.
        transferMinor: -differenceMinor,
        dueAtMs: input.dueAtMs,
      },
    };
  }
  const targetResourceMinor = input.requirementMinor + input.prudentSegregationMinor;
  const transferMinor = targetResourceMinor - input.resourceBeforeTransferMinor;
  const resourceAfterTransferMinor = input.resourceBeforeTransferMinor + transferMinor;
  const differenceAfterMinor = resourceAfterTransferMinor - input.requirementMinor;
  assert(
    differenceAfterMinor === input.prudentSegregationMinor,
    'after the transfer only the buffer is left',
  );
  return {
    ok: true,
    reconciliation: {
      approach: 'alternative',
      requirementMinor: input.requirementMinor,
      resourceBeforeTransferMinor: input.resourceBeforeTransferMinor,
      prudentSegregationMinor: input.prudentSegregationMinor,
      targetResourceMinor,
      outcome: outcomeOf(-transferMinor),
      transferMinor,
      resourceAfterTransferMinor,
      differenceAfterMinor,
      dueAtMs: input.dueAtMs,
    },
  };
}

/** The outcome of resource − what it should be. */
function outcomeOf(differenceMinor: bigint): ClientMoneyOutcome {
  return differenceMinor === 0n ? 'balanced' : differenceMinor < 0n ? 'shortfall' : 'excess';
}

/** The first amount field of the input that is negative (name and value), in declaration order, or null. */
function negativeField(input: ClientMoneyReconciliationInput): readonly [string, bigint] | null {
  const fields: readonly [string, bigint][] =
    input.approach === 'normal'
      ? [
          ['requirementMinor', input.requirementMinor],
          ['resourceMinor', input.resourceMinor],
        ]
      : [
          ['requirementMinor', input.requirementMinor],
          ['resourceBeforeTransferMinor', input.resourceBeforeTransferMinor],
          ['prudentSegregationMinor', input.prudentSegregationMinor],
        ];
  return fields.find(([, value]) => value < 0n) ?? null;
}

function invalid(
  message: string,
  details: Readonly<Record<string, string | number | boolean>>,
): Rejected<ClientMoneyErrorCode> {
  return rejected('client_money_input_invalid', message, details);
}
