// Contagion simulation: a scenario (house trading loss, hot-wallet hack, customer default, custodian
// failure) applied to one set of books, then every customer's recovery per asset computed side by side under
// (a) Ringfence's segregated books, where each customer estate pays its own customers first and only unpaid
// parts meet the house creditors in the house estate, and (b) the same books commingled into one pot per
// asset, where all customer and house property answers all customer claims and house creditors' claims.

import { assert } from '../assert.ts';
import { type Rejected, rejected } from '../custody/rejection.ts';
import { divCeil } from '../money/amount.ts';
import { compareText } from '../segregation/statement.ts';
import { estateMapKey, type NetEquityEntry } from './claims.ts';
import { distributeEstate, type EstateClaim, type EstateDistribution, type Ratio } from './distribution.ts';
import { type EstateProperty, type Resolution, resolveEstates } from './resolution.ts';

/** Whose coins a vault holds: one customer account class (segregated) or the house's own. */
export type HoldingPool =
  | { readonly type: 'customer'; readonly accountClass: string }
  | { readonly type: 'house' };

/** What one vault holds of one asset; customer vaults hold residual interest too. */
export interface VaultHolding {
  readonly vaultId: string;
  readonly asset: string;
  readonly pool: HoldingPool;
  readonly amountMinor: bigint;
}

/** A creditor of the house (a lender, a supplier) owed an amount in one asset. */
export interface HouseCreditor {
  readonly creditorId: string;
  readonly asset: string;
  readonly claimMinor: bigint;
}

/** The books a scenario is applied to. */
export interface ContagionBook {
  readonly holdings: readonly VaultHolding[];
  readonly netEquity: readonly NetEquityEntry[];
  readonly houseCreditors: readonly HouseCreditor[];
}

/** The house loses on its own trading and owes the amount to its counterparty. */
export interface HouseTradingLoss {
  readonly type: 'house_trading_loss';
  readonly asset: string;
  readonly amountMinor: bigint;
}

/** Coins are stolen from one vault (a customer or a house hot wallet). */
export interface HotWalletHack {
  readonly type: 'hot_wallet_hack';
  readonly vaultId: string;
  readonly asset: string;
  readonly amountMinor: bigint;
}

/** A customer loses more than its equity to a counterparty customer of the same estate. */
export interface CustomerDefault {
  readonly type: 'customer_default';
  readonly customerId: string;
  readonly asset: string;
  readonly accountClass: string;
  readonly lossMinor: bigint;
  readonly counterpartyId: string;
}

/** A custodian fails and a share of every holding in the listed vaults is lost. */
export interface CustodianFailure {
  readonly type: 'custodian_failure';
  readonly vaultIds: readonly string[];
  /** The share of each holding lost, in (0, 1]; the loss per holding is rounded up (never understated). */
  readonly lostShare: Ratio;
}

/** One event of a scenario. */
export type ContagionEvent = HouseTradingLoss | HotWalletHack | CustomerDefault | CustodianFailure;

/** A named list of events, applied in order, after which the house fails. */
export interface ContagionScenario {
  readonly name: string;
  readonly events: readonly ContagionEvent[];
}

/** The house creditor id the unpaid part of a house trading loss is owed to (reserved in every book). */
export const TRADING_LOSS_CREDITOR_ID = 'trading_loss_counterparty';

/** One customer's recovery in one asset under both sets of books. */
export interface CustomerRecovery {
  readonly customerId: string;
  readonly asset: string;
  /** Σ over account classes of the customer's claims in the asset (after the scenario). */
  readonly claimMinor: bigint;
  /** Paid by the customer estates of the asset. */
  readonly segregatedFromEstatesMinor: bigint;
  /** Paid by the house estate on the unpaid part, pro rata with the house creditors. */
  readonly segregatedFromHouseEstateMinor: bigint;
  readonly segregatedMinor: bigint;
  readonly commingledMinor: bigint;
}

/**
 * One house creditor's recovery in one asset under both sets of books; for the trading counterparty, what was
 * settled before the failure counts.
 */
export interface CreditorRecovery {
  readonly creditorId: string;
  readonly asset: string;
  readonly claimMinor: bigint;
  readonly segregatedMinor: bigint;
  readonly commingledMinor: bigint;
}

