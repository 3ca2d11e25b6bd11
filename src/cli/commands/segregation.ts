// `ringfence segregation`: the daily segregation statement (compute, finalise, list, show as a table, JSON,
// CSV or the printable HTML, verify its seal, diff two), the pro-forma and the targets; reconciliation against
// the chain or an imported custodian statement, breaks and their audited resolution, top-ups; the residual-
// interest gate (withdraw, approve, withdrawals, regulator notices) and alerts. Against a server (--url/--key)
// or the database itself (--db).

import { readFileSync, writeFileSync } from 'node:fs';
import type {
  AlertView,
  BreakView,
  NoticeView,
  ProFormaView,
  ReconciliationSummaryView,
  ReconciliationView,
  ResidualInterestWithdrawalView,
  StatementDiffView,
  StatementSummaryView,
  StatementView,
  TargetsView,
  TopUpView,
} from '../../service/segregation/segregation-views.ts';
import { parseCommandArgs, parseSeq } from '../args.ts';
import { CliError, usageError } from '../cli-error.ts';
import type { CliCommand, CliIo } from '../command.ts';
import { printJson, renderFields, renderTable } from '../output.ts';
import { READ_SOURCE_HELP, READ_SOURCE_OPTIONS, readSource } from '../read-source.ts';
import {
  DB_REFUSALS,
  databaseBackend,
  type SegregationBackend,
  serverBackend,
} from '../segregation-backend.ts';

const COMMAND = 'segregation';

/** The firm printed on documents produced from --db unless --firm-name says otherwise. */
export const CLI_FIRM_NAME_DEFAULT = 'Ringfence venue';

