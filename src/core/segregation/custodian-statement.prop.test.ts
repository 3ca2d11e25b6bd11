// Property: any statement the format can express survives formatCustodianStatement then
// parseCustodianStatement unchanged (custodian, date, balances and their order).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Vault } from '../custody/vault.ts';
import { formatCustodianStatement, parseCustodianStatement } from './custodian-statement.ts';

const ASSETS = new Map([
  ['USDC', { scale: 6 }],
  ['BTC', { scale: 8 }],
  ['ETH', { scale: 18 }],
  ['JPYX', { scale: 0 }],
]);
const CODES = [...ASSETS.keys()];

const VAULTS: Vault[] = Array.from({ length: 5 }, (_, index) => ({
  id: `v-${index}`,
  chainId: 1,
  address: `0x${String(index + 1).padStart(40, '0')}`,
  assets: CODES.map((asset, position) => ({
    asset,
    token: position === 0 ? 'native' : `0x${String(position).padStart(40, 'a')}`,
  })),
  kind: 'customer_omnibus',
  customerId: null,
  accountClass: 'spot',
  temperature: 'cold',
  custodian: 'Acme',
  acknowledgment: { acknowledgedAtMs: 0, documentReference: 'ack' },
}));

const custodian = fc
  .string({ unit: fc.constantFrom('A', 'b', ' ', ',', '.', '&', 'é', '-', '1'), minLength: 1, maxLength: 40 })
  .filter((name) => name.trim().length > 0);

const date = fc
  .record({
    year: fc.integer({ min: 1, max: 9999 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
  })
  .map(
    ({ year, month, day }) =>
      `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
  );

const balances = fc.uniqueArray(
  fc.record({
    vaultId: fc.constantFrom(...VAULTS.map((vault) => vault.id)),
    asset: fc.constantFrom(...CODES),
    observedMinor: fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
  }),
  { minLength: 1, maxLength: VAULTS.length * CODES.length, selector: (b) => `${b.vaultId}/${b.asset}` },
);

describe('custodian statement round trip', () => {
  it('parses what it formats', () => {
    fc.assert(
      fc.property(custodian, date, balances, (name, statementDate, rows) => {
        const statement = { custodian: name, statementDate, balances: rows };
        const text = formatCustodianStatement(statement, ASSETS);
        expect(parseCustodianStatement(text, { assets: ASSETS, vaults: VAULTS })).toEqual({
          ok: true,
          statement,
        });
      }),
      { numRuns: 300 },
    );
  });
});
