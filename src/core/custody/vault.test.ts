// Proves vault validation returns one code per broken rule (one test each, in the documented order) and
// that only acknowledged customer vaults of the right asset, class and customer may receive customer assets.

import { describe, expect, it } from 'vitest';
import { houseVault, testVault, vaultInput } from '../../../test/support/custody-core.ts';
import { checkVaultReceivesCustomerAssets, tokenAddressOf, type VaultInput, validateVault } from './vault.ts';

const CASES: [code: string, overrides: Partial<VaultInput>][] = [
  ['vault_id_invalid', { id: '' }],
  ['vault_chain_id_invalid', { chainId: 0 }],
  ['vault_address_invalid', { address: '0x5FbDB2315678afecb367f032d93F642f64180aA3' }],
  ['vault_assets_invalid', { assets: [] }],
  ['vault_asset_code_invalid', { assets: [{ asset: 'usdc', token: 'native' }] }],
  ['vault_asset_token_invalid', { assets: [{ asset: 'USDC', token: `0x${'0'.repeat(40)}` }] }],
  [
    'vault_asset_duplicate',
    {
      assets: [
        { asset: 'ETH', token: 'native' },
        { asset: 'WETH', token: 'native' },
      ],
    },
  ],
  ['vault_kind_unknown', { kind: 'exchange' }],
  ['vault_temperature_unknown', { temperature: 'warm' }],
  ['vault_custodian_invalid', { custodian: ' ' }],
  ['vault_customer_required', { kind: 'customer_individual' }],
  ['vault_customer_not_applicable', { customerId: 'alice' }],
  ['vault_account_class_required', { accountClass: null }],
  ['vault_account_class_not_applicable', { kind: 'house', acknowledgment: null }],
  ['vault_acknowledgment_missing', { acknowledgment: null }],
  ['vault_acknowledgment_invalid', { acknowledgment: { acknowledgedAtMs: 1, documentReference: '' } }],
];

describe('validateVault', () => {
  for (const [code, overrides] of CASES) {
    it(`refuses with ${code}`, () => {
      const result = validateVault(vaultInput(overrides));
      expect(result.ok ? null : result.error.code).toBe(code);
    });
  }

  it('normalises a checksummed address to lower case and keeps the assets', () => {
    const vault = testVault();
    expect(vault.address).toBe('0x5fbdb2315678afecb367f032d93f642f64180aa3');
    expect(tokenAddressOf(vault, 'ETH')).toBe(`0x${'0'.repeat(40)}`);
    expect(tokenAddressOf(vault, 'BTC')).toBeNull();
  });

  it('accepts house and insurance vaults without acknowledgment, class or customer', () => {
    expect(houseVault().kind).toBe('house');
    expect(
      validateVault(vaultInput({ kind: 'insurance_fund', accountClass: null, acknowledgment: null })).ok,
    ).toBe(true);
  });
});

describe('checkVaultReceivesCustomerAssets', () => {
  const receipt = { asset: 'USDC', accountClass: 'derivatives', customerId: 'alice' };
  const code = (result: ReturnType<typeof checkVaultReceivesCustomerAssets>) =>
    result.ok ? 'ok' : result.error.code;

  it('lets an acknowledged omnibus vault receive its asset and class', () => {
    expect(code(checkVaultReceivesCustomerAssets(testVault(), receipt, 5_000))).toBe('ok');
  });
  it('refuses with vault_not_customer_kind for a house vault', () => {
    expect(code(checkVaultReceivesCustomerAssets(houseVault(), receipt, 5_000))).toBe(
      'vault_not_customer_kind',
    );
  });
  it('refuses with vault_acknowledgment_missing for a customer vault record without it', () => {
    const vault = { ...testVault(), acknowledgment: null };
    expect(code(checkVaultReceivesCustomerAssets(vault, receipt, 5_000))).toBe(
      'vault_acknowledgment_missing',
    );
  });
  it('refuses with vault_acknowledgment_not_effective before the acknowledgment date', () => {
    expect(code(checkVaultReceivesCustomerAssets(testVault(), receipt, 999))).toBe(
      'vault_acknowledgment_not_effective',
    );
  });
  it('refuses with vault_asset_not_supported for an asset the vault does not hold', () => {
    expect(code(checkVaultReceivesCustomerAssets(testVault(), { ...receipt, asset: 'BTC' }, 5_000))).toBe(
      'vault_asset_not_supported',
    );
  });
  it('refuses with vault_account_class_mismatch for another account class', () => {
    expect(
      code(checkVaultReceivesCustomerAssets(testVault(), { ...receipt, accountClass: 'spot' }, 5_000)),
    ).toBe('vault_account_class_mismatch');
  });
  it("refuses with vault_customer_mismatch for another customer's assets in an individual vault", () => {
    const vault = testVault({ kind: 'customer_individual', customerId: 'bob' });
    expect(code(checkVaultReceivesCustomerAssets(vault, receipt, 5_000))).toBe('vault_customer_mismatch');
    expect(code(checkVaultReceivesCustomerAssets(vault, { ...receipt, customerId: 'bob' }, 5_000))).toBe(
      'ok',
    );
  });
});
