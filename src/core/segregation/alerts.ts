// Alerts the segregation figures raise: a deficiency is critical (customer funds are under-segregated and
// the regulator must be told at once, CFTC 1.12), an excess below the target is a warning (CFTC 1.11, NFA
// §16), a statement not finalised by its deadline is a warning (CFTC 1.32(d)), and an unresolved
// unfavourable reconciliation break is critical until the top-up lands (CASS 7.15.29R/7.15.32R).

import type { SealedStatement, StatementBody } from './sealed-statement.ts';

export type AlertSeverity = 'critical' | 'warning';

export type AlertCode =
  | 'segregation_deficiency'
  | 'residual_interest_below_target'
  | 'statement_finalisation_late'
  | 'reconciliation_shortfall';

/** One alert; `key` identifies the condition so the same condition is raised once, not on every check. */
export interface AlertDraft {
  readonly key: string;
  readonly code: AlertCode;
  readonly severity: AlertSeverity;
  readonly message: string;
  readonly asset: string | null;
  readonly accountClass: string | null;
  readonly businessDate: string | null;
  readonly statementId: string | null;
  readonly amountMinor: bigint | null;
}

/** The alerts a statement raises: one per deficient segment, one per segment below target. */
export function statementAlerts(statement: StatementBody | SealedStatement): AlertDraft[] {
  const alerts: AlertDraft[] = [];
  for (const segment of statement.segments) {
    const where = `${segment.asset} ${segment.accountClass}`;
    const common = {
      asset: segment.asset,
      accountClass: segment.accountClass,
      businessDate: statement.businessDate,
      statementId: statement.id,
    };
    if (segment.status === 'deficient') {
      alerts.push({
        ...common,
        key: `segregation_deficiency:${statement.id}:${segment.asset}/${segment.accountClass}`,
        code: 'segregation_deficiency',
        severity: 'critical',
        message: `${where}: funds held in segregation fall short of the requirement`,
        amountMinor: -segment.excessMinor,
      });
    } else if (segment.status === 'below_target') {
      alerts.push({
        ...common,
        key: `residual_interest_below_target:${statement.id}:${segment.asset}/${segment.accountClass}`,
        code: 'residual_interest_below_target',
        severity: 'warning',
        message: `${where}: residual interest is below the firm's target`,
        amountMinor: -segment.excessOverTargetMinor,
      });
    }
  }
  return alerts;
}

/** The alert for a business day whose statement missed its finalisation deadline. */
export function lateFinalisationAlert(businessDate: string, deadlineMs: number): AlertDraft {
  return {
    key: `statement_finalisation_late:${businessDate}`,
    code: 'statement_finalisation_late',
    severity: 'warning',
    message: `the segregation statement for ${businessDate} was not finalised by its deadline (${deadlineMs} ms)`,
    asset: null,
    accountClass: null,
    businessDate,
    statementId: null,
    amountMinor: null,
  };
}

/** The alert for an unresolved unfavourable break: a shortfall the house must top up. */
export function shortfallAlert(input: {
  readonly breakId: string;
  readonly asset: string;
  readonly accountClass: string;
  readonly amountMinor: bigint;
}): AlertDraft {
  return {
    key: `reconciliation_shortfall:${input.breakId}`,
    code: 'reconciliation_shortfall',
    severity: 'critical',
    message: `${input.asset} ${input.accountClass}: a vault holds less than the books say (break ${input.breakId}); the house must top up`,
    asset: input.asset,
    accountClass: input.accountClass,
    businessDate: null,
    statementId: null,
    amountMinor: input.amountMinor,
  };
}
