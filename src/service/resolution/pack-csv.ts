// The resolution pack as CSV: one file of sections, or one section alone. In the file every row starts with its
// section's name and each section opens with its own header row, whose first field is `section`; so a reader
// keeps the rows of one section by their first field. A single section (`section=claims`) is a plain CSV
// without that column. RFC 4180 quoting and LF line endings, as the segregation CSVs.

import { assert } from '../../core/assert.ts';
import { encodeCsv } from '../../core/segregation/statement-report.ts';
import { PACK_CHUNK_CHARS, PACK_PROGRESS_EVERY } from './pack-json.ts';
import type { PackCustomer, ResolutionPackDocument } from './resolution-pack.ts';
import type { ProgressListener } from './resolution-service.ts';

/** The sections of the CSV pack, in file order, with their columns. */
export const PACK_CSV_SECTIONS = {
  pack: ['key', 'value'],
  estates: [
    'asset',
    'account_class',
    'held',
    'recovered',
    'property',
    'total_claims',
    'distributed',
    'shortfall',
    'surplus',
    'ratio',
    'paid_percent',
    'claimants',
    'debtors',
    'debts',
    'debts_outstanding',
  ],
  shortfalls: ['asset', 'account_class', 'amount'],
  recoveries: ['customer_id', 'asset', 'account_class', 'amount', 'reference', 'recorded_by', 'recorded_at'],
  unsecured_totals: ['asset', 'amount', 'claimants'],
  vaults: [
    'vault_id',
    'kind',
    'chain_id',
    'address',
    'account_class',
    'customer_id',
    'custodian',
    'temperature',
    'assets',
    'acknowledged_at',
    'acknowledgment_reference',
  ],
  statement: [
    'statement_id',
    'business_date',
    'status',
    'hash',
    'cutoff_seq',
    'asset',
    'account_class',
    'requirement',
    'funds_held_net',
    'excess',
    'segment_status',
  ],
  reconciliations: [
    'reconciliation_id',
    'at',
    'source',
    'source_reference',
    'vault_id',
    'asset',
    'account_class',
    'ledger',
    'observed',
    'difference',
  ],
  signers: ['address', 'role', 'party_id', 'label'],
  policies: ['vault_id', 'policy_json'],
  claims: [
    'customer_id',
    'asset',
    'account_class',
    'net_equity',
    'claim',
    'payout',
    'unpaid',
    'debt',
    'recovered',
    'outstanding',
  ],
  unsecured_claims: ['customer_id', 'asset', 'amount'],
} as const;

/** A section's name. */
export type PackCsvSection = keyof typeof PACK_CSV_SECTIONS;

/** True when `name` is a section of the CSV pack. */
export function isPackCsvSection(name: string): name is PackCsvSection {
  return Object.hasOwn(PACK_CSV_SECTIONS, name);
}

