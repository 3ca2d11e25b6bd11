// A ledger book for deposit crediting on the local chain: one asset whose scale is the test token's decimals,
// one account class, customers with claim accounts, and a registered, acknowledged customer_omnibus vault at
// the deployed Safe's address with the segregated custody account that records it.

import type { VaultInput } from '../../src/core/custody/vault.ts';
import type { Command } from '../../src/core/ledger/types.ts';

export const DEPOSIT_ASSET = 'TUSD';
export const DEPOSIT_ASSET_SCALE = 6;
export const DEPOSIT_ACCOUNT_CLASS = 'spot';

/** Account ids of the deposit book. */
export const depositAccounts = {
  claim: (customerId: string) => `${customerId}:${DEPOSIT_ACCOUNT_CLASS}:${DEPOSIT_ASSET}`,
  custody: (vaultId: string) => `seg:${vaultId}:${DEPOSIT_ASSET}`,
};

export interface DepositBookInput {
  readonly chainId: number;
  readonly vaultId: string;
  /** The Safe's address. */
  readonly vaultAddress: string;
  /** The test token's address. */
  readonly token: string;
  /** Customers created with a claim account. */
  readonly customers: readonly string[];
}

/** A customer vault input holding the test token, acknowledged by its custodian. */
export function depositVaultInput(
  input: Pick<DepositBookInput, 'chainId' | 'vaultId' | 'vaultAddress' | 'token'>,
  overrides: Partial<VaultInput> = {},
): VaultInput {
  return {
    id: input.vaultId,
    chainId: input.chainId,
    address: input.vaultAddress,
    assets: [{ asset: DEPOSIT_ASSET, token: input.token }],
    kind: 'customer_omnibus',
    customerId: null,
    accountClass: DEPOSIT_ACCOUNT_CLASS,
    temperature: 'cold',
    custodian: 'Test Custodian',
    acknowledgment: { acknowledgedAtMs: 0, documentReference: 'ack-letter-deposits' },
    ...overrides,
  };
}

/** Registry, customers, the omnibus vault and its custody account, and each customer's claim account. */
export function depositBookCommands(input: DepositBookInput): Command[] {
  return [
    { type: 'register_asset', code: DEPOSIT_ASSET, scale: DEPOSIT_ASSET_SCALE },
    { type: 'add_account_class', code: DEPOSIT_ACCOUNT_CLASS },
    ...input.customers.map((id): Command => ({ type: 'create_customer', id, name: id.toUpperCase() })),
    { type: 'register_vault', vault: depositVaultInput(input) },
    custodyAccountCommand(input.vaultId),
    ...input.customers.map(claimAccountCommand),
  ];
}

/** Opens the segregated custody account recording the test token in `vaultId`. */
export function custodyAccountCommand(vaultId: string): Command {
  return {
    type: 'open_account',
    id: depositAccounts.custody(vaultId),
    owner: { type: 'house' },
    asset: DEPOSIT_ASSET,
    segregationClass: 'segregated_custody',
    accountClass: DEPOSIT_ACCOUNT_CLASS,
    vaultId,
  };
}

/** Opens a customer's claim account in the test token and account class. */
export function claimAccountCommand(customerId: string): Command {
  return {
    type: 'open_account',
    id: depositAccounts.claim(customerId),
    owner: { type: 'customer', customerId },
    asset: DEPOSIT_ASSET,
    segregationClass: 'customer_collateral',
    accountClass: DEPOSIT_ACCOUNT_CLASS,
    vaultId: null,
  };
}
