// The demo book: a realistic, deterministic ledger of a small crypto venue, written through the single
// writer exactly as a client would (`service.submit`), including one refused attempt to sweep customer
// money into the house. The same seed always gives the same transfers; only batch times differ.

import { createHash } from 'node:crypto';
import { assert } from '../core/assert.ts';
import type { VaultInput } from '../core/custody/vault.ts';
import type { SegregationClass, TransferKind } from '../core/ledger/classes.ts';
import { CLASS_RULES } from '../core/ledger/classes.ts';
import { availableOf } from '../core/ledger/state.ts';
import type { Command, CommandResult, Leg, Owner, TransferCommand } from '../core/ledger/types.ts';
import { divCeil, divFloor } from '../core/money/amount.ts';
import type { LedgerService } from './ledger-service.ts';

/** The assets of the demo venue, with their minor-unit scales. */
export const DEMO_ASSETS = [
  { code: 'BTC', scale: 8 },
  { code: 'ETH', scale: 18 },
  { code: 'USDC', scale: 6 },
  { code: 'USDT', scale: 6 },
] as const;

/** The customer account classes of the demo venue; each is a segregated pool of its own. */
export const DEMO_ACCOUNT_CLASSES = ['derivatives', 'spot'] as const;

/** How many customers the demo book opens (cust-001 ... cust-036). */
export const DEMO_CUSTOMERS_COUNT = 36;

/** The customer every demo walkthrough uses: always funded in USDC and BTC in both account classes. */
export const DEMO_FEATURED_CUSTOMER_ID = 'cust-001';

/** The seed used when none is given. */
export const DEMO_SEED_DEFAULT = 2026;

/** The rejection the demo's deliberate sweep of customer money into the house must receive. */
export const DEMO_REFUSED_CODE = 'segregation_customer_to_house_forbidden';

/** The label of the refused sweep: `demoTransferId(seed, DEMO_REFUSED_LABEL)` finds its failure later. */
export const DEMO_REFUSED_LABEL = 'refused-treasury-sweep';

/** Account ids of the demo book, by role. */
export const demoAccountIds = {
  customer: (customerId: string, accountClass: string, asset: string) =>
    `${customerId}:${accountClass}:${asset}`,
  segregated: (accountClass: string, asset: string) => `seg:${accountClass}:${asset}`,
  residual: (accountClass: string, asset: string) => `ri:${accountClass}:${asset}`,
  houseCustody: (asset: string) => `house:custody:${asset}`,
  houseEquity: (asset: string) => `house:equity:${asset}`,
  external: (asset: string) => `house:external:${asset}`,
  insuranceCustody: (asset: string) => `insurance:custody:${asset}`,
  insuranceFund: (asset: string) => `insurance:fund:${asset}`,
};

/** Vault ids of the demo venue: one cold omnibus vault per account class, one house and one insurance vault. */
export const demoVaultIds = {
  customer: (accountClass: string) => `vault:${accountClass}:cold`,
  house: 'vault:house',
  insurance: 'vault:insurance',
};

/** The asset codes of the demo venue. */
export type DemoAssetCode = (typeof DEMO_ASSETS)[number]['code'];

/** The chain id of the demo's vaults: the local development chain (Hardhat's 31337). */
export const DEMO_CHAIN_ID = 31_337;

/** Where the demo's vaults are: chain, token contract per asset (`native` for the chain's coin) and vault addresses. */
export interface DemoVaultPlacement {
  readonly chainId: number;
  readonly tokens: Readonly<Record<DemoAssetCode, string>>;
  readonly addresses: {
    readonly customer: Readonly<Record<(typeof DEMO_ACCOUNT_CLASSES)[number], string>>;
    readonly house: string;
    readonly insurance: string;
  };
}

// Made-up addresses on the local development chain; the on-chain demo (demo-chain.ts) places the vaults at
// real Safes instead.
const MADE_UP_PLACEMENT: DemoVaultPlacement = {
  chainId: DEMO_CHAIN_ID,
  tokens: {
    BTC: `0x${'b7c'.padEnd(40, '0')}`,
    ETH: 'native',
    USDC: `0x${'a0b8'.padEnd(40, '1')}`,
    USDT: `0x${'dac1'.padEnd(40, '7')}`,
  },
  addresses: {
    customer: { derivatives: `0x${'1'.padStart(40, 'c')}`, spot: `0x${'2'.padStart(40, 'c')}` },
    house: `0x${'d'.repeat(40)}`,
    insurance: `0x${'e'.repeat(40)}`,
  },
};
/** When the demo custodian signed its no-set-off acknowledgment letter (2020-09-13). */
const DEMO_ACKNOWLEDGED_AT_MS = 1_600_000_000_000;