/** The pack as CSV chunks: every section, or only `section` (without the section column). */
export function* packCsvChunks(
  pack: ResolutionPackDocument,
  options: { readonly section?: PackCsvSection; readonly onProgress?: ProgressListener } = {},
): Generator<string> {
  const only = options.section;
  if (only !== undefined && only !== 'claims' && only !== 'unsecured_claims') {
    yield packCsvSection(pack, only, false);
    return;
  }
  const labelled = only === undefined;
  if (labelled) yield packCsvBeforeClaims(pack);
  else yield packCsvHeader(only!, false);
  // The customers are iterated once: claims rows are written as they come and the unsecured claims, far
  // fewer, are kept (in large strings) for the section after.
  const owedChunks: string[] = [];
  let owed = '';
  let buffer = '';
  let done = 0;
  const total = pack.summary.customers;
  for (const customer of pack.customers) {
    if (only === 'unsecured_claims') buffer += customerCsvOwed(customer, false);
    else {
      buffer += customerCsvClaims(customer, labelled);
      if (labelled && customer.unsecured.length > 0) {
        owed += customerCsvOwed(customer, true);
        if (owed.length >= PACK_CHUNK_CHARS) {
          owedChunks.push(owed);
          owed = '';
        }
      }
    }
    done += 1;
    if (buffer.length >= PACK_CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
    if (done % PACK_PROGRESS_EVERY === 0) options.onProgress?.({ phase: 'csv', done, total });
  }
  options.onProgress?.({ phase: 'csv', done, total });
  if (buffer.length > 0) yield buffer;
  if (labelled) {
    yield packCsvHeader('unsecured_claims', true);
    yield* owedChunks;
    if (owed.length > 0) yield owed;
  }
}

/** Every section before the customers' (pack through policies), then the claims section's header row. */
export function packCsvBeforeClaims(pack: ResolutionPackDocument): string {
  let text = '';
  for (const section of Object.keys(PACK_CSV_SECTIONS) as PackCsvSection[]) {
    if (section === 'claims' || section === 'unsecured_claims') continue;
    text += packCsvSection(pack, section, true);
  }
  return text + packCsvHeader('claims', true);
}

/** A section's header row; `labelled` puts the `section` column first (the file of every section). */
export function packCsvHeader(section: PackCsvSection, labelled: boolean): string {
  return encodeCsv([labelled ? ['section', ...PACK_CSV_SECTIONS[section]] : [...PACK_CSV_SECTIONS[section]]]);
}

/** A section read from the header: its header row and its rows. */
export function packCsvSection(
  pack: ResolutionPackDocument,
  section: PackCsvSection,
  labelled: boolean,
): string {
  const rows = headerRows(pack, section);
  return encodeCsv([
    labelled ? ['section', ...PACK_CSV_SECTIONS[section]] : [...PACK_CSV_SECTIONS[section]],
    ...(labelled ? rows.map((row) => [section, ...row]) : rows),
  ]);
}

/**
 * A customer's rows of the claims section, written out by hand (a pack holds millions): texts go through
 * csvText, amounts are decimal strings that never need quoting.
 */
export function customerCsvClaims(customer: PackCustomer, labelled: boolean): string {
  const prefix = labelled ? 'claims,' : '';
  const id = csvText(customer.customerId);
  let text = '';
  for (const line of customer.estates) {
    text += `${prefix}${id},${csvText(line.asset)},${csvText(line.accountClass)},${line.netEquity},${line.claim},${line.payout},${line.unpaid},${line.debt},${line.recovered},${line.outstanding}\n`;
  }
  return text;
}

/** A customer's rows of the unsecured claims section. */
export function customerCsvOwed(customer: PackCustomer, labelled: boolean): string {
  const prefix = labelled ? 'unsecured_claims,' : '';
  const id = csvText(customer.customerId);
  let text = '';
  for (const claim of customer.unsecured) text += `${prefix}${id},${csvText(claim.asset)},${claim.amount}\n`;
  return text;
}

/** The rows of a section read from the header (everything but the customers' statements). */
function headerRows(pack: ResolutionPackDocument, section: PackCsvSection): string[][] {
  switch (section) {
    case 'pack': {
      const facts: [string, string][] = [
        ['format', pack.format],
        ['firm', pack.firm],
        ['generated_at', pack.generatedAt],
        ['simulated', String(pack.simulated)],
        ['pinned_seq', String(pack.pinned.seq)],
        ['pinned_head_hash', pack.pinned.headHash],
        ['pinned_batch_timestamp', pack.pinned.batchTimestamp ?? ''],
        ['computed_at', pack.pinned.computedAt],
        ['customers', String(pack.summary.customers)],
        ['claim_lines', String(pack.summary.claimLines)],
        ['estates', String(pack.summary.estates)],
        ['estates_short', String(pack.summary.estatesShort)],
      ];
      if (pack.freeze !== null) {
        facts.push(
          ['freeze_request_id', pack.freeze.requestId],
          ['freeze_reason', pack.freeze.reason],
          ['freeze_requested_by', pack.freeze.requestedBy],
          ['freeze_requested_at', pack.freeze.requestedAt],
          ['freeze_approved_by', pack.freeze.approvedBy],
          ['freeze_approved_at', pack.freeze.approvedAt],
        );
      }
      if (pack.journal !== null) {
        facts.push(
          ['journal_verified', String(pack.journal.verified)],
          ['journal_head_seq', String(pack.journal.headSeq)],
          ['journal_head_hash', pack.journal.headHash],
          ['journal_batches', String(pack.journal.batches)],
          ['journal_entries', String(pack.journal.entries)],
          ['journal_first_mismatch', pack.journal.firstMismatch ?? ''],
          ['journal_account_mismatches', String(pack.journal.accountMismatches)],
          ['journal_invariant_violations', String(pack.journal.invariantViolations)],
        );
      }
      return facts;
    }
    case 'estates':
      return pack.estates.map((estate) => [
        estate.asset,
        estate.accountClass,
        estate.held,
        estate.recovered,
        estate.property,
        estate.totalClaims,
        estate.distributed,
        estate.shortfall,
        estate.surplus,
        estate.ratio,
        estate.paidPercent,
        String(estate.claimants),
        String(estate.debtors),
        estate.debts,
        estate.debtsOutstanding,
      ]);
    case 'shortfalls':
      return pack.shortfalls.map((entry) => [entry.asset, entry.accountClass, entry.amount]);
    case 'recoveries':
      return pack.recoveries.map((entry) => [
        entry.customerId,
        entry.asset,
        entry.accountClass,
        entry.amount,
        entry.reference,
        entry.recordedBy,
        entry.recordedAt,
      ]);
    case 'unsecured_totals':
      return pack.unsecuredTotals.map((entry) => [entry.asset, entry.amount, String(entry.claimants)]);
    case 'vaults':
      return pack.vaults.map((vault) => [
        vault.id,
        vault.kind,
        String(vault.chainId),
        vault.address,
        vault.accountClass ?? '',
        vault.customerId ?? '',
        vault.custodian,
        vault.temperature,
        vault.assets.join(' '),
        vault.acknowledgedAt ?? '',
        vault.acknowledgmentReference ?? '',
      ]);
    case 'statement': {
      const statement = pack.segregation?.latestStatement ?? null;
      if (statement === null) return [];
      return statement.segments.map((segment) => [
        statement.id,
        statement.businessDate,
        statement.status,
        statement.hash ?? '',
        String(statement.cutoff.seq),
        segment.asset,
        segment.accountClass,
        segment.requirement,
        segment.fundsHeldNet,
        segment.excess,
        segment.status,
      ]);
    }
    case 'reconciliations':
      return (pack.segregation?.reconciliations ?? []).flatMap((run) =>
        run.external.map((line) => [
          run.id,
          run.at,
          run.source,
          run.sourceReference,
          line.vaultId,
          line.asset,
          line.accountClass,
          line.ledger,
          line.observed,
          line.difference,
        ]),
      );
    case 'signers':
      return (pack.custody?.signers ?? []).map((signer) => [
        signer.address,
        signer.role,
        signer.partyId,
        signer.label,
      ]);
    case 'policies':
      return (pack.custody?.policies ?? []).map((entry) => [entry.vaultId, JSON.stringify(entry.policy)]);
    case 'claims':
    case 'unsecured_claims':
      assert(false, 'customer sections are written from the customers');
  }
}

/** A text field as RFC 4180 wants it: quoted, quotes doubled, only when it holds a comma, quote or line break. */
function csvText(value: string): string {
  for (let at = 0; at < value.length; at++) {
    const code = value.charCodeAt(at);
    if (code === 44 || code === 34 || code === 10 || code === 13) return `"${value.replaceAll('"', '""')}"`;
  }
  return value;
}
