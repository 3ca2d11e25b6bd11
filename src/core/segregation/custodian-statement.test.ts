// Proves the custodian statement CSV v1 parser on a worked statement (LF, CRLF, quoting, zero balances, a
// byte order mark), and one test per rejection code asserting the code, the line and the column.

import { describe, expect, it } from 'vitest';
import type { Vault } from '../custody/vault.ts';
import {
  CUSTODIAN_STATEMENT_ROWS_MAX,
  formatCustodianStatement,
  parseCustodianStatement,
} from './custodian-statement.ts';

const ASSETS = new Map([
  ['USDC', { code: 'USDC', scale: 6 }],
  ['BTC', { code: 'BTC', scale: 8 }],
  ['ETH', { code: 'ETH', scale: 18 }],
]);

function vault(id: string, assets: readonly string[]): Vault {
  return {
    id,
    chainId: 1,
    address: `0x${'1'.repeat(39)}${assets.length}`,
    assets: assets.map((asset, index) => ({
      asset,
      token: index === 0 ? 'native' : `0x${'a'.repeat(39)}${index}`,
    })),
    kind: 'customer_omnibus',
    customerId: null,
    accountClass: 'spot',
    temperature: 'cold',
    custodian: 'Acme Custody',
    acknowledgment: { acknowledgedAtMs: 0, documentReference: 'ack-1' },
  };
}

const CONTEXT = { assets: ASSETS, vaults: [vault('v-omni-1', ['ETH', 'USDC']), vault('v-omni-2', ['BTC'])] };

const HEADER = 'custodian,statement_date,vault_id,asset,balance';

function csv(...rows: string[]): string {
  return `${[HEADER, ...rows].join('\n')}\n`;
}

function parse(text: string) {
  return parseCustodianStatement(text, CONTEXT);
}