/** The totals of one asset. */
export interface AssetContagion {
  readonly asset: string;
  /** Customer vault holdings after the scenario's vault losses (residual interest included). */
  readonly customerPropertyMinor: bigint;
  /** House vault holdings after the scenario's vault losses, before the trading losses are settled. */
  readonly housePropertyMinor: bigint;
  readonly tradingLossMinor: bigint;
  readonly customerClaimsMinor: bigint;
  readonly customersSegregatedMinor: bigint;
  readonly customersCommingledMinor: bigint;
  readonly creditorClaimsMinor: bigint;
  readonly creditorsSegregatedMinor: bigint;
  readonly creditorsCommingledMinor: bigint;
  /** Left for the house's owners once every claim is paid. */
  readonly houseResidualSegregatedMinor: bigint;
  readonly houseResidualCommingledMinor: bigint;
}

/** The side-by-side recoveries: a row per customer with a claim in an asset, sorted by id, then asset. */
export interface ContagionReport {
  readonly scenario: string;
  readonly customers: readonly CustomerRecovery[];
  readonly creditors: readonly CreditorRecovery[];
  readonly assets: readonly AssetContagion[];
  /** The segregated customer estates in full (the first tier of the segregated column). */
  readonly resolution: Resolution;
}

/** The rejection codes of simulateContagion, in the order they are checked. */
export type ContagionErrorCode =
  | 'contagion_amount_negative'
  | 'contagion_holding_duplicate'
  | 'contagion_creditor_id_reserved'
  | 'contagion_event_amount_not_positive'
  | 'contagion_vault_unknown'
  | 'contagion_hack_exceeds_holding'
  | 'contagion_lost_share_invalid'
  | 'contagion_customer_unknown'
  | 'contagion_counterparty_invalid';

/** The report, or the first broken rule. */
export type SimulateContagionResult =
  | { readonly ok: true; readonly report: ContagionReport }
  | Rejected<ContagionErrorCode>;

/** A holding as the scenario changes it. */
interface LiveHolding {
  readonly holding: VaultHolding;
  amountMinor: bigint;
}

// Claimant ids in a house estate or a commingled pot: customers and creditors in one namespace.
const CUSTOMER_PREFIX = 'customer:';
const CREDITOR_PREFIX = 'creditor:';

/**
 * Applies the scenario and computes both columns. Checks, in order: the book (each holding, then each
 * creditor), then each event in order. Vault losses (hacks, custodian failures) take coins as they happen;
 * trading losses are settled afterwards from what the house can reach: its own property when segregated, the
 * whole pot when commingled; what they cannot settle is owed to the trading counterparty as a house creditor.
 * The house then fails: no top-up and no debt recovery happens after the scenario.
 */
export function simulateContagion(book: ContagionBook, scenario: ContagionScenario): SimulateContagionResult {
  const holdings = new Map<string, LiveHolding>();
  const vaultIds = new Set<string>();
  for (const [index, holding] of book.holdings.entries()) {
    const details = { index, vaultId: holding.vaultId, asset: holding.asset };
    if (holding.amountMinor < 0n) {
      return rejected('contagion_amount_negative', 'a vault holding is never negative', {
        ...details,
        amountMinor: holding.amountMinor.toString(),
      });
    }
    const key = holdingKey(holding.vaultId, holding.asset);
    if (holdings.has(key)) {
      return rejected('contagion_holding_duplicate', 'a vault holds each asset on one line', details);
    }
    holdings.set(key, { holding, amountMinor: holding.amountMinor });
    vaultIds.add(holding.vaultId);
  }
  for (const [index, creditor] of book.houseCreditors.entries()) {
    const details = { index, creditorId: creditor.creditorId, asset: creditor.asset };
    if (creditor.claimMinor < 0n) {
      return rejected('contagion_amount_negative', 'a house creditor claim is never negative', {
        ...details,
        claimMinor: creditor.claimMinor.toString(),
      });
    }
    if (creditor.creditorId === TRADING_LOSS_CREDITOR_ID) {
      return rejected(
        'contagion_creditor_id_reserved',
        `the creditor id ${TRADING_LOSS_CREDITOR_ID} is kept for trading losses`,
        details,
      );
    }
  }
  const netEquity: NetEquityEntry[] = [...book.netEquity];
  const estateCustomers = new Set(netEquity.map((e) => `${estateMapKey(e)}\u0000${e.customerId}`));
  const tradingLoss = new Map<string, bigint>();
  for (const [index, event] of scenario.events.entries()) {
    const failure = applyEvent(event, index, { holdings, vaultIds, netEquity, estateCustomers, tradingLoss });
    if (failure !== null) return failure;
  }
  return {
    ok: true,
    report: computeReport(book, scenario.name, [...holdings.values()], netEquity, tradingLoss),
  };
}

