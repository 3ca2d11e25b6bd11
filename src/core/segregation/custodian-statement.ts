// The custodian statement CSV, format v1 (docs/reconciliation.md): one custodian's balances of registered
// vaults on one statement date, parsed into minor units for external reconciliation, and written back out.
// Rows are checked in file order and each row column by column; the first broken rule is returned.

import { assert } from '../assert.ts';
import { type Rejected, rejected } from '../custody/rejection.ts';
import type { Vault } from '../custody/vault.ts';
import { formatAmount, parseAmount } from '../money/amount.ts';

/** The header line, exactly: the column names in order. */
export const CUSTODIAN_STATEMENT_COLUMNS = [
  'custodian',
  'statement_date',
  'vault_id',
  'asset',
  'balance',
] as const;

/** Most data rows one statement may hold. */
export const CUSTODIAN_STATEMENT_ROWS_MAX = 100_000;

/** Longest custodian name. */
export const CUSTODIAN_NAME_LENGTH_MAX = 256;

/** One balance the custodian reports, in the asset's minor units. */
export interface CustodianBalance {
  readonly vaultId: string;
  readonly asset: string;
  readonly observedMinor: bigint;
}

/** A parsed statement: one custodian, one date (YYYY-MM-DD), balances in file order. */
export interface CustodianStatement {
  readonly custodian: string;
  readonly statementDate: string;
  readonly balances: readonly CustodianBalance[];
}

/** What a statement is checked against: the asset registry (for scales) and the registered vaults. */
export interface CustodianStatementContext {
  readonly assets: ReadonlyMap<string, { readonly scale: number }>;
  readonly vaults: readonly Vault[];
}

/** The rejection codes of `parseCustodianStatement`. */
export type CustodianStatementErrorCode =
  | 'custodian_statement_empty'
  | 'custodian_statement_header_invalid'
  | 'custodian_statement_too_large'
  | 'custodian_statement_row_invalid'
  | 'custodian_statement_mixed'
  | 'custodian_statement_vault_unknown'
  | 'custodian_statement_asset_unknown'
  | 'custodian_statement_amount_invalid'
  | 'custodian_statement_duplicate_row';

export type ParseCustodianStatementResult =
  | { readonly ok: true; readonly statement: CustodianStatement }
  | Rejected<CustodianStatementErrorCode>;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
// Control characters (including CR and LF) never belong in a custodian name.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters.
const CONTROL_CHARACTER_PATTERN = /[\u0000-\u001f\u007f]/;

/**
 * Parses a statement in format v1. Checks, in order: empty text, the header, the row count, then each row:
 * column count and quoting, custodian, same custodian, date, same date, vault, asset, vault holds asset,
 * balance, repeated (vault, asset). Every rejection names the 1-based `line`, and the `column` where one applies.
 */
