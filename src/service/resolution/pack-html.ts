// The resolution pack as a human-readable report: one self-contained HTML document (inline CSS, no scripts,
// nothing fetched) with the freeze, the journal's verification, the distribution per estate, shortfalls,
// recoveries and unsecured claims, the vault register, the latest segregation statement and reconciliations,
// custody's signers and policies, and the customers' statements (the first PACK_HTML_CUSTOMERS_MAX of them:
// the JSON and CSV packs carry every one).

import { escapeHtml } from '../../core/segregation/statement-report.ts';
import { PACK_CHUNK_CHARS, PACK_PROGRESS_EVERY } from './pack-json.ts';
import type { PackCustomer, ResolutionPackDocument } from './resolution-pack.ts';
import type { ProgressListener } from './resolution-service.ts';

/** Most customers whose statements the report prints in full. */
export const PACK_HTML_CUSTOMERS_MAX = 10_000;

const STYLESHEET = `
@page { size: A4 landscape; margin: 14mm; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 270mm; padding: 8mm 0; font: 10pt/1.4 Georgia, 'Times New Roman', serif; color: #111; background: #fff; }
h1 { font-size: 15pt; margin: 0 0 2mm; }
h2 { font-size: 12pt; margin: 7mm 0 2mm; border-bottom: 1px solid #111; padding-bottom: 1mm; }
p { margin: 1.5mm 0; }
.mono { font-family: 'Courier New', Courier, monospace; font-size: 8.5pt; word-break: break-all; }
table { width: 100%; border-collapse: collapse; margin: 1.5mm 0 2mm; }
th, td { padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
thead th { border-bottom: 1px solid #111; font-size: 9pt; }
tbody td { border-bottom: 1px solid #ddd; }
td.amount, th.amount { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; font-family: 'Courier New', Courier, monospace; }
table.facts th { width: 55mm; font-weight: normal; color: #444; }
.banner { margin: 0 0 4mm; padding: 2mm 3mm; border: 2px solid #a00; color: #a00; font-weight: bold; }
.ok { color: #060; font-weight: bold; }
.bad { color: #a00; font-weight: bold; }
footer { margin-top: 6mm; font-size: 8pt; color: #555; }
`.trim();