interface ScenarioState {
  readonly holdings: ReadonlyMap<string, LiveHolding>;
  readonly vaultIds: ReadonlySet<string>;
  readonly netEquity: NetEquityEntry[];
  readonly estateCustomers: Set<string>;
  readonly tradingLoss: Map<string, bigint>;
}

/** Checks one event and applies it; returns the rejection, or null when applied. */
function applyEvent(
  event: ContagionEvent,
  index: number,
  state: ScenarioState,
): Rejected<ContagionErrorCode> | null {
  const notPositive = (amount: bigint) =>
    rejected('contagion_event_amount_not_positive', `a ${event.type} moves a positive amount`, {
      index,
      type: event.type,
      amountMinor: amount.toString(),
    });
  switch (event.type) {
    case 'hot_wallet_hack': {
      if (event.amountMinor <= 0n) return notPositive(event.amountMinor);
      const live = state.holdings.get(holdingKey(event.vaultId, event.asset));
      const details = { index, vaultId: event.vaultId, asset: event.asset };
      if (live === undefined) {
        return rejected('contagion_vault_unknown', `vault ${event.vaultId} holds no ${event.asset}`, details);
      }
      if (event.amountMinor > live.amountMinor) {
        return rejected('contagion_hack_exceeds_holding', 'a hack cannot take more than the vault holds', {
          ...details,
          amountMinor: event.amountMinor.toString(),
          holdingMinor: live.amountMinor.toString(),
        });
      }
      live.amountMinor -= event.amountMinor;
      return null;
    }
    case 'custodian_failure': {
      const share = event.lostShare;
      if (share.denominator <= 0n || share.numerator <= 0n || share.numerator > share.denominator) {
        return rejected('contagion_lost_share_invalid', 'the lost share is a fraction in (0, 1]', {
          index,
          numerator: share.numerator.toString(),
          denominator: share.denominator.toString(),
        });
      }
      const failed = new Set(event.vaultIds);
      for (const vaultId of failed) {
        if (!state.vaultIds.has(vaultId)) {
          return rejected('contagion_vault_unknown', `vault ${vaultId} holds nothing`, { index, vaultId });
        }
      }
      for (const live of state.holdings.values()) {
        if (!failed.has(live.holding.vaultId)) continue;
        // Rounded up, so a loss is never understated; at most the whole holding because the share is ≤ 1.
        live.amountMinor -= divCeil(live.amountMinor * share.numerator, share.denominator);
      }
      return null;
    }
    case 'house_trading_loss': {
      if (event.amountMinor <= 0n) return notPositive(event.amountMinor);
      state.tradingLoss.set(event.asset, (state.tradingLoss.get(event.asset) ?? 0n) + event.amountMinor);
      return null;
    }
    case 'customer_default': {
      if (event.lossMinor <= 0n) return notPositive(event.lossMinor);
      const estate = estateMapKey(event);
      const details = {
        index,
        customerId: event.customerId,
        asset: event.asset,
        accountClass: event.accountClass,
        counterpartyId: event.counterpartyId,
      };
      if (!state.estateCustomers.has(`${estate}\u0000${event.customerId}`)) {
        return rejected(
          'contagion_customer_unknown',
          `customer ${event.customerId} has no position in the ${event.asset} / ${event.accountClass} estate`,
          details,
        );
      }
      if (event.counterpartyId === '' || event.counterpartyId === event.customerId) {
        return rejected(
          'contagion_counterparty_invalid',
          'a default is owed to another customer of the estate',
          details,
        );
      }
      // The loss moves equity from the defaulter to the counterparty; no coin moves, so whatever the
      // defaulter's equity cannot cover becomes its debt to the estate and a shortfall for the estate.
      const { asset, accountClass } = event;
      state.netEquity.push(
        { customerId: event.customerId, asset, accountClass, netEquityMinor: -event.lossMinor },
        { customerId: event.counterpartyId, asset, accountClass, netEquityMinor: event.lossMinor },
      );
      state.estateCustomers.add(`${estate}\u0000${event.counterpartyId}`);
      return null;
    }
  }
}