/**
 * The demo's vault registry: every custody account records one of these. Without a placement the vaults sit
 * at made-up addresses (an off-chain book); the on-chain demo passes the Safes and tokens it deployed.
 */
export function demoVaults(placement: DemoVaultPlacement = MADE_UP_PLACEMENT): VaultInput[] {
  const assets = DEMO_ASSETS.map(({ code }) => ({ asset: code, token: placement.tokens[code] }));
  const base = {
    chainId: placement.chainId,
    assets,
    customerId: null,
    temperature: 'cold',
    custodian: 'Demo Trust Co.',
  };
  return [
    ...DEMO_ACCOUNT_CLASSES.map((accountClass) => ({
      ...base,
      id: demoVaultIds.customer(accountClass),
      address: placement.addresses.customer[accountClass],
      kind: 'customer_omnibus',
      accountClass,
      acknowledgment: {
        acknowledgedAtMs: DEMO_ACKNOWLEDGED_AT_MS,
        documentReference: `demo-trust-ack-${accountClass}`,
      },
    })),
    {
      ...base,
      id: demoVaultIds.house,
      address: placement.addresses.house,
      kind: 'house',
      accountClass: null,
      acknowledgment: null,
    },
    {
      ...base,
      id: demoVaultIds.insurance,
      address: placement.addresses.insurance,
      kind: 'insurance_fund',
      accountClass: null,
      acknowledgment: null,
    },
  ];
}

function demoVaultOf(segregationClass: SegregationClass, accountClass: string | null): string | null {
  if (segregationClass === 'segregated_custody' && accountClass !== null)
    return demoVaultIds.customer(accountClass);
  if (segregationClass === 'house_custody') return demoVaultIds.house;
  if (segregationClass === 'insurance_custody') return demoVaultIds.insurance;
  return null;
}

/** What `seedDemoBook` wrote, for printing and for tests. */
export interface DemoBookSummary {
  readonly seed: number;
  /** Journal position after seeding. */
  readonly headSeq: number;
  readonly assets: readonly string[];
  readonly accountClasses: readonly string[];
  readonly customers: number;
  readonly accounts: number;
  /** Accepted transfers, holds and hold posts (every id-bearing command except the refusal). */
  readonly transfers: number;
  readonly deposits: number;
  readonly tradeSettlements: number;
  readonly fees: number;
  readonly featuredCustomerId: string;
  /** The withdrawal hold that was placed and then posted in full. */
  readonly postedHoldId: string;
  /** The withdrawal hold left pending (it expires `pendingHoldExpiresAtMs` unless posted or voided). */
  readonly pendingHoldId: string;
  readonly pendingHoldExpiresAtMs: number;
  /** The deliberate attempt to move customer money to the house, and the rejection it received. */
  readonly refused: {
    readonly transferId: string;
    readonly kind: TransferKind;
    readonly reference: string;
    readonly code: string;
    readonly message: string;
  };
}

export interface SeedDemoBookOptions {
  /** Seeds the generator of customers, amounts and trades; the same seed gives the same book. */
  readonly seed?: number;
  /** The time hold expiries count from; defaults to the wall clock. */
  readonly nowMs?: number;
  /**
   * The vault registry to register (ids as `demoVaultIds`); `demoVaults()` at made-up addresses unless
   * given. The on-chain demo passes `demoVaults(placement)` with its Safes and tokens.
   */
  readonly vaults?: readonly VaultInput[];
}

/** The transfer id the demo book gives the command labelled `label`: 32 hex digits derived from the seed. */
export function demoTransferId(seed: number, label: string): string {
  return createHash('sha256').update(`ringfence-demo-book\n${seed}\n${label}`).digest('hex').slice(0, 32);
}