const OPTIONS = {
  ...READ_SOURCE_OPTIONS,
  'business-date': { type: 'string' },
  'cutoff-seq': { type: 'string' },
  supersedes: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  verify: { type: 'boolean', default: false },
  csv: { type: 'boolean', default: false },
  internal: { type: 'boolean', default: false },
  status: { type: 'string' },
  asset: { type: 'string' },
  'account-class': { type: 'string' },
  amount: { type: 'string' },
  'approval-reference': { type: 'string' },
  'residual-interest-account': { type: 'string' },
  'house-equity-account': { type: 'string' },
  'segregated-custody-account': { type: 'string' },
  'house-custody-account': { type: 'string' },
  reason: { type: 'string' },
  recipient: { type: 'string' },
  resolution: { type: 'string' },
  'segregation-regime': { type: 'string' },
  'client-money-approach': { type: 'string' },
  'firm-name': { type: 'string' },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

/** Each subcommand and the positional arguments it takes. */
const SUBCOMMANDS = {
  compute: [],
  finalise: ['id'],
  list: [],
  show: ['id'],
  diff: ['from', 'to'],
  'pro-forma': [],
  'target-set': [],
  targets: [],
  'reconcile-chain': [],
  'import-statement': ['file'],
  reconciliations: [],
  reconciliation: ['id'],
  breaks: [],
  'resolve-break': ['id'],
  'top-ups': [],
  withdraw: [],
  approve: ['id'],
  withdrawals: [],
  notices: [],
  notice: ['id'],
  alerts: [],
} as const satisfies Record<string, readonly string[]>;

type Subcommand = keyof typeof SUBCOMMANDS;

export const segregationCommand: CliCommand = {
  name: COMMAND,
  summary: 'Segregation statement, targets, reconciliation, breaks, residual-interest gate, alerts',
  help: `Usage: ringfence segregation <subcommand> [arguments] [--url <url> --key <secret> | --db <db>] [--json]

The daily segregation statement: per asset and customer account class, the requirement (Σ max(0, net
equity of each customer)) against funds held in acknowledged customer vaults, the excess (residual
interest) and its target; sealed when finalised. Reconciliation of the books against the chain and
custodian statements, with breaks, shortfalls and top-ups. The residual-interest gate: the house takes its
money out of segregation only once the prior day's statement is finalised, never into a deficiency, with
two officer approvals below the target or above 25% of residual interest (then a regulator notice).

Statements:
  compute [--business-date <YYYY-MM-DD>] [--cutoff-seq <seq>] [--supersedes <id>]
                           Compute a draft (default: today, as of its close); --supersedes corrects a
                           finalised statement of the same day (operator, officer)
  finalise <id>            Seal a draft: hash-linked to the journal at its cut-off (operator, officer)
  list                     Every statement, newest first, with its status (draft, final, superseded)
  show <id> [--format json|csv|html] [--out <file>] [--verify]
                           One statement: a table by default; --format html is the printable document a
                           compliance officer signs; --verify checks the seal (exit 1 if it does not match)
  diff <from> <to> [--csv] The lines that changed between two statements
  pro-forma                The lines at the journal head now (computed, not recorded)
  target-set --asset <code> --account-class <class> --amount <decimal> --approval-reference <text>
                           Record the board's targeted residual interest for a segment (officer keys)
  targets                  The targets in force and their history

Reconciliation:
  reconcile-chain          Reconcile every customer vault against the chain the server reads (--url only)
  import-statement <file.csv>
                           Import a custodian statement (CSV v1: custodian,statement_date,vault_id,asset,
                           balance) and reconcile the vaults it covers (operator)
  reconciliations          Every run, newest first
  reconciliation <id> [--csv [--internal]]
                           One run: lines, breaks, shortfalls, top-ups; --csv the external lines (or, with
                           --internal, the internal ones)
  breaks [--status open|resolved|cleared]
                           Breaks with direction, amount and age; open unfavourable ones are shortfalls
  resolve-break <id> --resolution <text>
                           Resolve a break, recorded with who resolved it (operator, officer)
  top-ups                  The top-ups the house owes the short vaults

Residual-interest gate:
  withdraw --asset <code> --account-class <class> --amount <decimal> --reason <text> --recipient <text>
           --residual-interest-account <id> --house-equity-account <id>
           --segregated-custody-account <id> --house-custody-account <id>
                           Ask to withdraw residual interest: executed, refused with the gate's code, or
                           awaiting two officer approvals (operator)
  approve <id>             Approve as the officer whose key is used (--url only: two distinct officers)
  withdrawals              Every request with its status, approvals and notice
  notices                  Regulator notices (withdrawals over 25% of residual interest)
  notice <id>              The printable notice (--json: the notice as data)
  alerts                   Alerts raised: deficiency (critical), below target, late finalisation (warning)

Options:
${READ_SOURCE_HELP}
                  --db runs the segregation service on the database itself (every subcommand but
                  reconcile-chain and approve; actions are recorded as "cli"; no server may write the
                  database meanwhile)
  --out <file>    show, diff, reconciliation, notice: write the document to a file instead of stdout
  --segregation-regime <cftc|uk_cass>, --client-money-approach <normal|alternative>
                  With --db: the deployment's rule book for compute (default cftc)
  --firm-name <name>
                  With --db: the firm named on printed statements and notices (default "${CLI_FIRM_NAME_DEFAULT}")
  --json          Print the API's JSON body (or its {"error"})
  -h, --help      Show this help

Examples:
  ringfence segregation compute --business-date 2030-01-01 --db ./data/demo.sqlite
  ringfence segregation finalise seg-2030-01-01-1 --key $OFFICER_KEY
  ringfence segregation show seg-2030-01-01-1 --format html --out statement.html
  ringfence segregation import-statement acme-2030-01-01.csv
  ringfence segregation resolve-break rec-1:vault:derivatives:USDC --resolution "settled late; confirmed"
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(COMMAND, args, OPTIONS);
    if (values.help) {
      io.stdout(segregationCommand.help);
      return 0;
    }
    const [name, ...rest] = positionals;
    if (name === undefined || !Object.hasOwn(SUBCOMMANDS, name)) {
      throw usageError(
        name === undefined
          ? `missing subcommand: segregation ${Object.keys(SUBCOMMANDS).join('|')}`
          : `unknown subcommand "segregation ${name}"`,
        COMMAND,
      );
    }
    const subcommand = name as Subcommand;
    const expected = SUBCOMMANDS[subcommand];
    if (rest.length < expected.length) {
      throw usageError(
        `segregation ${subcommand} needs ${expected.map((arg) => `<${arg}>`).join(' ')}`,
        COMMAND,
      );
    }
    if (rest.length > expected.length)
      throw usageError(`unexpected argument "${rest[expected.length]}"`, COMMAND);
    const source = readSource(COMMAND, io, values);
    if (source.type === 'database' && Object.hasOwn(DB_REFUSALS, subcommand)) {
      throw usageError(DB_REFUSALS[subcommand as keyof typeof DB_REFUSALS], COMMAND);
    }
    if (source.type === 'server') {
      for (const option of ['segregation-regime', 'client-money-approach', 'firm-name'] as const) {
        if (values[option] !== undefined) {
          throw usageError(`--${option} applies with --db only: a server uses its own settings`, COMMAND);
        }
      }
    }
    const backend =
      source.type === 'database'
        ? await databaseBackend(source.db, databaseOptions(values))
        : serverBackend(source.target);
    try {
      await runSubcommand(subcommand, rest, values, backend, io);
      return 0;
    } finally {
      await backend.close();
    }
  },
};

function databaseOptions(values: Values) {
  const regime = values['segregation-regime'] ?? 'cftc';
  if (regime !== 'cftc' && regime !== 'uk_cass')
    throw usageError('--segregation-regime is cftc or uk_cass', COMMAND);
  const approach = values['client-money-approach'] ?? 'normal';
  if (approach !== 'normal' && approach !== 'alternative') {
    throw usageError('--client-money-approach is normal or alternative', COMMAND);
  }
  return {
    regime,
    clientMoneyApproach: approach,
    firmName: values['firm-name'] ?? CLI_FIRM_NAME_DEFAULT,
  } as const;
}

async function runSubcommand(
  subcommand: Subcommand,
  args: readonly string[],
  values: Values,
  backend: SegregationBackend,
  io: CliIo,
): Promise<void> {
  const [first = '', second = ''] = args;
  const show = <T>(value: T, print: (view: T) => void) => (values.json ? printJson(io, value) : print(value));
  switch (subcommand) {
    case 'compute': {
      const input = {
        ...(values['business-date'] === undefined ? {} : { businessDate: values['business-date'] }),
        ...(values['cutoff-seq'] === undefined
          ? {}
          : { cutoffSeq: parseSeq(COMMAND, 'cutoff-seq', values['cutoff-seq']) }),
        ...(values.supersedes === undefined ? {} : { supersedes: values.supersedes }),
      };
      return show(await backend.compute(input), (view) => printStatement(io, view));
    }
    case 'finalise':
      return show(await backend.finalise(first), (view) => printStatement(io, view));
    case 'list':
      return show(await backend.statements(), (body) => printStatements(io, body.statements));
    case 'show':
      return showStatement(first, values, backend, io);
    case 'diff':
      if (values.csv)
        return emit(io, values, await backend.diffCsv(first, second), `diff ${first} ${second}`);
      return show(await backend.diff(first, second), (view) => printDiff(io, view));
    case 'pro-forma':
      return show(await backend.proForma(), (view) => printProForma(io, view));
    case 'target-set': {
      const input = {
        asset: required(values, 'asset'),
        accountClass: required(values, 'account-class'),
        amount: required(values, 'amount'),
        approvalReference: required(values, 'approval-reference'),
      };
      return show(await backend.setTarget(input), (view) => printTargets(io, view));
    }
    case 'targets':
      return show(await backend.targets(), (view) => printTargets(io, view));
    case 'reconcile-chain':
      return show(await backend.reconcileChain(), (view) => printReconciliation(io, view));
    case 'import-statement':
      return show(await backend.importStatement(readText(first)), (view) => printReconciliation(io, view));
    case 'reconciliations':
      return show(await backend.reconciliations(), (body) => printReconciliations(io, body.reconciliations));
    case 'reconciliation':
      if (values.csv) {
        const lines = values.internal ? 'internal' : 'external';
        return emit(io, values, await backend.reconciliationCsv(first, lines), `reconciliation ${first}`);
      }
      if (values.internal) throw usageError('--internal goes with --csv', COMMAND);
      return show(await backend.reconciliation(first), (view) => printReconciliation(io, view));
    case 'breaks': {
      const status = values.status;
      if (status !== undefined && !['open', 'resolved', 'cleared'].includes(status)) {
        throw usageError('--status is open, resolved or cleared', COMMAND);
      }
      return show(await backend.breaks(status), (body) => printBreaks(io, body.breaks));
    }
    case 'resolve-break':
      return show(await backend.resolveBreak(first, required(values, 'resolution')), (view) =>
        printBreaks(io, [view]),
      );
    case 'top-ups':
      return show(await backend.topUps(), (body) => printTopUps(io, body.topUps));
    case 'withdraw': {
      const input = {
        asset: required(values, 'asset'),
        accountClass: required(values, 'account-class'),
        amount: required(values, 'amount'),
        residualInterestAccountId: required(values, 'residual-interest-account'),
        houseEquityAccountId: required(values, 'house-equity-account'),
        segregatedCustodyAccountId: required(values, 'segregated-custody-account'),
        houseCustodyAccountId: required(values, 'house-custody-account'),
        reason: required(values, 'reason'),
        recipient: required(values, 'recipient'),
      };
      return show(await backend.withdraw(input), (view) => printWithdrawal(io, view));
    }
    case 'approve':
      return show(await backend.approve(first), (view) => printWithdrawal(io, view));
    case 'withdrawals':
      return show(await backend.withdrawals(), (body) => printWithdrawals(io, body.withdrawals));
    case 'notices':
      return show(await backend.notices(), (body) => printNotices(io, body.notices));
    case 'notice':
      if (values.json) return printJson(io, await backend.notice(first));
      return emit(io, values, await backend.noticeText(first), `notice ${first}`);
    case 'alerts':
      return show(await backend.alerts(), (body) => printAlerts(io, body.alerts));
  }
}

async function showStatement(
  id: string,
  values: Values,
  backend: SegregationBackend,
  io: CliIo,
): Promise<void> {
  const format = values.format;
  if (format !== undefined && format !== 'json' && format !== 'csv' && format !== 'html') {
    throw usageError('--format is json, csv or html', COMMAND);
  }
  const view =
    format === undefined || format === 'json' || values.verify ? await backend.statement(id) : null;
  if (values.verify && view !== null) {
    if (view.status === 'draft') {
      throw new CliError('statement_not_finalised', `statement ${id} is a draft: it has no seal to verify`, {
        id,
      });
    }
    if (view.sealVerified !== true) {
      throw new CliError(
        'statement_seal_mismatch',
        `statement ${id} does not match its seal: its content changed after it was finalised`,
        { id, hash: view.hash },
      );
    }
  }
  if (format === 'csv' || format === 'html') {
    return emit(
      io,
      values,
      await backend.statementDocument(id, format),
      `statement ${id} (${format})`,
      values.verify,
    );
  }
  if (view === null) return;
  if (format === 'json' || values.json) {
    if (values.out !== undefined)
      return emit(io, values, `${JSON.stringify(view, null, 2)}\n`, `statement ${id} (json)`);
    return printJson(io, view);
  }
  if (values.out !== undefined) throw usageError('--out needs --format json, csv or html', COMMAND);
  printStatement(io, view);
}

/** Prints a document, or writes it to --out and says so (with --json, as {"out","bytes"}). */
function emit(io: CliIo, values: Values, text: string, what: string, verified = false): void {
  if (values.out === undefined) {
    if (verified) io.stderr('seal verified\n');
    io.stdout(text);
    return;
  }
  try {
    writeFileSync(values.out, text);
  } catch (error) {
    throw new CliError('file_unwritable', `cannot write ${values.out}: ${(error as Error).message}`, {
      out: values.out,
    });
  }
  const bytes = Buffer.byteLength(text);
  if (values.json) printJson(io, { out: values.out, bytes, sealVerified: verified ? true : null });
  else io.stdout(`wrote ${what} to ${values.out} (${bytes} bytes)${verified ? '; seal verified' : ''}\n`);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError('file_unreadable', `cannot read ${file}: ${(error as Error).message}`, { file });
  }
}

type RequiredOption =
  | 'asset'
  | 'account-class'
  | 'amount'
  | 'approval-reference'
  | 'residual-interest-account'
  | 'house-equity-account'
  | 'segregated-custody-account'
  | 'house-custody-account'
  | 'reason'
  | 'recipient'
  | 'resolution';

function required(values: Values, name: RequiredOption): string {
  const value = values[name];
  if (value === undefined || value.length === 0) throw usageError(`--${name} is required`, COMMAND);
  return value;
}

// ---- printing ---------------------------------------------------------------------------------------------

function printStatement(io: CliIo, view: StatementView): void {
  const seal =
    view.sealVerified === null ? '-' : view.sealVerified ? 'verified' : 'DOES NOT MATCH (content changed)';
  io.stdout(
    renderFields([
      ['statement', view.id],
      ['business date', view.businessDate],
      ['regime', view.regime],
      ['status', view.status],
      ['cut-off', `journal seq ${view.cutoff.seq}, head hash ${view.cutoff.headHash}`],
      ['computed', `${view.computedAt} by ${view.computedBy}`],
      ['finalised', view.finalisedAt === null ? '-' : `${view.finalisedAt} by ${view.finalisedBy ?? '-'}`],
      ['hash', view.hash ?? '-'],
      ['seal', seal],
      ['supersedes', view.supersedes?.id ?? '-'],
      ['superseded by', view.supersededBy ?? '-'],
    ]),
  );
  io.stdout('\n');
  printSegments(io, view.segments);
  if (view.clientMoney.length > 0) {
    io.stdout('\nClient money (CASS 7.16):\n');
    io.stdout(
      renderTable(view.clientMoney, [
        { header: 'ASSET', cell: (row) => row.asset },
        { header: 'ACCOUNT CLASS', cell: (row) => row.accountClass },
        { header: 'APPROACH', cell: (row) => row.approach },
        { header: 'REQUIREMENT', cell: (row) => row.requirement, align: 'amount' },
        { header: 'RESOURCE', cell: (row) => row.resource, align: 'amount' },
        { header: 'TRANSFER', cell: (row) => row.transfer, align: 'amount' },
        { header: 'OUTCOME', cell: (row) => row.outcome },
      ]),
    );
  }
}

function printSegments(io: CliIo, segments: StatementView['segments']): void {
  io.stdout(
    renderTable(
      segments,
      [
        { header: 'ASSET', cell: (row) => row.asset },
        { header: 'ACCOUNT CLASS', cell: (row) => row.accountClass },
        { header: 'REQUIREMENT', cell: (row) => row.requirement, align: 'amount' },
        { header: 'FUNDS HELD NET', cell: (row) => row.fundsHeldNet, align: 'amount' },
        { header: 'EXCESS', cell: (row) => row.excess, align: 'amount' },
        { header: 'TARGET', cell: (row) => row.targetResidualInterest, align: 'amount' },
        { header: 'OVER TARGET', cell: (row) => row.excessOverTarget, align: 'amount' },
        { header: 'TOP-UP', cell: (row) => row.topUpRequired, align: 'amount' },
        { header: 'STATUS', cell: (row) => row.status },
      ],
      '(no customer segments)',
    ),
  );
}

function printStatements(io: CliIo, statements: readonly StatementSummaryView[]): void {
  io.stdout(
    renderTable(statements, [
      { header: 'STATEMENT', cell: (row) => row.id },
      { header: 'BUSINESS DATE', cell: (row) => row.businessDate },
      { header: 'STATUS', cell: (row) => row.status },
      { header: 'CUT-OFF', cell: (row) => String(row.cutoffSeq), align: 'right' },
      { header: 'HASH', cell: (row) => (row.hash === null ? '-' : `${row.hash.slice(0, 16)}…`) },
      { header: 'SEGMENTS', cell: (row) => segmentCounts(row.segments) },
      { header: 'SUPERSEDED BY', cell: (row) => row.supersededBy ?? '-' },
    ]),
  );
}

function segmentCounts(segments: StatementSummaryView['segments']): string {
  const counts = new Map<string, number>();
  for (const segment of segments) counts.set(segment.status, (counts.get(segment.status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count} ${status}`).join(', ') || '-';
}