/** Both columns, per asset, from the books after the scenario. */
function computeReport(
  book: ContagionBook,
  scenario: string,
  holdings: readonly LiveHolding[],
  netEquity: readonly NetEquityEntry[],
  tradingLoss: ReadonlyMap<string, bigint>,
): ContagionReport {
  const property: EstateProperty[] = [];
  const houseProperty = new Map<string, bigint>();
  const customerProperty = new Map<string, bigint>();
  for (const { holding, amountMinor } of holdings) {
    if (holding.pool.type === 'customer') {
      property.push({
        asset: holding.asset,
        accountClass: holding.pool.accountClass,
        heldMinor: amountMinor,
      });
      customerProperty.set(holding.asset, (customerProperty.get(holding.asset) ?? 0n) + amountMinor);
    } else {
      houseProperty.set(holding.asset, (houseProperty.get(holding.asset) ?? 0n) + amountMinor);
    }
  }
  const resolved = resolveEstates({ netEquity, property, recoveries: [] });
  assert(resolved.ok, 'property checked non-negative and no recoveries: the estates always resolve');
  const resolution = resolved.resolution;

  const assets = new Set<string>([
    ...holdings.map((h) => h.holding.asset),
    ...netEquity.map((e) => e.asset),
    ...book.houseCreditors.map((c) => c.asset),
    ...tradingLoss.keys(),
  ]);
  const customers: CustomerRecovery[] = [];
  const creditors: CreditorRecovery[] = [];
  const totals: AssetContagion[] = [];
  for (const asset of [...assets].sort(compareText)) {
    // Customer claims and first-tier payouts of the asset, summed over its estates (account classes).
    const claimOf = new Map<string, bigint>();
    const estatePaidOf = new Map<string, bigint>();
    let surplus = 0n;
    for (const estate of resolution.estates) {
      if (estate.asset !== asset) continue;
      surplus += estate.surplusMinor;
      for (const payout of estate.payouts) {
        claimOf.set(payout.customerId, (claimOf.get(payout.customerId) ?? 0n) + payout.claimMinor);
        estatePaidOf.set(payout.customerId, (estatePaidOf.get(payout.customerId) ?? 0n) + payout.payoutMinor);
      }
    }
    const creditorClaimOf = new Map<string, bigint>();
    for (const creditor of book.houseCreditors) {
      if (creditor.asset !== asset || creditor.claimMinor === 0n) continue;
      creditorClaimOf.set(
        creditor.creditorId,
        (creditorClaimOf.get(creditor.creditorId) ?? 0n) + creditor.claimMinor,
      );
    }
    const loss = tradingLoss.get(asset) ?? 0n;
    if (loss > 0n) creditorClaimOf.set(TRADING_LOSS_CREDITOR_ID, loss);
    const customerHeld = customerProperty.get(asset) ?? 0n;
    const houseHeld = houseProperty.get(asset) ?? 0n;

    // (a) Segregated: the trading loss is settled from house property only; the house estate (what is left
    // of it, plus the customer estates' surplus) pays unpaid customer claims and house creditors pro rata.
    const lossPaidSegregated = loss < houseHeld ? loss : houseHeld;
    const houseEstate = distributeEstate({
      propertyMinor: houseHeld - lossPaidSegregated + surplus,
      claims: [
        ...resolution.unsecuredClaims
          .filter((c) => c.asset === asset)
          .map((c) => ({ claimantId: CUSTOMER_PREFIX + c.customerId, claimMinor: c.amountMinor })),
        ...creditorClaims(creditorClaimOf, lossPaidSegregated),
      ],
    });
    // (b) Commingled: one pot of every holding of the asset; the trading loss is settled from the pot, and
    // what is left answers every customer claim and every house creditor pro rata.
    const pot = customerHeld + houseHeld;
    const lossPaidCommingled = loss < pot ? loss : pot;
    const commingled = distributeEstate({
      propertyMinor: pot - lossPaidCommingled,
      claims: [
        ...[...claimOf].map(([customerId, claimMinor]) => ({
          claimantId: CUSTOMER_PREFIX + customerId,
          claimMinor,
        })),
        ...creditorClaims(creditorClaimOf, lossPaidCommingled),
      ],
    });

    let customerClaims = 0n;
    let customersSegregated = 0n;
    let customersCommingled = 0n;
    for (const customerId of [...claimOf.keys()].sort(compareText)) {
      const fromEstates = estatePaidOf.get(customerId) ?? 0n;
      const fromHouse = payoutOf(houseEstate, CUSTOMER_PREFIX + customerId);
      const row: CustomerRecovery = {
        customerId,
        asset,
        claimMinor: claimOf.get(customerId)!,
        segregatedFromEstatesMinor: fromEstates,
        segregatedFromHouseEstateMinor: fromHouse,
        segregatedMinor: fromEstates + fromHouse,
        commingledMinor: payoutOf(commingled, CUSTOMER_PREFIX + customerId),
      };
      customers.push(row);
      customerClaims += row.claimMinor;
      customersSegregated += row.segregatedMinor;
      customersCommingled += row.commingledMinor;
    }
    let creditorTotalClaims = 0n;
    let creditorsSegregated = 0n;
    let creditorsCommingled = 0n;
    for (const creditorId of [...creditorClaimOf.keys()].sort(compareText)) {
      const settled = creditorId === TRADING_LOSS_CREDITOR_ID;
      const row: CreditorRecovery = {
        creditorId,
        asset,
        claimMinor: creditorClaimOf.get(creditorId)!,
        segregatedMinor:
          (settled ? lossPaidSegregated : 0n) + payoutOf(houseEstate, CREDITOR_PREFIX + creditorId),
        commingledMinor:
          (settled ? lossPaidCommingled : 0n) + payoutOf(commingled, CREDITOR_PREFIX + creditorId),
      };
      creditors.push(row);
      creditorTotalClaims += row.claimMinor;
      creditorsSegregated += row.segregatedMinor;
      creditorsCommingled += row.commingledMinor;
    }
    // Nothing is created or destroyed: every unit held after the vault losses is paid to someone or left
    // to the house's owners, in both columns.
    assert(
      customersSegregated + creditorsSegregated + houseEstate.surplusMinor === customerHeld + houseHeld,
      'the segregated column distributes exactly what is held',
    );
    assert(
      customersCommingled + creditorsCommingled + commingled.surplusMinor === pot,
      'the commingled column distributes exactly what is held',
    );
    totals.push({
      asset,
      customerPropertyMinor: customerHeld,
      housePropertyMinor: houseHeld,
      tradingLossMinor: loss,
      customerClaimsMinor: customerClaims,
      customersSegregatedMinor: customersSegregated,
      customersCommingledMinor: customersCommingled,
      creditorClaimsMinor: creditorTotalClaims,
      creditorsSegregatedMinor: creditorsSegregated,
      creditorsCommingledMinor: creditorsCommingled,
      houseResidualSegregatedMinor: houseEstate.surplusMinor,
      houseResidualCommingledMinor: commingled.surplusMinor,
    });
  }
  customers.sort((a, b) => compareText(a.customerId, b.customerId) || compareText(a.asset, b.asset));
  creditors.sort((a, b) => compareText(a.creditorId, b.creditorId) || compareText(a.asset, b.asset));
  return { scenario, customers, creditors, assets: totals, resolution };
}

/** House creditors' claims on an estate; the trading counterparty claims only what was not settled. */
function creditorClaims(claimOf: ReadonlyMap<string, bigint>, lossSettledMinor: bigint): EstateClaim[] {
  const claims: EstateClaim[] = [];
  for (const [creditorId, claim] of claimOf) {
    const open = creditorId === TRADING_LOSS_CREDITOR_ID ? claim - lossSettledMinor : claim;
    if (open > 0n) claims.push({ claimantId: CREDITOR_PREFIX + creditorId, claimMinor: open });
  }
  return claims;
}

/** The payout of one claimant, zero when it has no claim on the estate. */
function payoutOf(distribution: EstateDistribution, claimantId: string): bigint {
  // Payouts are sorted by claimant id: a binary search keeps large books linear-logarithmic.
  const payouts = distribution.payouts;
  let low = 0;
  let high = payouts.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const order = compareText(payouts[middle]!.claimantId, claimantId);
    if (order === 0) return payouts[middle]!.payoutMinor;
    if (order < 0) low = middle + 1;
    else high = middle - 1;
  }
  return 0n;
}

function holdingKey(vaultId: string, asset: string): string {
  return `${vaultId}\u0000${asset}`;
}