// Prices in quote minor units per whole base unit (USDC and USDT both have 6 decimals).
const PRICES_QUOTE_MINOR: Readonly<Record<'BTC' | 'ETH', bigint>> = {
  BTC: 64_250_000_000n,
  ETH: 3_180_500_000n,
};
const TAKER_FEE_BPS = 10n;
const BPS_PER_UNIT = 10_000n;
const HOUR_MS = 3_600_000;
const SPOT_FILLS = 40;
const DERIVATIVES_SETTLEMENTS = 30;
const HOUSE_SETTLEMENTS = 12;

type AssetCode = DemoAssetCode;

// Per asset: whole-unit sizes of the house's capital, residual interest per account class and insurance
// fund, the granularity customer amounts are drawn in, and the range of a customer deposit.
const ASSET_PLAN: Readonly<
  Record<
    AssetCode,
    {
      readonly capitalUnits: bigint;
      readonly residualUnits: Readonly<Record<(typeof DEMO_ACCOUNT_CLASSES)[number], bigint>>;
      readonly insuranceUnits: bigint;
      readonly stepMinor: bigint;
      readonly depositMinMinor: bigint;
      readonly depositMaxMinor: bigint;
    }
  >
> = {
  BTC: {
    capitalUnits: 400n,
    residualUnits: { derivatives: 25n, spot: 10n },
    insuranceUnits: 50n,
    stepMinor: 1_000n,
    depositMinMinor: 2_500_000n,
    depositMaxMinor: 1_500_000_000n,
  },
  ETH: {
    capitalUnits: 6_000n,
    residualUnits: { derivatives: 400n, spot: 150n },
    insuranceUnits: 800n,
    stepMinor: 1_000_000_000_000n,
    depositMinMinor: 250_000_000_000_000_000n,
    depositMaxMinor: 250_000_000_000_000_000_000n,
  },
  USDC: {
    capitalUnits: 40_000_000n,
    residualUnits: { derivatives: 2_500_000n, spot: 1_000_000n },
    insuranceUnits: 5_000_000n,
    stepMinor: 10_000n,
    depositMinMinor: 250_000_000n,
    depositMaxMinor: 1_500_000_000_000n,
  },
  USDT: {
    capitalUnits: 20_000_000n,
    residualUnits: { derivatives: 1_500_000n, spot: 600_000n },
    insuranceUnits: 3_000_000n,
    stepMinor: 10_000n,
    depositMinMinor: 250_000_000n,
    depositMaxMinor: 900_000_000_000n,
  },
};

// Given names and family names, shuffled by the seed and paired into customer names.
const FIRST_NAMES = (
  'Amara Lukas Sofia Kenji Priya Mateo Ingrid Tariq Chloe Dmitri Yara Olumide Hana Rafael Freya Arjun Lucia Emeka ' +
  'Mei Jonas Zainab Pablo Astrid Kwame Elif Tomasz Noor Santiago Aiko Henrik Leila Mihai Camille Bao Isabela Oskar'
).split(' ');
const LAST_NAMES = (
  'Okafor Becker Rossi Tanaka Raman Garcia Lindqvist Haddad Dubois Volkov Mansour Adeyemi Sato Almeida Hansen Mehta Fernandez Eze ' +
  'Chen Weber Bello Navarro Nilsson Mensah Yilmaz Kowalski Rahman Morales Kimura Larsen Karimi Popescu Laurent Nguyen Costa Berg'
).split(' ');

/**
 * Seeds an empty ledger with the demo book and returns what it wrote. Every command must be accepted
 * except the deliberate sweep, which must be refused with `segregation_customer_to_house_forbidden`.
 */