export function parseCustodianStatement(
  text: string,
  context: CustodianStatementContext,
): ParseCustodianStatementResult {
  // A UTF-8 byte order mark, as spreadsheet programs write, is not part of the header.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  // One blank line at the end is the newline that ends the last row.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 1 && lines[0] === '') {
    return rejected('custodian_statement_empty', 'the statement is empty: it needs the header and a row', {
      line: 1,
    });
  }

  const header = splitFields(lines[0]!);
  const headerMismatch = CUSTODIAN_STATEMENT_COLUMNS.findIndex((name, index) => header?.[index] !== name);
  if (header === null || headerMismatch !== -1 || header.length !== CUSTODIAN_STATEMENT_COLUMNS.length) {
    const column = headerMismatch === -1 ? CUSTODIAN_STATEMENT_COLUMNS.length + 1 : headerMismatch + 1;
    return rejected(
      'custodian_statement_header_invalid',
      `the first line is the header ${CUSTODIAN_STATEMENT_COLUMNS.join(',')}`,
      { line: 1, column, expected: CUSTODIAN_STATEMENT_COLUMNS.join(','), actual: truncate(lines[0]!) },
    );
  }
  if (lines.length === 1) {
    return rejected('custodian_statement_empty', 'the statement has a header but no rows', { line: 2 });
  }
  if (lines.length - 1 > CUSTODIAN_STATEMENT_ROWS_MAX) {
    return rejected(
      'custodian_statement_too_large',
      `a statement holds at most ${CUSTODIAN_STATEMENT_ROWS_MAX} rows`,
      {
        line: CUSTODIAN_STATEMENT_ROWS_MAX + 2,
        rowsMax: CUSTODIAN_STATEMENT_ROWS_MAX,
        rows: lines.length - 1,
      },
    );
  }

  const vaultsById = new Map(context.vaults.map((vault) => [vault.id, vault]));
  const firstLineByPair = new Map<string, number>();
  const balances: CustodianBalance[] = [];
  let custodian = '';
  let statementDate = '';
  for (let index = 1; index < lines.length; index += 1) {
    const line = index + 1;
    const fields = splitFields(lines[index]!);
    if (fields === null || fields.length !== CUSTODIAN_STATEMENT_COLUMNS.length) {
      return rejected(
        'custodian_statement_row_invalid',
        `a row has ${CUSTODIAN_STATEMENT_COLUMNS.length} comma-separated fields; a quoted field has no quote inside`,
        { line, columns: fields?.length ?? null },
      );
    }
    const [rowCustodian, rowDate, vaultId, asset, balance] = fields as [
      string,
      string,
      string,
      string,
      string,
    ];

    if (!isValidCustodianName(rowCustodian)) {
      return rejected(
        'custodian_statement_row_invalid',
        `the custodian is named in 1 to ${CUSTODIAN_NAME_LENGTH_MAX} characters, with no control characters`,
        { line, column: 1, columnName: 'custodian' },
      );
    }
    if (index === 1) custodian = rowCustodian;
    if (rowCustodian !== custodian) {
      return rejected('custodian_statement_mixed', 'a statement comes from one custodian', {
        line,
        column: 1,
        columnName: 'custodian',
        expected: custodian,
        actual: rowCustodian,
      });
    }
    if (!isCalendarDate(rowDate)) {
      return rejected('custodian_statement_row_invalid', 'the statement date is a real date, YYYY-MM-DD', {
        line,
        column: 2,
        columnName: 'statement_date',
        actual: truncate(rowDate),
      });
    }
    if (index === 1) statementDate = rowDate;
    if (rowDate !== statementDate) {
      return rejected('custodian_statement_mixed', 'a statement has one statement date', {
        line,
        column: 2,
        columnName: 'statement_date',
        expected: statementDate,
        actual: rowDate,
      });
    }
    const vault = vaultsById.get(vaultId);
    if (vault === undefined) {
      return rejected('custodian_statement_vault_unknown', `vault ${truncate(vaultId)} is not registered`, {
        line,
        column: 3,
        columnName: 'vault_id',
        vaultId: truncate(vaultId),
      });
    }
    const assetEntry = context.assets.get(asset);
    if (assetEntry === undefined) {
      return rejected('custodian_statement_asset_unknown', `asset ${truncate(asset)} is not registered`, {
        line,
        column: 4,
        columnName: 'asset',
        asset: truncate(asset),
      });
    }
    if (!vault.assets.some((entry) => entry.asset === asset)) {
      return rejected('custodian_statement_vault_unknown', `vault ${vaultId} does not hold ${asset}`, {
        line,
        column: 3,
        columnName: 'vault_id',
        vaultId,
        asset,
      });
    }
    const observedMinor = parseBalance(balance, assetEntry.scale);
    if (typeof observedMinor !== 'bigint') {
      return rejected(
        'custodian_statement_amount_invalid',
        `the balance is a non-negative decimal with at most ${assetEntry.scale} fraction digits for ${asset}`,
        { line, column: 5, columnName: 'balance', balance: truncate(balance), amountCode: observedMinor },
      );
    }
    const pair = `${vaultId}\u0000${asset}`;
    const firstLine = firstLineByPair.get(pair);
    if (firstLine !== undefined) {
      return rejected(
        'custodian_statement_duplicate_row',
        `vault ${vaultId} and asset ${asset} appear more than once`,
        { line, column: 3, columnName: 'vault_id', firstLine, vaultId, asset },
      );
    }
    firstLineByPair.set(pair, line);
    balances.push({ vaultId, asset, observedMinor });
  }
  return { ok: true, statement: { custodian, statementDate, balances } };
}

