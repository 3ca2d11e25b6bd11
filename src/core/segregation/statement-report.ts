// The views of a segregation statement outside the engine: the JSON the API and CLI return, CSV for
// spreadsheets, the line differences between two statements, and the printable HTML document a compliance
// officer signs. Amounts leave as decimal strings from `formatAmount`; nothing here reads a clock or does I/O.

import { assert } from '../assert.ts';
import { formatAmount } from '../money/amount.ts';
import { dateOfMs } from './business-day.ts';
import type { ClientMoneyApproach, ClientMoneyLines } from './client-money-lines.ts';
import {
  type LineDifference,
  type SealedStatement,
  type SegregationRegime,
  STATEMENT_LINES,
  type StatementBody,
  type StatementLineField,
} from './sealed-statement.ts';
import type { SegmentLines, SegmentStatus, VaultHoldingLine, VaultIneligibility } from './statement.ts';

/** The scale (decimal places of the minor unit) of an asset. */
export type ScaleOf = (asset: string) => number;

/** One vault's holdings in one segment, as JSON. */
export interface StatementVaultJson {
  readonly vaultId: string;
  readonly balance: string;
  readonly eligible: boolean;
  readonly ineligibility: VaultIneligibility | null;
}

/** One segment's lines as JSON: amounts are decimal strings at the asset's scale. */
export interface StatementSegmentJson {
  readonly asset: string;
  readonly accountClass: string;
  readonly customers: number;
  readonly customersInDeficit: number;
  readonly netLedgerBalance: string;
  readonly unrealisedPnl: string;
  readonly netEquity: string;
  readonly deficitsAddedBack: string;
  readonly requirement: string;
  readonly fundsHeld: string;
  readonly fundsNotEligible: string;
  readonly unresolvedShortfall: string;
  readonly fundsHeldNet: string;
  readonly excess: string;
  readonly targetResidualInterest: string;
  readonly excessOverTarget: string;
  readonly undermargined: string;
  readonly topUpRequired: string;
  readonly residualInterestLedger: string;
  readonly status: SegmentStatus;
  readonly vaults: readonly StatementVaultJson[];
}

/** One segment's client-money calculation as JSON. */
export interface StatementClientMoneyJson {
  readonly asset: string;
  readonly accountClass: string;
  readonly approach: ClientMoneyApproach;
  readonly requirement: string;
  readonly debtorBalancesExcluded: string;
  readonly marginedTransactionRequirement: string;
  readonly resource: string;
  readonly prudentSegregation: string;
  readonly transfer: string;
  readonly outcome: 'balanced' | 'shortfall' | 'excess';
  readonly dueAtMs: number;
  readonly dueAt: string;
}

/** A statement, draft or final, as the API and the CLI show it. */
export interface StatementJson {
  readonly version: 1;
  readonly id: string;
  readonly regime: SegregationRegime;
  readonly businessDate: string;
  /** `final` when the statement is sealed (has a hash). */
  readonly status: 'draft' | 'final';
  readonly cutoff: {
    readonly seq: number;
    readonly headHash: string;
    readonly batchTimestampMs: number;
    /** Null for the empty journal (seq 0), which has no batch. */
    readonly batchTimestamp: string | null;
  };
  readonly computedAtMs: number;
  readonly computedAt: string;
  readonly computedBy: string;
  readonly finalisedAtMs: number | null;
  readonly finalisedAt: string | null;
  readonly finalisedBy: string | null;
  readonly hash: string | null;
  readonly supersedes: { readonly id: string; readonly hash: string } | null;
  readonly segments: readonly StatementSegmentJson[];
  readonly clientMoney: readonly StatementClientMoneyJson[];
}

/** One line difference between two statements as JSON; `line` is the segment's key in `StatementSegmentJson`. */
export interface LineDifferenceJson {
  readonly asset: string;
  readonly accountClass: string;
  readonly line: string;
  readonly label: string;
  readonly from: string;
  readonly to: string;
  readonly change: string;
}

/** Options of the printable document: who it is for and when it was produced (core reads no clock). */
export interface StatementHtmlOptions {
  readonly firmName: string;
  readonly generatedAtMs: number;
}

