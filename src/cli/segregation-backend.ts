// Where `ringfence segregation` gets its answers: a running server's /v1/segregation routes (--url/--key), or
// the database itself (--db), opened writable with the segregation service on it and every action recorded
// as `cli`. Both answer the same views (src/service/segregation/segregation-views.ts), so --json output has the
// API's shapes either way.

import { parseSegregationAmount } from '../api/segregation-amount.ts';
import type { Rejected } from '../core/custody/rejection.ts';
import type { ClientMoneyApproach } from '../core/segregation/client-money-lines.ts';
import type { SegregationRegime } from '../core/segregation/sealed-statement.ts';
import type { ScaleOf } from '../core/segregation/statement-report.ts';
import { diffCsv, statementCsv, statementHtml } from '../core/segregation/statement-report.ts';
import type { LedgerService } from '../service/ledger-service.ts';
import { SegregationService } from '../service/segregation/segregation-service.ts';
import type { StatementRecord } from '../service/segregation/segregation-state.ts';
import {
  type AlertView,
  alertView,
  type BreakView,
  breakView,
  type NoticeView,
  noticeText,
  noticeView,
  type ProFormaView,
  proFormaView,
  type ReconciliationSummaryView,
  type ReconciliationView,
  type ResidualInterestWithdrawalView,
  readScales,
  reconciliationCsv,
  reconciliationInternalCsv,
  reconciliationSummaryView,
  reconciliationView,
  residualInterestWithdrawalView,
  type StatementDiffView,
  type StatementSummaryView,
  type StatementView,
  statementDiffView,
  statementSummaryView,
  statementView,
  type TargetsView,
  type TopUpView,
  targetsView,
  topUpView,
} from '../service/segregation/segregation-views.ts';
import { CliError, usageError } from './cli-error.ts';
import { openLedger } from './database.ts';
import {
  queryString,
  requestJson,
  requestJsonWithBody,
  requestText,
  type ServerTarget,
} from './http-client.ts';

/** Who the database records as acting when the CLI writes with --db (there is no API key to name). */
export const CLI_ACTOR = 'cli';

/** The subcommands --db cannot run, and why. */
export const DB_REFUSALS = {
  'reconcile-chain':
    'segregation reconcile-chain reads the chain the server watches: run it against the server with --url/--key, not --db',
  // An approval is an officer's, recorded under the officer's API key id; the database has no identity to
  // record, and one shared `cli` identity could never make up the two distinct officers the rule needs.
  approve:
    "segregation approve records the approving officer's API key: run it against the server with --url and an officer's --key, not --db",
} as const;

/** A statement computation as the API takes it. */
export interface ComputeInput {
  readonly businessDate?: string;
  readonly cutoffSeq?: number;
  readonly supersedes?: string;
}

/** A target as the API takes it (the amount a decimal string). */
export interface TargetInput {
  readonly asset: string;
  readonly accountClass: string;
  readonly amount: string;
  readonly approvalReference: string;
}

/** A residual-interest withdrawal as the API takes it. */
export interface WithdrawInput {
  readonly asset: string;
  readonly accountClass: string;
  readonly amount: string;
  readonly residualInterestAccountId: string;
  readonly houseEquityAccountId: string;
  readonly segregatedCustodyAccountId: string;
  readonly houseCustodyAccountId: string;
  readonly reason: string;
  readonly recipient: string;
}