export async function seedDemoBook(
  service: LedgerService,
  options: SeedDemoBookOptions = {},
): Promise<DemoBookSummary> {
  const seed = options.seed ?? DEMO_SEED_DEFAULT;
  const nowMs = options.nowMs ?? Date.now();
  assert(Number.isSafeInteger(seed), 'the demo seed is an integer');
  assert(
    (await service.read((engine) => engine.headSeq)) === 0,
    'the demo book is seeded into an empty ledger only',
  );
  const vaults = options.vaults ?? demoVaults();
  const expectedIds = demoVaults().map((vault) => vault.id);
  assert(
    vaults.length === expectedIds.length && vaults.every((vault, index) => vault.id === expectedIds[index]),
    `the demo vault registry has the vaults ${expectedIds.join(', ')}, in that order`,
  );
  const book = new DemoBookWriter(service, seed, vaults);
  const customers = await book.openBook();
  await book.fundHouse();
  await book.depositCustomers(customers);
  await book.settleTrades(customers);
  await book.moveBetweenClasses();
  const posted = await book.withdrawThroughHold(
    customers,
    'derivatives',
    'BTC',
    'withdrawal-instruction-0001',
    nowMs + HOUR_MS,
  );
  await book.postHold(posted.holdId, 'withdrawal-instruction-0001');
  const pending = await book.withdrawThroughHold(
    customers,
    'spot',
    'USDC',
    'withdrawal-instruction-0002',
    nowMs + 24 * HOUR_MS,
  );
  const refused = await book.attemptTreasurySweep();
  const counts = await service.read((engine) => ({
    headSeq: engine.headSeq,
    accounts: engine.listAccounts().length,
    customers: engine.listCustomers().length,
  }));
  return {
    seed,
    headSeq: counts.headSeq,
    assets: DEMO_ASSETS.map((asset) => asset.code),
    accountClasses: [...DEMO_ACCOUNT_CLASSES],
    customers: counts.customers,
    accounts: counts.accounts,
    transfers: book.accepted,
    deposits: book.countOf('deposit'),
    tradeSettlements: book.countOf('trade_settlement'),
    fees: book.countOf('fee'),
    featuredCustomerId: DEMO_FEATURED_CUSTOMER_ID,
    postedHoldId: posted.holdId,
    pendingHoldId: pending.holdId,
    pendingHoldExpiresAtMs: pending.expiresAtMs,
    refused,
  };
}

/** A demo customer and the account classes it trades in. */
interface DemoCustomer {
  readonly id: string;
  readonly name: string;
  readonly accountClasses: readonly string[];
}

/** Writes the book step by step, reading committed balances to size every movement it can afford. */
class DemoBookWriter {
  accepted = 0;
  private readonly kinds = new Map<TransferKind, number>();
  private readonly random: SeededRandom;
  private fills = 0;

  constructor(
    private readonly service: LedgerService,
    private readonly seed: number,
    private readonly vaults: readonly VaultInput[],
  ) {
    this.random = new SeededRandom(seed);
  }

  countOf(kind: TransferKind): number {
    return this.kinds.get(kind) ?? 0;
  }