/** The client-money amounts a statement reports per segment, in statement order, with their labels. */
export const CLIENT_MONEY_LINES = [
  ['requirementMinor', 'Client money requirement (positive individual client balances plus margin)'],
  ['marginedTransactionRequirementMinor', 'of which margined transaction requirement'],
  ['debtorBalancesExcludedMinor', 'Memo: debtor balances excluded from the requirement, never netted'],
  ['resourceMinor', 'Client money resource'],
  ['prudentSegregationMinor', 'Prudent segregation (alternative approach)'],
  ['transferMinor', 'Transfer to client accounts (withdrawal of excess when negative)'],
] as const satisfies readonly (readonly [keyof ClientMoneyLines, string])[];

const STATEMENT_LABELS: ReadonlyMap<StatementLineField, string> = new Map(STATEMENT_LINES);

const STATEMENT_TITLE = 'Statement of segregation requirements and funds in segregation';

/** True when the statement is sealed. */
function isSealed(statement: StatementBody | SealedStatement): statement is SealedStatement {
  return 'hash' in statement;
}

// ---------------------------------------------------------------------------------------------------------
// JSON

/** The statement as a JSON-ready object: every `...Minor` bigint becomes a decimal string without the suffix. */
export function statementJson(statement: StatementBody | SealedStatement, scaleOf: ScaleOf): StatementJson {
  const sealed = isSealed(statement) ? statement : null;
  return {
    version: statement.version,
    id: statement.id,
    regime: statement.regime,
    businessDate: statement.businessDate,
    status: sealed === null ? 'draft' : 'final',
    cutoff: {
      seq: statement.cutoff.seq,
      headHash: statement.cutoff.headHash,
      batchTimestampMs: statement.cutoff.batchTimestampMs,
      batchTimestamp: statement.cutoff.seq === 0 ? null : formatInstantIso(statement.cutoff.batchTimestampMs),
    },
    computedAtMs: statement.computedAtMs,
    computedAt: formatInstantIso(statement.computedAtMs),
    computedBy: statement.computedBy,
    finalisedAtMs: sealed?.finalisedAtMs ?? null,
    finalisedAt: sealed === null ? null : formatInstantIso(sealed.finalisedAtMs),
    finalisedBy: sealed?.finalisedBy ?? null,
    hash: sealed?.hash ?? null,
    supersedes:
      statement.supersedes === null ? null : { id: statement.supersedes.id, hash: statement.supersedes.hash },
    segments: statement.segments.map((segment) => segmentJson(segment, scaleOf(segment.asset))),
    clientMoney: statement.clientMoney.map((lines) => clientMoneyJson(lines, scaleOf(lines.asset))),
  };
}

/** One segment's lines as JSON at the asset's `scale` (the pro-forma view shows segments without a statement). */
export function segmentJson(segment: SegmentLines, scale: number): StatementSegmentJson {
  const amount = (minor: bigint): string => formatAmount(minor, scale);
  return {
    asset: segment.asset,
    accountClass: segment.accountClass,
    customers: segment.customers,
    customersInDeficit: segment.customersInDeficit,
    netLedgerBalance: amount(segment.netLedgerBalanceMinor),
    unrealisedPnl: amount(segment.unrealisedPnlMinor),
    netEquity: amount(segment.netEquityMinor),
    deficitsAddedBack: amount(segment.deficitsAddedBackMinor),
    requirement: amount(segment.requirementMinor),
    fundsHeld: amount(segment.fundsHeldMinor),
    fundsNotEligible: amount(segment.fundsNotEligibleMinor),
    unresolvedShortfall: amount(segment.unresolvedShortfallMinor),
    fundsHeldNet: amount(segment.fundsHeldNetMinor),
    excess: amount(segment.excessMinor),
    targetResidualInterest: amount(segment.targetResidualInterestMinor),
    excessOverTarget: amount(segment.excessOverTargetMinor),
    undermargined: amount(segment.undermarginedMinor),
    topUpRequired: amount(segment.topUpRequiredMinor),
    residualInterestLedger: amount(segment.residualInterestLedgerMinor),
    status: segment.status,
    vaults: segment.vaults.map((vault) => ({
      vaultId: vault.vaultId,
      balance: amount(vault.balanceMinor),
      eligible: vault.eligible,
      ineligibility: vault.ineligibility,
    })),
  };
}