function printDiff(io: CliIo, view: StatementDiffView): void {
  io.stdout(`From ${view.from} to ${view.to}:\n`);
  io.stdout(
    renderTable(
      view.differences,
      [
        { header: 'ASSET', cell: (row) => row.asset },
        { header: 'ACCOUNT CLASS', cell: (row) => row.accountClass },
        { header: 'LINE', cell: (row) => row.line },
        { header: 'FROM', cell: (row) => row.from, align: 'amount' },
        { header: 'TO', cell: (row) => row.to, align: 'amount' },
        { header: 'CHANGE', cell: (row) => row.change, align: 'amount' },
      ],
      '(no line differs)',
    ),
  );
}

function printProForma(io: CliIo, view: ProFormaView): void {
  io.stdout(`Pro forma at the journal head, ${view.computedAt} (not recorded):\n`);
  printSegments(io, view.segments);
}

function printTargets(io: CliIo, view: TargetsView): void {
  const columns = [
    { header: 'ASSET', cell: (row: TargetsView['targets'][number]) => row.asset },
    { header: 'ACCOUNT CLASS', cell: (row: TargetsView['targets'][number]) => row.accountClass },
    { header: 'TARGET', cell: (row: TargetsView['targets'][number]) => row.amount, align: 'amount' as const },
    { header: 'APPROVAL', cell: (row: TargetsView['targets'][number]) => row.approvalReference },
    { header: 'SET BY', cell: (row: TargetsView['targets'][number]) => row.setBy },
    { header: 'SET AT', cell: (row: TargetsView['targets'][number]) => row.setAt },
  ];
  io.stdout(renderTable(view.targets, columns, '(no targets: every segment targets 0)'));
  if (view.history.length > view.targets.length) {
    io.stdout('\nHistory:\n');
    io.stdout(renderTable(view.history, columns));
  }
}