  /** Registry, customers and every account, in one batch. */
  async openBook(): Promise<DemoCustomer[]> {
    const commands: Command[] = [];
    for (const asset of DEMO_ASSETS)
      commands.push({ type: 'register_asset', code: asset.code, scale: asset.scale });
    for (const code of DEMO_ACCOUNT_CLASSES) commands.push({ type: 'add_account_class', code });
    const customers = this.drawCustomers();
    for (const customer of customers)
      commands.push({ type: 'create_customer', id: customer.id, name: customer.name });
    for (const vault of this.vaults) commands.push({ type: 'register_vault', vault });
    const house: Owner = { type: 'house' };
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
      vaultId: demoVaultOf(segregationClass, accountClass),
    });
    for (const { code: asset } of DEMO_ASSETS) {
      commands.push(open(demoAccountIds.houseCustody(asset), 'house_custody', asset, null));
      commands.push(open(demoAccountIds.houseEquity(asset), 'house_equity', asset, null));
      commands.push(open(demoAccountIds.external(asset), 'external', asset, null));
      commands.push(open(demoAccountIds.insuranceCustody(asset), 'insurance_custody', asset, null));
      commands.push(open(demoAccountIds.insuranceFund(asset), 'insurance_fund', asset, null));
      for (const accountClass of DEMO_ACCOUNT_CLASSES) {
        commands.push(
          open(demoAccountIds.segregated(accountClass, asset), 'segregated_custody', asset, accountClass),
        );
        commands.push(
          open(demoAccountIds.residual(accountClass, asset), 'residual_interest', asset, accountClass),
        );
      }
    }
    for (const customer of customers) {
      const owner: Owner = { type: 'customer', customerId: customer.id };
      for (const accountClass of customer.accountClasses) {
        for (const { code: asset } of DEMO_ASSETS) {
          commands.push(
            open(
              demoAccountIds.customer(customer.id, accountClass, asset),
              'customer_collateral',
              asset,
              accountClass,
              owner,
            ),
          );
        }
      }
    }
    await this.submitAll(commands);
    return customers;
  }

  /** Outside capital into the house, recognised as equity, then residual interest and the insurance fund. */
  async fundHouse(): Promise<void> {
    for (const { code: asset, scale } of DEMO_ASSETS) {
      const unit = 10n ** BigInt(scale);
      const plan = ASSET_PLAN[asset];
      const capital = plan.capitalUnits * unit;
      await this.transfer('house_capital', `capital-subscription-2026-${asset.toLowerCase()}`, [
        {
          debit: demoAccountIds.houseCustody(asset),
          credit: demoAccountIds.external(asset),
          asset,
          amountMinor: capital,
        },
      ]);
      await this.transfer('house_transfer', `board-resolution-2026-07-${asset.toLowerCase()}`, [
        {
          debit: demoAccountIds.external(asset),
          credit: demoAccountIds.houseEquity(asset),
          asset,
          amountMinor: capital,
        },
      ]);
      for (const accountClass of DEMO_ACCOUNT_CLASSES) {
        // Residual interest is house money placed inside segregation: the coins and the claim move together.
        const residual = plan.residualUnits[accountClass] * unit;
        await this.transfer(
          'residual_interest_deposit',
          `residual-interest-policy-${accountClass}-${asset.toLowerCase()}`,
          [
            {
              debit: demoAccountIds.segregated(accountClass, asset),
              credit: demoAccountIds.houseCustody(asset),
              asset,
              amountMinor: residual,
            },
            {
              debit: demoAccountIds.houseEquity(asset),
              credit: demoAccountIds.residual(accountClass, asset),
              asset,
              amountMinor: residual,
            },
          ],
        );
      }
      const insurance = plan.insuranceUnits * unit;
      await this.transfer('insurance_fund_deposit', `insurance-fund-policy-${asset.toLowerCase()}`, [
        {
          debit: demoAccountIds.insuranceCustody(asset),
          credit: demoAccountIds.houseCustody(asset),
          asset,
          amountMinor: insurance,
        },
        {
          debit: demoAccountIds.houseEquity(asset),
          credit: demoAccountIds.insuranceFund(asset),
          asset,
          amountMinor: insurance,
        },
      ]);
    }
  }

  /** One to three on-chain deposits per customer, asset and class; the featured customer always funds USDC and BTC. */
  async depositCustomers(customers: readonly DemoCustomer[]): Promise<void> {
    for (const customer of customers) {
      for (const accountClass of customer.accountClasses) {
        const featured = customer.id === DEMO_FEATURED_CUSTOMER_ID;
        const assets = DEMO_ASSETS.filter(
          ({ code }) => (featured && (code === 'USDC' || code === 'BTC')) || this.random.below(100) < 45,
        );
        for (const { code: asset } of assets) {
          const deposits = 1 + this.random.below(3);
          for (let index = 0; index < deposits; index += 1) {
            const plan = ASSET_PLAN[asset];
            await this.transfer('deposit', `0x${this.random.hex(64)}`, [
              {
                debit: demoAccountIds.segregated(accountClass, asset),
                credit: demoAccountIds.customer(customer.id, accountClass, asset),
                asset,
                amountMinor: this.random.amountBetween(
                  plan.depositMinMinor,
                  plan.depositMaxMinor,
                  plan.stepMinor,
                ),
              },
            ]);
          }
        }
      }
    }
  }

  /** Spot fills between customers with taker fees, derivatives PnL between customers and against the house. */
  async settleTrades(customers: readonly DemoCustomer[]): Promise<void> {
    const spot = customers.filter((customer) => customer.accountClasses.includes('spot'));
    const derivatives = customers.filter((customer) => customer.accountClasses.includes('derivatives'));
    await this.repeat(SPOT_FILLS, () => this.spotFill(spot));
    await this.repeat(DERIVATIVES_SETTLEMENTS, () => this.derivativesSettlement(derivatives));
    await this.repeat(HOUSE_SETTLEMENTS, () => this.houseSettlement(derivatives));
  }

  // Draws are retried when they pick an unaffordable or self-trade; the cap keeps a bad seed finite.
  private async repeat(count: number, attempt: () => Promise<boolean>): Promise<void> {
    let done = 0;
    for (let attempts = 0; done < count && attempts < count * 10; attempts += 1)
      if (await attempt()) done += 1;
    assert(done === count, `the demo book settles ${count} trades of each kind`);
  }

  /** The featured customer moves USDC from spot to derivatives: the claim and its custody move together. */
  async moveBetweenClasses(): Promise<void> {
    const asset = 'USDC';
    const from = demoAccountIds.customer(DEMO_FEATURED_CUSTOMER_ID, 'spot', asset);
    const amount = divFloor(await this.available(from), 4n);
    assert(amount > 0n, 'the featured customer holds spot USDC');
    await this.transfer(
      'internal_transfer',
      'transfer-instruction-0001',
      [
        {
          debit: from,
          credit: demoAccountIds.customer(DEMO_FEATURED_CUSTOMER_ID, 'derivatives', asset),
          asset,
          amountMinor: amount,
        },
        {
          debit: demoAccountIds.segregated('derivatives', asset),
          credit: demoAccountIds.segregated('spot', asset),
          asset,
          amountMinor: amount,
        },
      ],
      DEMO_FEATURED_CUSTOMER_ID,
    );
  }

  /** A customer's own withdrawal as a hold: the claim is reserved while custody signs the on-chain payment. */
  async withdrawThroughHold(
    customers: readonly DemoCustomer[],
    accountClass: string,
    asset: AssetCode,
    reference: string,
    expiresAtMs: number,
  ): Promise<{ holdId: string; expiresAtMs: number }> {
    const candidates: { id: string; available: bigint }[] = [];
    for (const customer of customers) {
      if (customer.id === DEMO_FEATURED_CUSTOMER_ID || !customer.accountClasses.includes(accountClass))
        continue;
      const available = await this.available(demoAccountIds.customer(customer.id, accountClass, asset));
      if (available > 0n) candidates.push({ id: customer.id, available });
    }
    const chosen = candidates[this.random.below(candidates.length)];
    assert(chosen !== undefined, `some customer holds ${accountClass} ${asset} to withdraw`);
    const amount = this.roundDown(divFloor(chosen.available * 2n, 5n), ASSET_PLAN[asset].stepMinor);
    const holdId = await this.transfer(
      'withdrawal',
      reference,
      [
        {
          debit: demoAccountIds.customer(chosen.id, accountClass, asset),
          credit: demoAccountIds.segregated(accountClass, asset),
          asset,
          amountMinor: amount,
        },
      ],
      chosen.id,
      expiresAtMs,
    );
    return { holdId, expiresAtMs };
  }

  /** Posts the hold in full, as custody does once the withdrawal is broadcast. */
  async postHold(holdId: string, reference: string): Promise<void> {
    await this.submitAll([
      { type: 'post_hold', id: demoTransferId(this.seed, `${reference}-post`), holdId, amountMinor: null },
    ]);
    this.accepted += 1;
  }

  /** The house tries to sweep a customer's USDC into its own equity: the ledger must refuse it. */
  async attemptTreasurySweep(): Promise<DemoBookSummary['refused']> {
    const asset = 'USDC';
    const from = demoAccountIds.customer(DEMO_FEATURED_CUSTOMER_ID, 'derivatives', asset);
    const command: TransferCommand = {
      type: 'transfer',
      id: demoTransferId(this.seed, DEMO_REFUSED_LABEL),
      kind: 'house_transfer',
      reference: 'treasury-sweep-0001',
      instructedBy: null,
      legs: [{ debit: from, credit: demoAccountIds.houseEquity(asset), asset, amountMinor: 10_000_000_000n }],
      holdExpiresAtMs: null,
    };
    const [result] = await this.service.submit([command]);
    assert(result !== undefined && !result.ok, 'the treasury sweep of customer money must be refused');
    assert(
      result.error.code === DEMO_REFUSED_CODE,
      `the sweep must be refused as ${DEMO_REFUSED_CODE}, got ${result.error.code}`,
    );
    return {
      transferId: command.id,
      kind: command.kind,
      reference: command.reference,
      code: result.error.code,
      message: result.error.message,
    };
  }

  private async spotFill(spot: readonly DemoCustomer[]): Promise<boolean> {
    const base = this.random.below(3) === 0 ? 'ETH' : 'BTC';
    const quote = this.random.below(3) === 0 ? 'USDT' : 'USDC';
    const buyer = spot[this.random.below(spot.length)];
    const seller = spot[this.random.below(spot.length)];
    if (buyer === undefined || seller === undefined || buyer.id === seller.id) return false;
    const buyerQuote = demoAccountIds.customer(buyer.id, 'spot', quote);
    const sellerBase = demoAccountIds.customer(seller.id, 'spot', base);
    const baseScale = 10n ** BigInt(DEMO_ASSETS.find((asset) => asset.code === base)!.scale);
    const price = PRICES_QUOTE_MINOR[base];
    // The buyer spends at most 60% of its quote balance, leaving room for the taker fee.
    const affordableBase = divFloor((await this.available(buyerQuote)) * baseScale * 3n, price * 5n);
    const offeredBase = divFloor((await this.available(sellerBase)) * 3n, 5n);
    // The smaller of the two (Math.min does not take bigints).
    let ceiling = affordableBase;
    if (offeredBase < ceiling) ceiling = offeredBase;
    const step = ASSET_PLAN[base].stepMinor;
    if (ceiling < step * 10n) return false;
    const baseAmount = this.random.amountBetween(step, ceiling, step);
    const quoteAmount = divFloor(baseAmount * price, baseScale);
    if (quoteAmount === 0n) return false;
    const fill = this.nextFill();
    await this.transfer('trade_settlement', fill, [
      {
        debit: buyerQuote,
        credit: demoAccountIds.customer(seller.id, 'spot', quote),
        asset: quote,
        amountMinor: quoteAmount,
      },
      {
        debit: sellerBase,
        credit: demoAccountIds.customer(buyer.id, 'spot', base),
        asset: base,
        amountMinor: baseAmount,
      },
    ]);
    // The taker fee rounds up: the venue never undercharges by a fraction of a minor unit.
    const fee = divCeil(quoteAmount * TAKER_FEE_BPS, BPS_PER_UNIT);
    await this.transfer('fee', `fee-schedule-2026-q4/spot-taker/${fill}`, [
      { debit: buyerQuote, credit: demoAccountIds.residual('spot', quote), asset: quote, amountMinor: fee },
    ]);
    return true;
  }

  private async derivativesSettlement(derivatives: readonly DemoCustomer[]): Promise<boolean> {
    const asset = this.random.below(4) === 0 ? 'USDT' : 'USDC';
    const loser = derivatives[this.random.below(derivatives.length)];
    const winner = derivatives[this.random.below(derivatives.length)];
    if (loser === undefined || winner === undefined || loser.id === winner.id) return false;
    const from = demoAccountIds.customer(loser.id, 'derivatives', asset);
    const ceiling = divFloor(await this.available(from), 5n);
    const step = ASSET_PLAN[asset].stepMinor;
    if (ceiling < step * 10n) return false;
    const pnl = this.random.amountBetween(step, ceiling, step);
    const fill = this.nextFill();
    await this.transfer('trade_settlement', fill, [
      {
        debit: from,
        credit: demoAccountIds.customer(winner.id, 'derivatives', asset),
        asset,
        amountMinor: pnl,
      },
    ]);
    const fee = divCeil(pnl * TAKER_FEE_BPS, BPS_PER_UNIT);
    if (fee <= (await this.available(from))) {
      await this.transfer('fee', `fee-schedule-2026-q4/derivatives-taker/${fill}`, [
        { debit: from, credit: demoAccountIds.residual('derivatives', asset), asset, amountMinor: fee },
      ]);
    }
    return true;
  }

  // The house trades as a counterparty only through residual interest: its gains stay inside segregation
  // and its losses are paid only from what it placed there.
  private async houseSettlement(derivatives: readonly DemoCustomer[]): Promise<boolean> {
    const asset = 'USDC';
    const customer = derivatives[this.random.below(derivatives.length)];
    if (customer === undefined) return false;
    const account = demoAccountIds.customer(customer.id, 'derivatives', asset);
    const residual = demoAccountIds.residual('derivatives', asset);
    const houseWins = this.random.below(2) === 0;
    const ceiling = divFloor(await this.available(houseWins ? account : residual), houseWins ? 5n : 50n);
    const step = ASSET_PLAN[asset].stepMinor;
    if (ceiling < step * 10n) return false;
    const pnl = this.random.amountBetween(step, ceiling, step);
    await this.transfer('trade_settlement', this.nextFill(), [
      houseWins
        ? { debit: account, credit: residual, asset, amountMinor: pnl }
        : { debit: residual, credit: account, asset, amountMinor: pnl },
    ]);
    return true;
  }

  private drawCustomers(): DemoCustomer[] {
    const firstNames = this.random.shuffle(FIRST_NAMES);
    const lastNames = this.random.shuffle(LAST_NAMES);
    const customers: DemoCustomer[] = [];
    for (let index = 0; index < DEMO_CUSTOMERS_COUNT; index += 1) {
      const id = `cust-${String(index + 1).padStart(3, '0')}`;
      const roll = this.random.below(100);
      // Most customers trade derivatives, half of them spot as well; the featured customer does both.
      const accountClasses =
        id === DEMO_FEATURED_CUSTOMER_ID || roll < 45
          ? ['derivatives', 'spot']
          : roll < 80
            ? ['derivatives']
            : ['spot'];
      customers.push({ id, name: `${firstNames[index]} ${lastNames[index]}`, accountClasses });
    }
    return customers;
  }

  private nextFill(): string {
    this.fills += 1;
    return `fill-${String(this.fills).padStart(6, '0')}`;
  }

  private roundDown(amount: bigint, step: bigint): bigint {
    return divFloor(amount, step) * step;
  }

  private async available(accountId: string): Promise<bigint> {
    const account = await this.service.read((engine) => engine.getAccount(accountId));
    assert(account !== undefined, `demo account ${accountId} exists`);
    const side = CLASS_RULES[account.segregationClass].side;
    return availableOf(
      side,
      account.debitsPostedMinor,
      account.creditsPostedMinor,
      account.debitsPendingMinor,
      account.creditsPendingMinor,
    );
  }

  /** Submits one transfer (a hold when `holdExpiresAtMs` is set), asserts it was accepted and returns its id. */
  private async transfer(
    kind: TransferKind,
    reference: string,
    legs: readonly Leg[],
    instructedBy: string | null = null,
    holdExpiresAtMs: number | null = null,
  ): Promise<string> {
    const id = demoTransferId(this.seed, `${kind}:${reference}:${legs[0]?.debit}`);
    await this.submitAll([{ type: 'transfer', id, kind, reference, instructedBy, legs, holdExpiresAtMs }]);
    this.accepted += 1;
    this.kinds.set(kind, this.countOf(kind) + 1);
    return id;
  }

  private async submitAll(commands: readonly Command[]): Promise<void> {
    const results: CommandResult[] = await this.service.submit(commands);
    for (const [index, result] of results.entries()) {
      assert(
        result.ok && !result.duplicate,
        `demo command ${index} (${commands[index]?.type}) must be accepted: ${result.ok ? 'duplicate' : result.error.code}`,
      );
    }
  }
}