function clientMoneyJson(lines: ClientMoneyLines, scale: number): StatementClientMoneyJson {
  const amount = (minor: bigint): string => formatAmount(minor, scale);
  return {
    asset: lines.asset,
    accountClass: lines.accountClass,
    approach: lines.approach,
    requirement: amount(lines.requirementMinor),
    debtorBalancesExcluded: amount(lines.debtorBalancesExcludedMinor),
    marginedTransactionRequirement: amount(lines.marginedTransactionRequirementMinor),
    resource: amount(lines.resourceMinor),
    prudentSegregation: amount(lines.prudentSegregationMinor),
    transfer: amount(lines.transferMinor),
    outcome: lines.outcome,
    dueAtMs: lines.dueAtMs,
    dueAt: formatInstantIso(lines.dueAtMs),
  };
}

/** The line differences as JSON, with labels and decimal strings. */
export function diffJson(differences: readonly LineDifference[], scaleOf: ScaleOf): LineDifferenceJson[] {
  return differences.map((difference) => {
    const scale = scaleOf(difference.asset);
    return {
      asset: difference.asset,
      accountClass: difference.accountClass,
      line: jsonKeyOf(difference.line),
      label: statementLabelOf(difference.line),
      from: formatAmount(difference.fromMinor, scale),
      to: formatAmount(difference.toMinor, scale),
      change: formatAmount(difference.changeMinor, scale),
    };
  });
}

// ---------------------------------------------------------------------------------------------------------
// CSV

const STATEMENT_CSV_HEADER = [
  'statement_id',
  'business_date',
  'status',
  'hash',
  'cutoff_seq',
  'asset',
  'account_class',
  'line',
  'label',
  'amount',
] as const;

const DIFF_CSV_HEADER = ['asset', 'account_class', 'line', 'label', 'from', 'to', 'change'] as const;

/**
 * The statement as CSV (RFC 4180 quoting, LF line endings, header row): one row per segment per line in
 * statement order, then the client-money rows (lines prefixed `client_money_`).
 */
export function statementCsv(statement: StatementBody | SealedStatement, scaleOf: ScaleOf): string {
  const sealed = isSealed(statement) ? statement : null;
  const prefix = [
    statement.id,
    statement.businessDate,
    sealed === null ? 'draft' : 'final',
    sealed?.hash ?? '',
    String(statement.cutoff.seq),
  ];
  const rows: string[][] = [[...STATEMENT_CSV_HEADER]];
  for (const segment of statement.segments) {
    const scale = scaleOf(segment.asset);
    for (const [field, label] of STATEMENT_LINES) {
      rows.push([
        ...prefix,
        segment.asset,
        segment.accountClass,
        csvLineNameOf(field),
        label,
        formatAmount(segment[field], scale),
      ]);
    }
  }
  for (const lines of statement.clientMoney) {
    const scale = scaleOf(lines.asset);
    for (const [field, label] of CLIENT_MONEY_LINES) {
      rows.push([
        ...prefix,
        lines.asset,
        lines.accountClass,
        `client_money_${csvLineNameOf(field)}`,
        label,
        formatAmount(lines[field], scale),
      ]);
    }
  }
  return encodeCsv(rows);
}

/** The line differences as CSV: `asset,account_class,line,label,from,to,change`. */
export function diffCsv(differences: readonly LineDifference[], scaleOf: ScaleOf): string {
  const rows: string[][] = [[...DIFF_CSV_HEADER]];
  for (const difference of differences) {
    const scale = scaleOf(difference.asset);
    rows.push([
      difference.asset,
      difference.accountClass,
      csvLineNameOf(difference.line),
      statementLabelOf(difference.line),
      formatAmount(difference.fromMinor, scale),
      formatAmount(difference.toMinor, scale),
      formatAmount(difference.changeMinor, scale),
    ]);
  }
  return encodeCsv(rows);
}

/** Rows as CSV: RFC 4180 quoting, LF line endings, a final newline. */
export function encodeCsv(rows: readonly (readonly string[])[]): string {
  return rows
    .map((row) => row.map(csvField).join(','))
    .join('\n')
    .concat('\n');
}

/** RFC 4180: a field holding a comma, a quote or a line break is quoted, and its quotes are doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** `netLedgerBalanceMinor` → `netLedgerBalance`: the key in the JSON view. */
function jsonKeyOf(field: string): string {
  assert(field.endsWith('Minor'), `statement amount fields end in Minor: ${field}`);
  return field.slice(0, -'Minor'.length);
}