function printReconciliation(io: CliIo, view: ReconciliationView): void {
  io.stdout(
    renderFields([
      ['reconciliation', view.id],
      ['at', `${view.at} by ${view.by}`],
      ['source', `${view.source}: ${view.sourceReference}`],
      ['books at', `journal seq ${view.ledgerSeq}`],
      ['not covered', `${view.notCovered.length} vault and asset pair(s)`],
    ]),
  );
  io.stdout('\nExternal (observed − ledger):\n');
  io.stdout(
    renderTable(view.external, [
      { header: 'VAULT', cell: (row) => row.vaultId },
      { header: 'ASSET', cell: (row) => row.asset },
      { header: 'ACCOUNT CLASS', cell: (row) => row.accountClass },
      { header: 'LEDGER', cell: (row) => row.ledger, align: 'amount' },
      { header: 'OBSERVED', cell: (row) => row.observed, align: 'amount' },
      { header: 'DIFFERENCE', cell: (row) => row.difference, align: 'amount' },
    ]),
  );
  io.stdout('\nBreaks:\n');
  io.stdout(
    renderTable(
      view.breaks,
      [
        { header: 'BREAK', cell: (row) => row.id },
        { header: 'DIRECTION', cell: (row) => row.direction },
        { header: 'AMOUNT', cell: (row) => row.amount, align: 'amount' },
        { header: 'ASSET', cell: (row) => row.asset },
        { header: 'AGE', cell: (row) => formatAge(row.ageMs) },
      ],
      '(none: the books agree with the source)',
    ),
  );
  io.stdout('\nTop-ups:\n');
  printTopUps(io, view.topUps);
  io.stdout('\nInternal (segregated custody = customer claims + residual interest):\n');
  io.stdout(
    renderTable(view.internal, [
      { header: 'ASSET', cell: (row) => row.asset },
      { header: 'ACCOUNT CLASS', cell: (row) => row.accountClass },
      { header: 'CUSTODY', cell: (row) => row.segregatedCustody, align: 'amount' },
      { header: 'CLAIMS', cell: (row) => row.customerClaims, align: 'amount' },
      { header: 'RESIDUAL INTEREST', cell: (row) => row.residualInterest, align: 'amount' },
      { header: 'DIFFERENCE', cell: (row) => row.difference, align: 'amount' },
    ]),
  );
}