/** A seeded 32-bit generator (mulberry32) with integer-only helpers, so amounts never pass through floats. */
class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in [0, bound); the modulo bias is irrelevant for a demo and keeps it exact. */
  below(bound: number): number {
    assert(
      Number.isSafeInteger(bound) && bound > 0 && bound <= 0x1_0000_0000,
      'bound is a positive 32-bit integer',
    );
    return this.nextUint32() % bound;
  }

  /** An amount in [min, max] that is a multiple of `step` (min and max rounded to steps), skewed to small sizes. */
  amountBetween(minMinor: bigint, maxMinor: bigint, stepMinor: bigint): bigint {
    const low = divCeil(minMinor, stepMinor);
    const high = divFloor(maxMinor, stepMinor);
    assert(low <= high, 'the amount range holds at least one step');
    // Squaring a uniform draw skews toward small amounts: most customers are small, a few are whales.
    const span = high - low + 1n;
    const draw = (BigInt(this.nextUint32()) << 32n) | BigInt(this.nextUint32());
    const scaled = divFloor(draw * draw, 1n << 64n);
    return (low + divFloor(scaled * span, 1n << 64n)) * stepMinor;
  }

  /** `length` lower-case hex digits. */
  hex(length: number): string {
    let text = '';
    while (text.length < length) text += this.nextUint32().toString(16).padStart(8, '0');
    return text.slice(0, length);
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let index = copy.length - 1; index > 0; index -= 1) {
      const other = this.below(index + 1);
      [copy[index], copy[other]] = [copy[other]!, copy[index]!];
    }
    return copy;
  }
}
