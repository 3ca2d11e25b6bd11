// A small standard book for engine tests: two assets, two account classes, three customers, and every
// house, insurance and segregation account, plus helpers that build well-formed commands.

import type { VaultInput } from '../../src/core/custody/vault.ts';
import type { SegregationClass, TransferKind } from '../../src/core/ledger/classes.ts';
import type { LedgerEngine } from '../../src/core/ledger/engine.ts';
import type { Command, Leg, Owner, TransferCommand } from '../../src/core/ledger/types.ts';

export const ASSETS = [
  { code: 'BTC', scale: 8 },
  { code: 'USDC', scale: 6 },
] as const;
export const ACCOUNT_CLASSES = ['derivatives', 'spot'] as const;
export const CUSTOMERS = ['alice', 'bob', 'carol'] as const;

/** Account ids of the standard book. */
export const ids = {
  customer: (customer: string, accountClass: string, asset: string) => `${customer}:${accountClass}:${asset}`,
  segregated: (accountClass: string, asset: string) => `seg:${accountClass}:${asset}`,
  residual: (accountClass: string, asset: string) => `ri:${accountClass}:${asset}`,
  houseCustody: (asset: string) => `house:custody:${asset}`,
  houseEquity: (asset: string) => `house:equity:${asset}`,
  external: (asset: string) => `house:external:${asset}`,
  insuranceCustody: (asset: string) => `insurance:custody:${asset}`,
  insuranceFund: (asset: string) => `insurance:fund:${asset}`,
};

/** The commands that set up the standard book (registry, customers, accounts), no money yet. */
export function bookSetupCommands(): Command[] {
  const commands: Command[] = [];
  for (const asset of ASSETS) commands.push({ type: 'register_asset', code: asset.code, scale: asset.scale });
  for (const code of ACCOUNT_CLASSES) commands.push({ type: 'add_account_class', code });
  for (const customer of CUSTOMERS)
    commands.push({ type: 'create_customer', id: customer, name: customer.toUpperCase() });
  for (const vault of bookVaults()) commands.push({ type: 'register_vault', vault });
  const house = { type: 'house' } as const;
  const open = (
    id: string,
    segregationClass: SegregationClass,
    asset: string,
    accountClass: string | null,
    owner: Owner = house,
  ): Command => ({
    type: 'open_account',
    id,
    owner,
    asset,
    segregationClass,
    accountClass,
    vaultId: vaultOf(segregationClass, accountClass),
  });
  for (const { code: asset } of ASSETS) {
    commands.push(open(ids.houseCustody(asset), 'house_custody', asset, null));
    commands.push(open(ids.houseEquity(asset), 'house_equity', asset, null));
    commands.push(open(ids.external(asset), 'external', asset, null));
    commands.push(open(ids.insuranceCustody(asset), 'insurance_custody', asset, null));
    commands.push(open(ids.insuranceFund(asset), 'insurance_fund', asset, null));
    for (const accountClass of ACCOUNT_CLASSES) {
      commands.push(open(ids.segregated(accountClass, asset), 'segregated_custody', asset, accountClass));
      commands.push(open(ids.residual(accountClass, asset), 'residual_interest', asset, accountClass));
      for (const customer of CUSTOMERS) {
        commands.push(
          open(ids.customer(customer, accountClass, asset), 'customer_collateral', asset, accountClass, {
            type: 'customer',
            customerId: customer,
          }),
        );
      }
    }
  }
  return commands;
}

/** Vault ids of the standard book: one omnibus vault per account class, one house and one insurance vault. */
export const vaultIds = {
  customer: (accountClass: string) => `vault:${accountClass}`,
  house: 'vault:house',
  insurance: 'vault:insurance',
};

function vaultOf(segregationClass: SegregationClass, accountClass: string | null): string | null {
  if (segregationClass === 'segregated_custody') return vaultIds.customer(accountClass!);
  if (segregationClass === 'house_custody') return vaultIds.house;
  if (segregationClass === 'insurance_custody') return vaultIds.insurance;
  return null;
}