function printReconciliations(io: CliIo, runs: readonly ReconciliationSummaryView[]): void {
  io.stdout(
    renderTable(runs, [
      { header: 'RECONCILIATION', cell: (row) => row.id },
      { header: 'AT', cell: (row) => row.at },
      { header: 'SOURCE', cell: (row) => row.source },
      { header: 'REFERENCE', cell: (row) => row.sourceReference },
      { header: 'LINES', cell: (row) => String(row.lines), align: 'right' },
      { header: 'BREAKS', cell: (row) => String(row.breaks), align: 'right' },
      { header: 'TOP-UPS', cell: (row) => String(row.topUps), align: 'right' },
      { header: 'INTERNAL', cell: (row) => (row.internalBalanced ? 'balanced' : 'UNBALANCED') },
    ]),
  );
}

function printBreaks(io: CliIo, breaks: readonly BreakView[]): void {
  io.stdout(
    renderTable(breaks, [
      { header: 'BREAK', cell: (row) => row.id },
      { header: 'STATUS', cell: (row) => row.status },
      { header: 'DIRECTION', cell: (row) => row.direction },
      { header: 'AMOUNT', cell: (row) => row.amount, align: 'amount' },
      { header: 'ASSET', cell: (row) => row.asset },
      { header: 'VAULT', cell: (row) => row.vaultId },
      { header: 'AGE', cell: (row) => formatAge(row.ageMs) },
      { header: 'RESOLVED BY', cell: (row) => row.resolvedBy ?? '-' },
      { header: 'RESOLUTION', cell: (row) => row.resolution ?? '-' },
    ]),
  );
}