/** `netLedgerBalanceMinor` → `net_ledger_balance`: the line name in CSV. */
function csvLineNameOf(field: string): string {
  return jsonKeyOf(field).replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function statementLabelOf(field: StatementLineField): string {
  const label = STATEMENT_LABELS.get(field);
  assert(label !== undefined, `every statement line has a label: ${field}`);
  return label;
}

// ---------------------------------------------------------------------------------------------------------
// HTML

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A printed amount: the decimal string, negatives in parentheses as accounts show them ("(12.5)"). */
export function formatPrintedAmount(minor: bigint, scale: number): string {
  return minor < 0n ? `(${formatAmount(-minor, scale)})` : formatAmount(minor, scale);
}

const SEGMENT_STATUS_TEXT: Readonly<Record<SegmentStatus, string>> = {
  deficient: 'Deficient',
  below_target: 'Below target',
  compliant: 'Compliant',
};

const VAULT_INELIGIBILITY_TEXT: Readonly<Record<VaultIneligibility, string>> = {
  vault_not_registered: 'No: vault not registered',
  vault_not_customer: 'No: not a customer segregated vault',
  vault_not_acknowledged: 'No: no acknowledgment letter from the depository',
  vault_class_mismatch: 'No: vault serves another account class',
};

const CLIENT_MONEY_OUTCOME_TEXT: Readonly<Record<ClientMoneyLines['outcome'], string>> = {
  balanced: 'Balanced: the resource equals the requirement.',
  shortfall: 'Shortfall: the firm must pay the transfer amount into client bank accounts.',
  excess: 'Excess: the firm may withdraw the excess from client bank accounts.',
};

const REGIME_TEXT: Readonly<Record<SegregationRegime, string>> = {
  cftc: 'CFTC (17 CFR 1.20–1.32)',
  uk_cass: 'FCA CASS 7 (client money, CASS 7.16)',
};

// Inline only: the document must print and archive on its own, with nothing fetched from elsewhere.
const STYLESHEET = `
@page { size: A4 portrait; margin: 16mm 15mm 18mm 15mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 180mm; padding: 8mm 0; font: 10pt/1.4 Georgia, 'Times New Roman', serif; color: #111; background: #fff; }
h1 { font-size: 15pt; margin: 0 0 2mm; }
h2 { font-size: 12pt; margin: 7mm 0 2mm; border-bottom: 1px solid #111; padding-bottom: 1mm; }
h3 { font-size: 10.5pt; margin: 4mm 0 1.5mm; }
p { margin: 1.5mm 0; }
.firm { font-size: 12pt; font-weight: bold; margin: 0 0 4mm; }
.mono { font-family: 'Courier New', Courier, monospace; font-size: 8.5pt; word-break: break-all; }
table { width: 100%; border-collapse: collapse; margin: 1.5mm 0 2mm; }
th, td { padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
thead th { border-bottom: 1px solid #111; font-size: 9pt; }
tbody td { border-bottom: 1px solid #ddd; }
td.amount, th.amount { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; font-family: 'Courier New', Courier, monospace; }
td.number { width: 8mm; color: #555; }
tr.memo td { font-style: italic; color: #444; }
tr.total td { font-weight: bold; border-top: 1px solid #111; }
table.facts th { width: 42mm; font-weight: normal; color: #444; }
table.facts td, table.facts th { border-bottom: 1px solid #eee; }
.segment { break-inside: avoid; page-break-inside: avoid; }
.status { margin: 2mm 0; padding: 1.5mm 2.5mm; border: 1px solid #111; }
.status-deficient { border-width: 2px; font-weight: bold; }
.status-below_target { border-style: dashed; }
.banner { margin: 0 0 4mm; padding: 2mm 3mm; border: 2px solid #a00; color: #a00; font-weight: bold; }
.watermark { position: fixed; top: 40%; left: 0; right: 0; text-align: center; font-size: 110pt; font-weight: bold; color: rgba(170, 0, 0, 0.12); transform: rotate(-30deg); z-index: -1; pointer-events: none; }
.signoff { break-inside: avoid; page-break-inside: avoid; margin-top: 8mm; }
.signoff table td { border: none; padding: 4mm 1.5mm 1mm; }
.signoff .line { border-bottom: 1px solid #111; width: 100%; }
.signoff .field { width: 30mm; }
footer { margin-top: 6mm; font-size: 8pt; color: #555; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
`.trim();

/**
 * The statement as a complete, self-contained, printable HTML5 document (A4 portrait, inline CSS, no scripts,
 * nothing fetched): the figures per segment, the vaults, client money, the basis of preparation and a sign-off.
 */
export function statementHtml(
  statement: StatementBody | SealedStatement,
  scaleOf: ScaleOf,
  options: StatementHtmlOptions,
): string {
  const sealed = isSealed(statement) ? statement : null;
  const id = escapeHtml(statement.id);
  const parts: string[] = [];
  parts.push(
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${STATEMENT_TITLE}: ${options.firmName}, ${statement.businessDate}`)}</title>`,
    `<style>\n${STYLESHEET}\n</style>`,
    '</head>',
    '<body>',
  );
  if (sealed === null) {
    parts.push(
      '<div class="watermark" aria-hidden="true">DRAFT</div>',
      '<p class="banner">DRAFT: this statement has not been finalised or sealed. It is not for filing or signature.</p>',
    );
  }
  parts.push(
    '<header>',
    `<h1>${escapeHtml(STATEMENT_TITLE)}</h1>`,
    `<p class="firm">${escapeHtml(options.firmName)}</p>`,
    '<table class="facts"><tbody>',
    factRow('Business date', escapeHtml(statement.businessDate)),
    factRow('Regime', escapeHtml(REGIME_TEXT[statement.regime])),
    factRow('Statement id', `<span class="mono">${id}</span>`),
    factRow('Status', sealed === null ? '<strong>DRAFT</strong> (not finalised)' : 'Final (sealed)'),
    factRow('Cut-off', cutoffHtml(statement)),
    factRow(
      'Computed',
      `${escapeHtml(formatInstantPrinted(statement.computedAtMs))} by ${escapeHtml(statement.computedBy)}`,
    ),
  );
  if (sealed !== null) {
    parts.push(
      factRow(
        'Finalised',
        `${escapeHtml(formatInstantPrinted(sealed.finalisedAtMs))} by ${escapeHtml(sealed.finalisedBy)}`,
      ),
      factRow('Seal hash (SHA-256)', `<span class="mono">${escapeHtml(sealed.hash)}</span>`),
    );
  }
  if (statement.supersedes !== null) {
    parts.push(
      factRow(
        'Supersedes',
        `statement <span class="mono">${escapeHtml(statement.supersedes.id)}</span>, seal hash <span class="mono">${escapeHtml(statement.supersedes.hash)}</span>`,
      ),
    );
  }
  parts.push('</tbody></table>', '</header>');

  parts.push('<main>', '<h2>Summary</h2>');
  if (statement.segments.length === 0) {
    parts.push('<p>No customer segments at this cut-off: nothing is required in segregation.</p>');
  } else {
    parts.push(summaryTableHtml(statement.segments, scaleOf));
    statement.segments.forEach((segment, index) => {
      parts.push(segmentHtml(segment, index + 1, scaleOf(segment.asset)));
    });
  }
  if (statement.clientMoney.length > 0) {
    parts.push('<h2>Client money calculation (FCA CASS 7.16)</h2>');
    for (const lines of statement.clientMoney) parts.push(clientMoneyHtml(lines, scaleOf(lines.asset)));
  }
  parts.push(basisHtml(), '</main>', signOffHtml(statement, sealed));
  parts.push(
    '<footer>',
    `<p>Generated ${escapeHtml(formatInstantPrinted(options.generatedAtMs))} from statement <span class="mono">${id}</span>. Amounts are in units of the asset named; amounts in parentheses are negative.</p>`,
    '</footer>',
    '</body>',
    '</html>',
  );
  return `${parts.join('\n')}\n`;
}

function factRow(name: string, valueHtml: string): string {
  return `<tr><th scope="row">${escapeHtml(name)}</th><td>${valueHtml}</td></tr>`;
}

function cutoffHtml(statement: StatementBody): string {
  const { seq, headHash, batchTimestampMs } = statement.cutoff;
  const batch =
    seq === 0 ? ' (the empty journal)' : `, batch of ${escapeHtml(formatInstantPrinted(batchTimestampMs))}`;
  return `journal seq ${seq}${batch}; head hash <span class="mono">${escapeHtml(headHash)}</span>`;
}

function summaryTableHtml(segments: readonly SegmentLines[], scaleOf: ScaleOf): string {
  const rows = segments.map((segment) => {
    const scale = scaleOf(segment.asset);
    return [
      '<tr>',
      `<td>${escapeHtml(segment.asset)}</td>`,
      `<td>${escapeHtml(segment.accountClass)}</td>`,
      amountCell(segment.requirementMinor, scale),
      amountCell(segment.fundsHeldNetMinor, scale),
      amountCell(segment.excessMinor, scale),
      `<td>${escapeHtml(SEGMENT_STATUS_TEXT[segment.status])}</td>`,
      '</tr>',
    ].join('');
  });
  return [
    '<table class="summary">',
    '<thead><tr><th>Asset</th><th>Account class</th><th class="amount">Requirement</th>',
    '<th class="amount">Funds held, net</th><th class="amount">Excess (deficiency)</th><th>Status</th></tr></thead>',
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table>',
  ].join('\n');
}

function segmentHtml(segment: SegmentLines, sectionNumber: number, scale: number): string {
  const asset = escapeHtml(segment.asset);
  const accountClass = escapeHtml(segment.accountClass);
  const lineRows = STATEMENT_LINES.map(([field, label], index) => {
    const memo = label.startsWith('Memo:');
    const total = field === 'requirementMinor' || field === 'excessMinor';
    const rowClass = memo ? ' class="memo"' : total ? ' class="total"' : '';
    // The memo lines close the table unnumbered: they inform, they are not part of the calculation.
    const number = memo ? '' : String(index + 1);
    return `<tr${rowClass}><td class="number">${number}</td><td>${escapeHtml(label)}</td>${amountCell(segment[field], scale)}</tr>`;
  });
  return [
    '<section class="segment">',
    `<h2>${sectionNumber}. ${asset}, account class ${accountClass}</h2>`,
    `<p>${segment.customers} customer${segment.customers === 1 ? '' : 's'} with a position, ${segment.customersInDeficit} in deficit.</p>`,
    '<table class="lines">',
    `<thead><tr><th>Line</th><th>Description</th><th class="amount">Amount (${asset})</th></tr></thead>`,
    `<tbody>\n${lineRows.join('\n')}\n</tbody>`,
    '</table>',
    segmentStatusHtml(segment, scale),
    `<h3>Vaults: ${asset}, account class ${accountClass}</h3>`,
    vaultTableHtml(segment.vaults, asset, scale),
    '</section>',
  ].join('\n');
}

function segmentStatusHtml(segment: SegmentLines, scale: number): string {
  const asset = escapeHtml(segment.asset);
  const amount = (minor: bigint): string => `${escapeHtml(formatAmount(minor, scale))} ${asset}`;
  let text: string;
  switch (segment.status) {
    case 'deficient':
      text =
        `Status: DEFICIENT. Funds held in segregation, net, fall short of the requirement by ${amount(-segment.excessMinor)}. ` +
        'The firm must make good the deficiency at once and give the notices the rules require.';
      break;
    case 'below_target':
      text =
        `Status: BELOW TARGET. The requirement is covered with an excess of ${amount(segment.excessMinor)}, ` +
        `which is ${amount(-segment.excessOverTargetMinor)} below the targeted residual interest of ${amount(segment.targetResidualInterestMinor)}.`;
      break;
    case 'compliant':
      text =
        `Status: COMPLIANT. The requirement is covered with an excess of ${amount(segment.excessMinor)}, ` +
        `at or above the targeted residual interest of ${amount(segment.targetResidualInterestMinor)}.`;
      break;
  }
  if (segment.topUpRequiredMinor > 0n) {
    text += ` Firm top-up required (line 13): ${amount(segment.topUpRequiredMinor)}.`;
  }
  return `<p class="status status-${segment.status}">${text}</p>`;
}

function vaultTableHtml(vaults: readonly VaultHoldingLine[], assetHtml: string, scale: number): string {
  if (vaults.length === 0) return '<p>No vault holds this asset for this account class on the books.</p>';
  const rows = vaults.map(
    (vault) =>
      `<tr><td class="mono">${escapeHtml(vault.vaultId)}</td>${amountCell(vault.balanceMinor, scale)}<td>${escapeHtml(vaultCountsText(vault))}</td></tr>`,
  );
  return [
    '<table class="vaults">',
    `<thead><tr><th>Vault</th><th class="amount">Balance on the books (${assetHtml})</th><th>Counts as funds held in segregation</th></tr></thead>`,
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table>',
  ].join('\n');
}

function vaultCountsText(vault: VaultHoldingLine): string {
  if (vault.eligible) return 'Yes';
  assert(vault.ineligibility !== null, 'a vault that does not count says why');
  return VAULT_INELIGIBILITY_TEXT[vault.ineligibility];
}

function clientMoneyHtml(lines: ClientMoneyLines, scale: number): string {
  const asset = escapeHtml(lines.asset);
  const rows = CLIENT_MONEY_LINES.map(([field, label]) => {
    const memo = label.startsWith('Memo:');
    return `<tr${memo ? ' class="memo"' : ''}><td>${escapeHtml(label)}</td>${amountCell(lines[field], scale)}</tr>`;
  });
  return [
    '<section class="segment">',
    `<h3>${asset}, account class ${escapeHtml(lines.accountClass)}: ${lines.approach === 'normal' ? 'normal' : 'alternative'} approach (CASS 7.13)</h3>`,
    '<table class="lines">',
    `<thead><tr><th>Description</th><th class="amount">Amount (${asset})</th></tr></thead>`,
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table>',
    `<p class="status">${escapeHtml(CLIENT_MONEY_OUTCOME_TEXT[lines.outcome])} Transfer due by ${escapeHtml(formatInstantPrinted(lines.dueAtMs))}.</p>`,
    '</section>',
  ].join('\n');
}

function basisHtml(): string {
  return [
    '<section>',
    '<h2>Basis of preparation</h2>',
    '<p>The figures are computed separately for each asset and each customer account class, and are never netted ',
    'across assets or across account classes. The requirement is the sum over customers of max(0, net equity): a ',
    "customer's deficit is added back and never netted against another customer's equity. Only holdings of ",
    'registered customer vaults whose depository has acknowledged them as customer segregated funds count as funds ',
    'held in segregation; holdings of other vaults are listed but do not count. Unresolved unfavourable ',
    'reconciliation breaks are deducted from funds held until they are resolved. The statement follows CFTC ',
    'Regulations 1.20–1.32 (17 CFR 1.20–1.32) and, for client money, FCA CASS 7.16.</p>',
    '</section>',
  ].join('\n');
}

function signOffHtml(statement: StatementBody, sealed: SealedStatement | null): string {
  const command = `<span class="mono">ringfence segregation show ${escapeHtml(statement.id)} --verify</span>`;
  const seal =
    sealed === null
      ? `<p>This statement carries no seal yet. Once finalised, its seal hash can be checked with ${command}.</p>`
      : `<p>The seal hash <span class="mono">${escapeHtml(sealed.hash)}</span> can be checked with ${command}.</p>`;
  const field = (name: string): string =>
    `<tr><td class="field">${escapeHtml(name)}</td><td><div class="line">&nbsp;</div></td></tr>`;
  return [
    '<section class="signoff">',
    '<h2>Sign-off</h2>',
    '<p>I have reviewed this statement and confirm that, to the best of my knowledge, it is true and correct.</p>',
    '<p>Chief Compliance Officer</p>',
    '<table><tbody>',
    field('Name'),
    field('Title'),
    field('Signature'),
    field('Date'),
    '</tbody></table>',
    seal,
    '</section>',
  ].join('\n');
}

function amountCell(minor: bigint, scale: number): string {
  return `<td class="amount">${escapeHtml(formatPrintedAmount(minor, scale))}</td>`;
}

// ---------------------------------------------------------------------------------------------------------
// Instants

const DAY_MS = 86_400_000;

/** An instant (ms since the epoch) as ISO 8601 UTC (`2026-11-30T17:00:00.000Z`), without the Date object. */
export function formatInstantIso(ms: number): string {
  assert(Number.isSafeInteger(ms), `an instant is a whole number of milliseconds: ${ms}`);
  // The remainder is taken towards negative infinity so instants before 1970 fall on the right day.
  const timeOfDayMs = ((ms % DAY_MS) + DAY_MS) % DAY_MS;
  const hours = Math.floor(timeOfDayMs / 3_600_000);
  const minutes = Math.floor(timeOfDayMs / 60_000) % 60;
  const seconds = Math.floor(timeOfDayMs / 1000) % 60;
  const millis = timeOfDayMs % 1000;
  return `${dateOfMs(ms)}T${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(millis, 3)}Z`;
}

/** An instant as printed on the document: `2026-11-30 17:00:00 UTC` (to the second). */
function formatInstantPrinted(ms: number): string {
  const iso = formatInstantIso(ms);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