/** The registered vaults behind the book's custody accounts (local chain 31337, made-up addresses). */
export function bookVaults(): VaultInput[] {
  const assets = ASSETS.map((asset, index) => ({
    asset: asset.code,
    token: `0x${(index + 1).toString(16).padStart(40, 'a')}`,
  }));
  const base = {
    chainId: 31_337,
    assets,
    customerId: null,
    temperature: 'cold',
    custodian: 'Test Custodian',
  };
  const acknowledgment = { acknowledgedAtMs: 0, documentReference: 'ack-letter-1' };
  return [
    ...ACCOUNT_CLASSES.map((accountClass, index) => ({
      ...base,
      id: vaultIds.customer(accountClass),
      address: `0x${(index + 1).toString(16).padStart(40, 'c')}`,
      kind: 'customer_omnibus',
      accountClass,
      acknowledgment,
    })),
    {
      ...base,
      id: vaultIds.house,
      address: `0x${'d'.repeat(40)}`,
      kind: 'house',
      accountClass: null,
      acknowledgment: null,
    },
    {
      ...base,
      id: vaultIds.insurance,
      address: `0x${'e'.repeat(40)}`,
      kind: 'insurance_fund',
      accountClass: null,
      acknowledgment: null,
    },
  ];
}

let idCounter = 0n;
/** A fresh 128-bit transfer id (32 hex digits), unique within the test process. */
export function nextId(): string {
  idCounter += 1n;
  return idCounter.toString(16).padStart(32, '0');
}

/** A transfer command with defaults: a reference, no instruction, no hold. */
export function transfer(
  kind: TransferKind,
  legs: Leg[],
  extra: Partial<TransferCommand> = {},
): TransferCommand {
  return {
    type: 'transfer',
    id: nextId(),
    kind,
    reference: `ref-${kind}`,
    instructedBy: null,
    legs,
    holdExpiresAtMs: null,
    ...extra,
  };
}

/** A leg in the given asset. */
export function leg(debit: string, credit: string, asset: string, amountMinor: bigint): Leg {
  return { debit, credit, asset, amountMinor };
}

/** A customer deposit: coins into segregated custody, a claim for the customer. */
export function deposit(
  customer: string,
  accountClass: string,
  asset: string,
  amountMinor: bigint,
): TransferCommand {
  return transfer('deposit', [
    leg(ids.segregated(accountClass, asset), ids.customer(customer, accountClass, asset), asset, amountMinor),
  ]);
}

/** House money into segregation as residual interest (two legs: the coins and the claim). */
export function residualInterestDeposit(
  accountClass: string,
  asset: string,
  amountMinor: bigint,
): TransferCommand {
  return transfer('residual_interest_deposit', [
    leg(ids.segregated(accountClass, asset), ids.houseCustody(asset), asset, amountMinor),
    leg(ids.houseEquity(asset), ids.residual(accountClass, asset), asset, amountMinor),
  ]);
}

/** Outside capital into the house. */
export function houseCapital(asset: string, amountMinor: bigint): TransferCommand {
  return transfer('house_capital', [leg(ids.houseCustody(asset), ids.external(asset), asset, amountMinor)]);
}

/** Runs commands as one batch and throws unless every one was accepted. */
export function applyAll(engine: LedgerEngine, commands: Command[], timestampMs = 1_000): void {
  const outcome = engine.executeBatch(commands, timestampMs);
  outcome.results.forEach((result, index) => {
    if (!result.ok)
      throw new Error(`command ${index} rejected: ${result.error.code} ${result.error.message}`);
  });
}

/** Everything observable about the books, as a string: equal strings mean nothing changed. */
export function booksFingerprint(engine: LedgerEngine): string {
  return JSON.stringify(
    {
      seq: engine.headSeq,
      hash: engine.headHash,
      accounts: engine.listAccounts(),
      holds: engine.listPendingHolds(),
      assets: engine.listAssets(),
      customers: engine.listCustomers(),
      classes: engine.listAccountClasses(),
    },
    (_key, value) => (typeof value === 'bigint' ? value.toString() : value),
  );
}