/** Every question and action of `ringfence segregation`, answered in the API's shapes. */
export interface SegregationBackend {
  compute(input: ComputeInput): Promise<StatementView>;
  finalise(id: string): Promise<StatementView>;
  statements(): Promise<{ readonly statements: readonly StatementSummaryView[] }>;
  statement(id: string): Promise<StatementView>;
  statementDocument(id: string, format: 'csv' | 'html'): Promise<string>;
  diff(from: string, to: string): Promise<StatementDiffView>;
  diffCsv(from: string, to: string): Promise<string>;
  proForma(): Promise<ProFormaView>;
  setTarget(input: TargetInput): Promise<TargetsView>;
  targets(): Promise<TargetsView>;
  reconcileChain(): Promise<ReconciliationView>;
  importStatement(csv: string): Promise<ReconciliationView>;
  reconciliations(): Promise<{ readonly reconciliations: readonly ReconciliationSummaryView[] }>;
  reconciliation(id: string): Promise<ReconciliationView>;
  reconciliationCsv(id: string, lines: 'external' | 'internal'): Promise<string>;
  breaks(status: string | undefined): Promise<{ readonly breaks: readonly BreakView[] }>;
  resolveBreak(id: string, resolution: string): Promise<BreakView>;
  topUps(): Promise<{ readonly topUps: readonly TopUpView[] }>;
  withdraw(input: WithdrawInput): Promise<ResidualInterestWithdrawalView>;
  approve(id: string): Promise<ResidualInterestWithdrawalView>;
  withdrawals(): Promise<{ readonly withdrawals: readonly ResidualInterestWithdrawalView[] }>;
  notices(): Promise<{ readonly notices: readonly NoticeView[] }>;
  notice(id: string): Promise<NoticeView>;
  noticeText(id: string): Promise<string>;
  alerts(): Promise<{ readonly alerts: readonly AlertView[] }>;
  /** Releases what the backend holds (the database connection). */
  close(): Promise<void>;
}

const BASE = '/v1/segregation';
const segment = (id: string): string => encodeURIComponent(id);

/** The backend of a running server: each call is one request to a /v1/segregation route. */
export function serverBackend(target: ServerTarget): SegregationBackend {
  const get = <T>(path: string) => requestJson(target, 'GET', `${BASE}${path}`) as Promise<T>;
  const post = <T>(path: string, body?: unknown) =>
    requestJson(target, 'POST', `${BASE}${path}`, body) as Promise<T>;
  return {
    compute: (input) => post('/statements', input),
    finalise: (id) => post(`/statements/${segment(id)}/finalise`),
    statements: () => get('/statements'),
    statement: (id) => get(`/statements/${segment(id)}`),
    statementDocument: (id, format) =>
      requestText(target, 'GET', `${BASE}/statements/${segment(id)}${queryString({ format })}`),
    diff: (from, to) => get(`/statements/${segment(from)}/diff/${segment(to)}`),
    diffCsv: (from, to) =>
      requestText(target, 'GET', `${BASE}/statements/${segment(from)}/diff/${segment(to)}?format=csv`),
    proForma: () => get('/pro-forma'),
    setTarget: (input) => requestJson(target, 'PUT', `${BASE}/targets`, input) as Promise<TargetsView>,
    targets: () => get('/targets'),
    reconcileChain: () => post('/reconciliations/chain'),
    importStatement: (csv) =>
      requestJsonWithBody(target, 'POST', `${BASE}/reconciliations/custodian-statements`, {
        contentType: 'text/csv; charset=utf-8',
        text: csv,
      }) as Promise<ReconciliationView>,
    reconciliations: () => get('/reconciliations'),
    reconciliation: (id) => get(`/reconciliations/${segment(id)}`),
    reconciliationCsv: (id, lines) =>
      requestText(
        target,
        'GET',
        `${BASE}/reconciliations/${segment(id)}${queryString({ format: 'csv', lines })}`,
      ),
    breaks: (status) => get(`/breaks${queryString({ status })}`),
    resolveBreak: (id, resolution) => post(`/breaks/${segment(id)}/resolve`, { resolution }),
    topUps: () => get('/top-ups'),
    withdraw: (input) => post('/residual-interest/withdrawals', input),
    approve: (id) => post(`/residual-interest/withdrawals/${segment(id)}/approvals`),
    withdrawals: () => get('/residual-interest/withdrawals'),
    notices: () => get('/notices'),
    notice: (id) => get(`/notices/${segment(id)}`),
    noticeText: (id) => requestText(target, 'GET', `${BASE}/notices/${segment(id)}?format=text`),
    alerts: () => get('/alerts'),
    close: async () => undefined,
  };
}