function printTopUps(io: CliIo, topUps: readonly TopUpView[]): void {
  io.stdout(
    renderTable(
      topUps,
      [
        { header: 'TOP-UP', cell: (row) => row.id },
        { header: 'TO VAULT', cell: (row) => row.vaultId },
        { header: 'AMOUNT', cell: (row) => row.amount, align: 'amount' },
        { header: 'ASSET', cell: (row) => row.asset },
        { header: 'ACCOUNT CLASS', cell: (row) => row.accountClass },
        { header: 'DUE', cell: (row) => row.dueAt },
      ],
      '(none)',
    ),
  );
}

function printWithdrawal(io: CliIo, view: ResidualInterestWithdrawalView): void {
  io.stdout(
    renderFields([
      ['withdrawal', view.id],
      ['status', view.status],
      ['amount', `${view.amount} ${view.asset} (${view.accountClass})`],
      ['reason', view.reason],
      ['recipient', view.recipient],
      ['requested', `${view.requestedAt} by ${view.requestedBy}`],
      ['approvals', view.approvals.map((approval) => approval.officerKeyId).join(', ') || 'none'],
      ['transfer', view.transferId],
      ['executed', view.execution === null ? '-' : `${view.execution.at}, journal seq ${view.execution.seq}`],
      ['refused', view.refusal === null ? '-' : `${view.refusal.code}: ${view.refusal.message}`],
      ['regulator notice', view.noticeId ?? '-'],
    ]),
  );
}

