// Proves request validation against its vault: one test per code, and normalisation of a valid request.

import { describe, expect, it } from 'vitest';
import { testRequest, testVault, USDC_TOKEN } from '../../../test/support/custody-core.ts';
import { AMOUNT_MINOR_MAX } from '../money/amount.ts';
import { UINT64_MAX, validateWithdrawalRequest, type WithdrawalRequestInput } from './withdrawal-request.ts';

const vault = testVault();
const input = (overrides: Partial<WithdrawalRequestInput> = {}): WithdrawalRequestInput => ({
  ...testRequest(vault),
  vault: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  ...overrides,
});

const CASES: [code: string, overrides: Partial<WithdrawalRequestInput>][] = [
  ['withdrawal_request_id_invalid', { requestId: '0x42' }],
  ['withdrawal_vault_mismatch', { chainId: 1 }],
  ['withdrawal_asset_not_in_vault', { token: '0x00000000000000000000000000000000000000bb' }],
  ['withdrawal_amount_not_positive', { amountMinor: 0n }],
  ['withdrawal_amount_overflow', { amountMinor: AMOUNT_MINOR_MAX + 1n }],
  ['withdrawal_destination_invalid', { destination: vault.address }],
  ['withdrawal_nonce_invalid', { nonce: -1n }],
  ['withdrawal_expiry_invalid', { expiresAtSeconds: UINT64_MAX + 1n }],
];

describe('validateWithdrawalRequest', () => {
  for (const [code, overrides] of CASES) {
    it(`refuses with ${code}`, () => {
      const result = validateWithdrawalRequest(input(overrides), vault);
      expect(result.ok ? null : result.error.code).toBe(code);
    });
  }

  it('refuses with withdrawal_customer_mismatch for another customer of an individual vault', () => {
    const individual = testVault({ kind: 'customer_individual', customerId: 'bob' });
    const result = validateWithdrawalRequest({ ...input(), vaultId: individual.id }, individual);
    expect(result.ok ? null : result.error.code).toBe('withdrawal_customer_mismatch');
  });

  it('refuses an expiry at or before the creation time', () => {
    const result = validateWithdrawalRequest(input({ createdAtMs: 3_600_000 }), vault);
    expect(result.ok ? null : result.error.code).toBe('withdrawal_expiry_invalid');
  });

  it('normalises addresses and the request id to lower case', () => {
    const result = validateWithdrawalRequest(
      input({ requestId: `0x${'AB'.repeat(32)}`, token: USDC_TOKEN.toUpperCase().replace('0X', '0x') }),
      vault,
    );
    expect(result.ok && [result.request.requestId, result.request.vault, result.request.token]).toEqual([
      `0x${'ab'.repeat(32)}`,
      vault.address,
      USDC_TOKEN,
    ]);
  });
});