/**
 * Writes a statement in format v1 (LF line ends, a final newline), the inverse of `parseCustodianStatement`:
 * the custodian is quoted when it contains a comma; balances are written at their asset's scale.
 */
export function formatCustodianStatement(
  statement: CustodianStatement,
  assets: ReadonlyMap<string, { readonly scale: number }>,
): string {
  assert(isValidCustodianName(statement.custodian), 'the custodian name is representable');
  assert(isCalendarDate(statement.statementDate), 'the statement date is a real YYYY-MM-DD date');
  const custodian = statement.custodian.includes(',') ? `"${statement.custodian}"` : statement.custodian;
  const rows = statement.balances.map((balance) => {
    const asset = assets.get(balance.asset);
    assert(asset !== undefined, `asset ${balance.asset} is registered`);
    assert(balance.observedMinor >= 0n, 'a custodian balance is never negative');
    assert(!/[",\r\n]/.test(balance.vaultId + balance.asset), 'vault ids and asset codes need no quoting');
    const amount = formatAmount(balance.observedMinor, asset.scale);
    return `${custodian},${statement.statementDate},${balance.vaultId},${balance.asset},${amount}`;
  });
  return `${[CUSTODIAN_STATEMENT_COLUMNS.join(','), ...rows].join('\n')}\n`;
}

/** True when `name` can be a custodian: 1-256 characters, not blank, no control characters, no '"'. */
function isValidCustodianName(name: string): boolean {
  return (
    name.trim().length > 0 &&
    name.length <= CUSTODIAN_NAME_LENGTH_MAX &&
    !CONTROL_CHARACTER_PATTERN.test(name) &&
    !name.includes('"')
  );
}

/**
 * Splits one line into fields at commas. A field wrapped in double quotes may contain commas but no quote;
 * returns null for any other quote (an embedded or unbalanced one).
 */
function splitFields(line: string): string[] | null {
  const fields: string[] = [];
  let position = 0;
  for (;;) {
    if (line[position] === '"') {
      const closing = line.indexOf('"', position + 1);
      if (closing === -1) return null;
      const after = line[closing + 1];
      if (after !== undefined && after !== ',') return null;
      fields.push(line.slice(position + 1, closing));
      if (after === undefined) return fields;
      position = closing + 2;
    } else {
      const comma = line.indexOf(',', position);
      const field = line.slice(position, comma === -1 ? line.length : comma);
      if (field.includes('"')) return null;
      fields.push(field);
      if (comma === -1) return fields;
      position = comma + 1;
    }
  }
}

/** True for a real Gregorian date written YYYY-MM-DD with a year from 0001. */
function isCalendarDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= daysInMonth;
}

/** A balance: zero or a positive decimal at `scale`; returns the amount code of the failure otherwise. */
function parseBalance(text: string, scale: number): bigint | string {
  const parsed = parseAmount(text, scale);
  if (parsed.ok) return parsed.value;
  // parseAmount refuses zero, but a vault may hold nothing; "-0" stays refused as a negative sign.
  if (parsed.error.code === 'amount_not_positive' && !text.startsWith('-')) return 0n;
  return parsed.error.code;
}

// Details echo what was read, cut short so a hostile file cannot blow up logs.
function truncate(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