/** How the --db backend runs the segregation service: the deployment's rule book and the firm's name. */
export interface DatabaseBackendOptions {
  readonly regime: SegregationRegime;
  readonly clientMoneyApproach: ClientMoneyApproach;
  readonly firmName: string;
}

/**
 * The backend of the database itself: opens the ledger (a full replay) and the segregation service on it.
 * Writes are recorded with `by` = `cli`; run them only while no server writes the same database.
 */
export async function databaseBackend(
  db: string,
  options: DatabaseBackendOptions,
): Promise<SegregationBackend> {
  const ledger = await openLedger(db);
  let service: SegregationService;
  try {
    service = await SegregationService.open(ledger, {
      regime: options.regime,
      clientMoneyApproach: options.clientMoneyApproach,
    });
  } catch (error) {
    await ledger.close();
    throw error;
  }
  return new DatabaseBackend(ledger, service, options.firmName);
}

class DatabaseBackend implements SegregationBackend {
  constructor(
    private readonly ledger: LedgerService,
    private readonly service: SegregationService,
    private readonly firmName: string,
  ) {}

  async compute(input: ComputeInput): Promise<StatementView> {
    const body = valueOrThrow(await this.service.compute({ ...input, by: CLI_ACTOR }));
    return statementView(this.#statementOrThrow(body.id), await this.#scales());
  }

  async finalise(id: string): Promise<StatementView> {
    valueOrThrow(await this.service.finalise(id, CLI_ACTOR));
    return statementView(this.#statementOrThrow(id), await this.#scales());
  }

  async statements() {
    const scaleOf = await this.#scales();
    return {
      statements: this.service.listStatements().map((record) => statementSummaryView(record, scaleOf)),
    };
  }

  async statement(id: string): Promise<StatementView> {
    return statementView(this.#statementOrThrow(id), await this.#scales());
  }

  async statementDocument(id: string, format: 'csv' | 'html'): Promise<string> {
    const record = this.#statementOrThrow(id);
    const statement = record.sealed ?? record.draft;
    const scaleOf = await this.#scales();
    return format === 'csv'
      ? statementCsv(statement, scaleOf)
      : statementHtml(statement, scaleOf, { firmName: this.firmName, generatedAtMs: Date.now() });
  }

  async diff(from: string, to: string): Promise<StatementDiffView> {
    return statementDiffView(from, to, valueOrThrow(this.service.diff(from, to)), await this.#scales());
  }

  async diffCsv(from: string, to: string): Promise<string> {
    return diffCsv(valueOrThrow(this.service.diff(from, to)), await this.#scales());
  }

  async proForma(): Promise<ProFormaView> {
    return proFormaView(await this.service.proForma(), Date.now(), await this.#scales());
  }

  async setTarget(input: TargetInput): Promise<TargetsView> {
    const amountMinor = valueOrThrow(
      await this.ledger.read((engine) =>
        parseSegregationAmount(engine, {
          asset: input.asset,
          amount: input.amount,
          field: 'amount',
          allowZero: true,
        }),
      ),
    );
    valueOrThrow(
      await this.service.setTarget({
        asset: input.asset,
        accountClass: input.accountClass,
        amountMinor,
        approvalReference: input.approvalReference,
        by: CLI_ACTOR,
      }),
    );
    return this.targets();
  }

  async targets(): Promise<TargetsView> {
    return targetsView(this.service.state, await this.#scales());
  }

  reconcileChain(): Promise<ReconciliationView> {
    throw usageError(DB_REFUSALS['reconcile-chain'], 'segregation');
  }

  async importStatement(csv: string): Promise<ReconciliationView> {
    const run = valueOrThrow(await this.service.importCustodianStatement(csv, CLI_ACTOR));
    return reconciliationView(run, await this.#scales());
  }

  async reconciliations() {
    return { reconciliations: this.service.listReconciliations().map(reconciliationSummaryView) };
  }

  async reconciliation(id: string): Promise<ReconciliationView> {
    return reconciliationView(this.#reconciliationOrThrow(id), await this.#scales());
  }

  async reconciliationCsv(id: string, lines: 'external' | 'internal'): Promise<string> {
    const run = this.#reconciliationOrThrow(id);
    const scaleOf = await this.#scales();
    return lines === 'internal' ? reconciliationInternalCsv(run, scaleOf) : reconciliationCsv(run, scaleOf);
  }

  async breaks(status: string | undefined) {
    const scaleOf = await this.#scales();
    const nowMs = Date.now();
    return {
      breaks: this.service
        .listBreaks()
        .filter((record) => status === undefined || record.status === status)
        .map((record) => breakView(record, scaleOf, nowMs, this.service.state)),
    };
  }

  async resolveBreak(id: string, resolution: string): Promise<BreakView> {
    const record = valueOrThrow(await this.service.resolveBreak(id, resolution, CLI_ACTOR));
    return breakView(record, await this.#scales(), Date.now(), this.service.state);
  }

  async topUps() {
    const scaleOf = await this.#scales();
    return { topUps: this.service.topUps().map((topUp) => topUpView(topUp, scaleOf)) };
  }

  async withdraw(input: WithdrawInput): Promise<ResidualInterestWithdrawalView> {
    const amountMinor = valueOrThrow(
      await this.ledger.read((engine) =>
        parseSegregationAmount(engine, {
          asset: input.asset,
          amount: input.amount,
          field: 'amount',
          allowZero: false,
        }),
      ),
    );
    const withdrawal = valueOrThrow(
      await this.service.requestWithdrawal({ ...input, amountMinor, by: CLI_ACTOR }),
    );
    return residualInterestWithdrawalView(withdrawal, await this.#scales());
  }

  approve(): Promise<ResidualInterestWithdrawalView> {
    throw usageError(DB_REFUSALS.approve, 'segregation');
  }

  async withdrawals() {
    const scaleOf = await this.#scales();
    return {
      withdrawals: this.service
        .listWithdrawals()
        .map((record) => residualInterestWithdrawalView(record, scaleOf)),
    };
  }

  async notices() {
    const scaleOf = await this.#scales();
    return { notices: this.service.listNotices().map((notice) => noticeView(notice, scaleOf)) };
  }

  async notice(id: string): Promise<NoticeView> {
    return noticeView(this.#noticeOrThrow(id), await this.#scales());
  }

  async noticeText(id: string): Promise<string> {
    return noticeText(this.#noticeOrThrow(id), await this.#scales(), this.firmName);
  }

  async alerts() {
    const scaleOf = await this.#scales();
    return { alerts: this.service.listAlerts().map((alert) => alertView(alert, scaleOf)) };
  }

  close(): Promise<void> {
    return this.ledger.close();
  }

  #scales(): Promise<ScaleOf> {
    return readScales(this.ledger);
  }

  #statementOrThrow(id: string): StatementRecord {
    const record = this.service.getStatement(id);
    if (record === undefined) throw new CliError('statement_unknown', `no statement ${id}`, { id });
    return record;
  }

  #reconciliationOrThrow(id: string) {
    const run = this.service.getReconciliation(id);
    if (run === undefined) throw new CliError('reconciliation_unknown', `no reconciliation ${id}`, { id });
    return run;
  }

  #noticeOrThrow(id: string) {
    const notice = this.service.state.notices.get(id);
    if (notice === undefined) throw new CliError('not_found', `no regulator notice ${id}`);
    return notice;
  }
}

/** The success value of a segregation result; a rejection becomes a CliError with the same code. */
function valueOrThrow<T>(result: { readonly ok: true; readonly value: T } | Rejected): T {
  if (!result.ok) throw new CliError(result.error.code, result.error.message, result.error.details);
  return result.value;
}