/** A table: headers (amount columns right-aligned) and rows of already-escaped cells. */
function table(headers: readonly string[], amountFrom: number, rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '<p>None.</p>';
  const cell = (tag: 'th' | 'td', value: string, index: number) =>
    `<${tag}${index >= amountFrom ? ' class="amount"' : ''}>${value}</${tag}>`;
  return `<table><thead><tr>${headers.map((h, i) => cell('th', escapeHtml(h), i)).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((value, i) => cell('td', value, i)).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function facts(rows: readonly (readonly [string, string])[]): string {
  return `<table class="facts"><tbody>${rows
    .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${value}</td></tr>`)
    .join('')}</tbody></table>`;
}

const text = escapeHtml;
const mono = (value: string) => `<span class="mono">${escapeHtml(value)}</span>`;

/** The report, chunk by chunk. */
export function* packHtmlChunks(
  pack: ResolutionPackDocument,
  onProgress?: ProgressListener,
): Generator<string> {
  const total = Math.min(pack.summary.customers, PACK_HTML_CUSTOMERS_MAX);
  let buffer = packHtmlHead(pack);
  let done = 0;
  for (const customer of pack.customers) {
    if (done >= PACK_HTML_CUSTOMERS_MAX) break;
    buffer += customerHtmlRows(customer);
    done += 1;
    if (buffer.length >= PACK_CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
    if (done % PACK_PROGRESS_EVERY === 0) onProgress?.({ phase: 'html', done, total });
  }
  onProgress?.({ phase: 'html', done, total });
  yield buffer + packHtmlTail(pack);
}

/** A customer's rows of the statements table. */
export function customerHtmlRows(customer: PackCustomer): string {
  let rows = '';
  const id = text(customer.customerId);
  for (const line of customer.estates) {
    rows += `<tr><td>${id}</td><td>${text(line.asset)}</td><td>${text(line.accountClass)}</td><td class="amount">${text(line.netEquity)}</td><td class="amount">${text(line.claim)}</td><td class="amount">${text(line.payout)}</td><td class="amount">${text(line.unpaid)}</td><td class="amount">${text(line.debt)}</td><td class="amount">${text(line.recovered)}</td><td class="amount">${text(line.outstanding)}</td></tr>\n`;
  }
  return rows;
}

/** The end of the document after the statements table's last row. */
export function packHtmlTail(pack: ResolutionPackDocument): string {
  return `</tbody></table>\n<footer>Ringfence resolution pack (${text(pack.format)}); amounts are in each asset's units. Sources and method: docs/resolution.md.</footer>\n</body>\n</html>\n`;
}

/** Everything before the first customer's rows: the document's head and every section but the statements. */
export function packHtmlHead(pack: ResolutionPackDocument): string {
  const title = `Resolution pack: ${pack.firm}`;
  const parts: string[] = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${text(title)}</title>`,
    `<style>\n${STYLESHEET}\n</style>`,
    '</head>',
    '<body>',
  ];
  if (pack.simulated) {
    parts.push(
      '<p class="banner">SIMULATED: computed at the journal head without a freeze. The ledger was not frozen and kept trading; this is not a resolution.</p>',
    );
  }
  parts.push(`<h1>${text(title)}</h1>`);
  const freeze = pack.freeze;
  parts.push(
    facts([
      ['Format', text(pack.format)],
      ['Generated', text(pack.generatedAt)],
      ['Status', pack.simulated ? 'Simulated (no freeze)' : 'Frozen by two officers'],
      ...(freeze === null
        ? []
        : ([
            ['Freeze reason', text(freeze.reason)],
            ['Requested by', `${mono(freeze.requestedBy)} at ${text(freeze.requestedAt)}`],
            ['Approved by', `${mono(freeze.approvedBy)} at ${text(freeze.approvedAt)}`],
          ] as [string, string][])),
      ['Pinned journal seq', text(String(pack.pinned.seq))],
      ['Pinned head hash', mono(pack.pinned.headHash)],
      ['Last batch at', text(pack.pinned.batchTimestamp ?? '(empty journal)')],
      ['Computed at', text(pack.pinned.computedAt)],
      [
        'Customers',
        text(
          `${pack.summary.customers} (${pack.summary.claimLines} positions in ${pack.summary.estates} estates)`,
        ),
      ],
    ]),
  );
  parts.push('<h2>Journal verification</h2>');
  if (pack.journal === null) parts.push('<p>Not run for this pack.</p>');
  else {
    const journal = pack.journal;
    parts.push(
      facts([
        [
          'Result',
          journal.verified
            ? '<span class="ok">VERIFIED</span>: hash chain, replay, stored balances and invariants'
            : `<span class="bad">NOT VERIFIED</span>${journal.firstMismatch === null ? '' : `: ${text(journal.firstMismatch)}`}`,
        ],
        ['Head seq', text(String(journal.headSeq))],
        ['Head hash', mono(journal.headHash)],
        ['Batches / entries', text(`${journal.batches} / ${journal.entries}`)],
        ['Account mismatches', text(String(journal.accountMismatches))],
        ['Invariant violations', text(String(journal.invariantViolations))],
      ]),
    );
  }
  parts.push(
    '<h2>Distribution per estate</h2>',
    '<p>Each estate is one asset in one customer account class, distributed on its own, pro rata and in kind (17 CFR 190.09, 11 USC 766(h), CASS 7A.2). Payouts are floored to the minor unit and the remainder goes by largest fraction, ties to the lower customer id.</p>',
    table(
      [
        'asset',
        'class',
        'held',
        'recovered',
        'property',
        'claims',
        'distributed',
        'shortfall',
        'surplus',
        'ratio',
        'paid %',
        'claimants',
        'debtors',
      ],
      2,
      pack.estates.map((estate) => [
        text(estate.asset),
        text(estate.accountClass),
        text(estate.held),
        text(estate.recovered),
        text(estate.property),
        text(estate.totalClaims),
        text(estate.distributed),
        text(estate.shortfall),
        text(estate.surplus),
        text(estate.ratio),
        text(estate.paidPercent),
        text(String(estate.claimants)),
        text(String(estate.debtors)),
      ]),
    ),
    '<h2>Unresolved shortfalls deducted from property</h2>',
    table(
      ['asset', 'class', 'amount'],
      2,
      pack.shortfalls.map((entry) => [text(entry.asset), text(entry.accountClass), text(entry.amount)]),
    ),
    '<h2>Recovered debts</h2>',
    table(
      ['customer', 'asset', 'class', 'amount', 'reference', 'recorded by', 'at'],
      3,
      pack.recoveries.map((entry) => [
        text(entry.customerId),
        text(entry.asset),
        text(entry.accountClass),
        text(entry.amount),
        text(entry.reference),
        mono(entry.recordedBy),
        text(entry.recordedAt),
      ]),
    ),
    '<h2>Unsecured claims against the house estate</h2>',
    '<p>The unpaid part of each claim, summed per customer and asset (11 USC 752(b)(2)).</p>',
    table(
      ['asset', 'amount', 'claimants'],
      1,
      pack.unsecuredTotals.map((entry) => [
        text(entry.asset),
        text(entry.amount),
        text(String(entry.claimants)),
      ]),
    ),
    '<h2>Vault register</h2>',
    table(
      ['vault', 'kind', 'class', 'custodian', 'chain', 'address', 'assets', 'acknowledgment'],
      99,
      pack.vaults.map((vault) => [
        mono(vault.id),
        text(vault.kind),
        text(vault.accountClass ?? ''),
        text(vault.custodian),
        text(String(vault.chainId)),
        mono(vault.address),
        text(vault.assets.join(', ')),
        vault.acknowledgedAt === null
          ? '<span class="bad">none</span>'
          : `${text(vault.acknowledgmentReference ?? '')} (${text(vault.acknowledgedAt)})`,
      ]),
    ),
  );
  parts.push('<h2>Latest finalised segregation statement</h2>');
  const statement = pack.segregation?.latestStatement ?? null;
  if (statement === null) parts.push('<p>None finalised.</p>');
  else {
    parts.push(
      `<p>${text(statement.id)} for ${text(statement.businessDate)}, sealed ${mono(statement.hash ?? '')}, cut-off seq ${text(String(statement.cutoff.seq))}.</p>`,
      table(
        ['asset', 'class', 'requirement', 'funds held (net)', 'excess', 'status'],
        2,
        statement.segments.map((segment) => [
          text(segment.asset),
          text(segment.accountClass),
          text(segment.requirement),
          text(segment.fundsHeldNet),
          text(segment.excess),
          text(segment.status),
        ]),
      ),
    );
  }
  parts.push('<h2>Latest reconciliations</h2>');
  const reconciliations = pack.segregation?.reconciliations ?? [];
  if (reconciliations.length === 0) parts.push('<p>None recorded.</p>');
  for (const run of reconciliations) {
    parts.push(
      `<p>${text(run.id)} against ${text(run.source)} (${text(run.sourceReference)}) at ${text(run.at)}, books at seq ${text(String(run.ledgerSeq))}: ${run.breaks.length} break(s).</p>`,
      table(
        ['vault', 'asset', 'class', 'ledger', 'observed', 'difference'],
        3,
        run.external.map((line) => [
          mono(line.vaultId),
          text(line.asset),
          text(line.accountClass),
          text(line.ledger),
          text(line.observed),
          text(line.difference),
        ]),
      ),
    );
  }
  parts.push('<h2>Custody: signers and withdrawal policies</h2>');
  if (pack.custody === null) parts.push('<p>No custody setup recorded.</p>');
  else {
    parts.push(
      table(
        ['address', 'role', 'party', 'label'],
        99,
        pack.custody.signers.map((signer) => [
          mono(signer.address),
          text(signer.role),
          text(signer.partyId),
          text(signer.label),
        ]),
      ),
      table(
        ['vault', 'policy'],
        99,
        pack.custody.policies.map((entry) => [mono(entry.vaultId), mono(JSON.stringify(entry.policy))]),
      ),
    );
  }
  const total = pack.summary.customers;
  parts.push(
    '<h2>Customer statements</h2>',
    `<p>Per customer and estate: net equity, claim, payout, unpaid part (an unsecured claim), and a deficit customer's debt to the estate.${
      total > PACK_HTML_CUSTOMERS_MAX
        ? ` The first ${PACK_HTML_CUSTOMERS_MAX} of ${total} customers are printed here; the JSON and CSV packs hold every one.`
        : ''
    }</p>`,
    '<table><thead><tr><th>customer</th><th>asset</th><th>class</th><th class="amount">net equity</th><th class="amount">claim</th><th class="amount">payout</th><th class="amount">unpaid</th><th class="amount">debt</th><th class="amount">recovered</th><th class="amount">outstanding</th></tr></thead><tbody>',
  );
  return parts.join('\n');
}