function printWithdrawals(io: CliIo, withdrawals: readonly ResidualInterestWithdrawalView[]): void {
  io.stdout(
    renderTable(withdrawals, [
      { header: 'WITHDRAWAL', cell: (row) => row.id },
      { header: 'STATUS', cell: (row) => row.status },
      { header: 'AMOUNT', cell: (row) => row.amount, align: 'amount' },
      { header: 'ASSET', cell: (row) => row.asset },
      { header: 'ACCOUNT CLASS', cell: (row) => row.accountClass },
      { header: 'APPROVALS', cell: (row) => String(row.approvals.length), align: 'right' },
      { header: 'REQUESTED', cell: (row) => row.requestedAt },
      { header: 'NOTICE', cell: (row) => row.noticeId ?? row.refusal?.code ?? '-' },
    ]),
  );
}

function printNotices(io: CliIo, notices: readonly NoticeView[]): void {
  io.stdout(
    renderTable(notices, [
      { header: 'NOTICE', cell: (row) => row.id },
      { header: 'WITHDRAWAL', cell: (row) => row.requestId },
      { header: 'AMOUNT', cell: (row) => row.amount, align: 'amount' },
      { header: 'ASSET', cell: (row) => row.asset },
      { header: 'CUMULATIVE', cell: (row) => row.cumulativeWithdrawn, align: 'amount' },
      { header: 'ISSUED', cell: (row) => row.issuedAt },
    ]),
  );
}

function printAlerts(io: CliIo, alerts: readonly AlertView[]): void {
  io.stdout(
    renderTable(alerts, [
      { header: 'SEQ', cell: (row) => String(row.seq), align: 'right' },
      { header: 'SEVERITY', cell: (row) => row.severity },
      { header: 'CODE', cell: (row) => row.code },
      {
        header: 'AMOUNT',
        cell: (row) => (row.amount === null ? '-' : `${row.amount} ${row.asset ?? ''}`.trim()),
      },
      { header: 'RAISED', cell: (row) => row.raisedAt },
      { header: 'MESSAGE', cell: (row) => row.message },
    ]),
  );
}

/** An age as people read it: `45s`, `12m 5s`, `3h 20m`, `2d 4h`. */
export function formatAge(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}