describe('parseCustodianStatement', () => {
  it('reads a statement into minor units, in file order', () => {
    const result = parse(
      csv(
        'Acme Custody,2026-01-31,v-omni-1,USDC,1250.5',
        'Acme Custody,2026-01-31,v-omni-1,ETH,0',
        'Acme Custody,2026-01-31,v-omni-2,BTC,0.00000001',
      ),
    );
    expect(result).toEqual({
      ok: true,
      statement: {
        custodian: 'Acme Custody',
        statementDate: '2026-01-31',
        balances: [
          { vaultId: 'v-omni-1', asset: 'USDC', observedMinor: 1_250_500_000n },
          { vaultId: 'v-omni-1', asset: 'ETH', observedMinor: 0n },
          { vaultId: 'v-omni-2', asset: 'BTC', observedMinor: 1n },
        ],
      },
    });
  });

  it('accepts CRLF, no final newline, a byte order mark, and double-quoted fields with commas', () => {
    const text = `\uFEFF"custodian",statement_date,vault_id,asset,balance\r\n"Acme, Inc.","2026-02-28",v-omni-2,"BTC",21`;
    const result = parse(text);
    expect(result).toEqual({
      ok: true,
      statement: {
        custodian: 'Acme, Inc.',
        statementDate: '2026-02-28',
        balances: [{ vaultId: 'v-omni-2', asset: 'BTC', observedMinor: 2_100_000_000n }],
      },
    });
  });

  it('formats back to the same text (round trip)', () => {
    const text = csv(
      '"Acme, Inc.",2024-02-29,v-omni-1,USDC,0.000001',
      '"Acme, Inc.",2024-02-29,v-omni-2,BTC,0',
    );
    const parsed = parse(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(formatCustodianStatement(parsed.statement, ASSETS)).toBe(text);
  });

  describe('rejections', () => {
    it('custodian_statement_empty: no text, or a header with no rows', () => {
      for (const text of ['', '\n', '\r\n']) {
        expect(parse(text)).toMatchObject({
          ok: false,
          error: { code: 'custodian_statement_empty', details: { line: 1 } },
        });
      }
      expect(parse(`${HEADER}\n`)).toMatchObject({
        ok: false,
        error: { code: 'custodian_statement_empty', details: { line: 2 } },
      });
    });

    it('custodian_statement_header_invalid: a wrong, reordered, short or long header', () => {
      const cases: [string, number][] = [
        ['custodian,date,vault_id,asset,balance', 2],
        ['custodian,statement_date,asset,vault_id,balance', 3],
        ['custodian,statement_date,vault_id,asset', 5],
        ['custodian,statement_date,vault_id,asset,balance,note', 6],
        ['Acme Custody,2026-01-31,v-omni-1,USDC,1', 1],
      ];
      for (const [header, column] of cases) {
        expect(parse(`${header}\nAcme Custody,2026-01-31,v-omni-1,USDC,1\n`)).toMatchObject({
          ok: false,
          error: { code: 'custodian_statement_header_invalid', details: { line: 1, column } },
        });
      }
    });

    it('custodian_statement_too_large: more than 100,000 rows', () => {
      const row = 'Acme Custody,2026-01-31,v-omni-1,USDC,1';
      const text = `${HEADER}\n${`${row}\n`.repeat(CUSTODIAN_STATEMENT_ROWS_MAX + 1)}`;
      expect(parse(text)).toMatchObject({
        ok: false,
        error: {
          code: 'custodian_statement_too_large',
          details: { line: CUSTODIAN_STATEMENT_ROWS_MAX + 2, rows: CUSTODIAN_STATEMENT_ROWS_MAX + 1 },
        },
      });
    });

    it('custodian_statement_row_invalid: column count, quoting, custodian name and date', () => {
      const good = 'Acme Custody,2026-01-31,v-omni-1,USDC,1';
      const cases: [string, number | undefined][] = [
        ['Acme Custody,2026-01-31,v-omni-2,BTC', undefined],
        ['Acme Custody,2026-01-31,v-omni-2,BTC,1,extra', undefined],
        ['', undefined],
        ['Acme "Custody",2026-01-31,v-omni-2,BTC,1', undefined],
        ['"Acme ""Custody""",2026-01-31,v-omni-2,BTC,1', undefined],
        ['"Acme,2026-01-31,v-omni-2,BTC,1', undefined],
        [' ,2026-01-31,v-omni-2,BTC,1', 1],
        [`${'x'.repeat(257)},2026-01-31,v-omni-2,BTC,1`, 1],
        ['Acme\tCustody,2026-01-31,v-omni-2,BTC,1', 1],
        ['Acme Custody,2026-02-30,v-omni-2,BTC,1', 2],
        ['Acme Custody,2025-02-29,v-omni-2,BTC,1', 2],
        ['Acme Custody,2026-13-01,v-omni-2,BTC,1', 2],
        ['Acme Custody,26-01-31,v-omni-2,BTC,1', 2],
        ['Acme Custody,0000-01-01,v-omni-2,BTC,1', 2],
      ];
      for (const [row, column] of cases) {
        const result = parse(csv(good, row));
        expect(result, row).toMatchObject({
          ok: false,
          error: { code: 'custodian_statement_row_invalid', details: { line: 3 } },
        });
        if (!result.ok) expect(result.error.details.column, row).toBe(column);
      }
      // A 256-character name and 29 February of a leap year are fine.
      const name = 'x'.repeat(256);
      expect(parse(csv(`${name},2024-02-29,v-omni-2,BTC,1`)).ok).toBe(true);
    });

    it('custodian_statement_mixed: a second custodian or a second date', () => {
      const first = 'Acme Custody,2026-01-31,v-omni-1,USDC,1';
      expect(parse(csv(first, 'Other Custody,2026-01-31,v-omni-2,BTC,1'))).toMatchObject({
        ok: false,
        error: {
          code: 'custodian_statement_mixed',
          details: { line: 3, column: 1, expected: 'Acme Custody', actual: 'Other Custody' },
        },
      });
      expect(parse(csv(first, 'Acme Custody,2026-02-01,v-omni-2,BTC,1'))).toMatchObject({
        ok: false,
        error: {
          code: 'custodian_statement_mixed',
          details: { line: 3, column: 2, expected: '2026-01-31', actual: '2026-02-01' },
        },
      });
    });

    it('custodian_statement_vault_unknown: an unregistered vault, or one that does not hold the asset', () => {
      expect(parse(csv('Acme Custody,2026-01-31,v-nowhere,USDC,1'))).toMatchObject({
        ok: false,
        error: {
          code: 'custodian_statement_vault_unknown',
          details: { line: 2, column: 3, vaultId: 'v-nowhere' },
        },
      });
      expect(parse(csv('Acme Custody,2026-01-31,v-omni-2,USDC,1'))).toMatchObject({
        ok: false,
        error: {
          code: 'custodian_statement_vault_unknown',
          details: { line: 2, column: 3, vaultId: 'v-omni-2', asset: 'USDC' },
        },
      });
    });

    it('custodian_statement_asset_unknown: an asset the registry does not know', () => {
      expect(parse(csv('Acme Custody,2026-01-31,v-omni-1,DOGE,1'))).toMatchObject({
        ok: false,
        error: { code: 'custodian_statement_asset_unknown', details: { line: 2, column: 4, asset: 'DOGE' } },
      });
      // Codes are case-sensitive.
      expect(parse(csv('Acme Custody,2026-01-31,v-omni-1,usdc,1'))).toMatchObject({
        ok: false,
        error: { code: 'custodian_statement_asset_unknown', details: { line: 2 } },
      });
    });

    it('custodian_statement_amount_invalid: negative, too precise, not decimal, or too large', () => {
      const cases: [string, string][] = [
        ['-1', 'amount_not_positive'],
        ['-0', 'amount_not_positive'],
        // BTC has 8 fraction digits.
        ['1.000000001', 'amount_too_many_decimals'],
        ['0.000000000', 'amount_too_many_decimals'],
        ['1e6', 'amount_invalid'],
        ['1,5', 'amount_invalid'],
        [' 1', 'amount_invalid'],
        ['', 'amount_invalid'],
        ['.5', 'amount_invalid'],
        [`${'9'.repeat(40)}`, 'amount_overflow'],
      ];
      for (const [balance, amountCode] of cases) {
        // "1,5" splits into an extra column, so it is quoted to reach the amount check.
        const field = balance.includes(',') ? `"${balance}"` : balance;
        expect(
          parse(
            csv('Acme Custody,2026-01-31,v-omni-1,USDC,1', `Acme Custody,2026-01-31,v-omni-2,BTC,${field}`),
          ),
          balance,
        ).toMatchObject({
          ok: false,
          error: {
            code: 'custodian_statement_amount_invalid',
            details: { line: 3, column: 5, balance, amountCode },
          },
        });
      }
    });

    it('custodian_statement_duplicate_row: a (vault, asset) pair twice', () => {
      const row = 'Acme Custody,2026-01-31,v-omni-1,USDC,1';
      expect(parse(csv(row, 'Acme Custody,2026-01-31,v-omni-2,BTC,1', row))).toMatchObject({
        ok: false,
        error: {
          code: 'custodian_statement_duplicate_row',
          details: { line: 4, column: 3, firstLine: 2, vaultId: 'v-omni-1', asset: 'USDC' },
        },
      });
    });

    it('checks columns left to right: the first broken rule of the first bad row wins', () => {
      // Unknown vault (column 3) and a bad amount (column 5) on one row: the vault is reported.
      expect(parse(csv('Acme Custody,2026-01-31,v-nowhere,USDC,-1'))).toMatchObject({
        error: { code: 'custodian_statement_vault_unknown' },
      });
    });
  });
});
