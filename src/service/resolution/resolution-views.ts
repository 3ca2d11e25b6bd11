// The resolution module's records as the API and the CLI show them: the freeze's status, the distribution per
// estate, and a contagion report. Amounts leave as decimal strings at each asset's scale; instants as ISO-8601.

import { divFloor } from '../../core/money/amount.ts';
import type { ContagionReport } from '../../core/resolution/contagion.ts';
import { formatInstantIso } from '../../core/segregation/statement-report.ts';
import { formatMinor, type PackEstate, packEstate } from './resolution-pack.ts';
import type { ComputedResolution, ResolutionStatusView, SimulationResult } from './resolution-service.ts';

/** The freeze as the API shows it. */
export interface ResolutionStatusJson {
  readonly status: ResolutionStatusView['status'];
  readonly freeze: {
    readonly requestId: string;
    readonly reason: string;
    readonly requestedBy: string;
    readonly requestedAt: string;
    readonly approvedBy: string | null;
    readonly approvedAt: string | null;
    readonly pinned: {
      readonly seq: number;
      readonly headHash: string;
      readonly batchTimestamp: string | null;
      readonly frozenAt: string;
      readonly shortfalls: readonly {
        readonly asset: string;
        readonly accountClass: string;
        readonly amount: string;
      }[];
      readonly marks: number;
    } | null;
  } | null;
  readonly recoveries: number;
}

/** The status view; `scaleOf` gives each asset's decimals. */
export function resolutionStatusJson(
  view: ResolutionStatusView,
  scaleOf: (asset: string) => number,
): ResolutionStatusJson {
  const freeze = view.freeze;
  const approval = freeze?.approval ?? null;
  return {
    status: view.status,
    freeze:
      freeze === null
        ? null
        : {
            requestId: freeze.requestId,
            reason: freeze.reason,
            requestedBy: freeze.requestedBy,
            requestedAt: formatInstantIso(freeze.requestedAtMs),
            approvedBy: approval?.approvedBy ?? null,
            approvedAt: approval === null ? null : formatInstantIso(approval.approvedAtMs),
            pinned:
              approval === null
                ? null
                : {
                    seq: approval.pin.seq,
                    headHash: approval.pin.headHash,
                    batchTimestamp:
                      approval.pin.seq === 0 ? null : formatInstantIso(approval.pin.batchTimestampMs),
                    frozenAt: formatInstantIso(approval.pin.frozenAtMs),
                    shortfalls: approval.pin.shortfalls.map((entry) => ({
                      asset: entry.asset,
                      accountClass: entry.accountClass,
                      amount: formatMinor(entry.amountMinor, scaleOf(entry.asset)),
                    })),
                    marks: approval.pin.marks.length,
                  },
          },
    recoveries: view.recoveries.length,
  };
}

/** Every estate's distribution and the unsecured claims per asset. */
export interface DistributionJson {
  readonly simulated: boolean;
  readonly pinnedSeq: number;
  readonly estates: readonly PackEstate[];
  readonly unsecuredTotals: readonly {
    readonly asset: string;
    readonly amount: string;
    readonly claimants: number;
  }[];
}

/** The distribution view of a computed resolution. */
export function distributionJson(computed: ComputedResolution): DistributionJson {
  const scales = new Map(computed.assets.map((asset) => [asset.code, asset.scale]));
  const totals = new Map<string, { amountMinor: bigint; claimants: number }>();
  for (const claim of computed.resolution.unsecuredClaims) {
    const total = totals.get(claim.asset) ?? { amountMinor: 0n, claimants: 0 };
    total.amountMinor += claim.amountMinor;
    total.claimants += 1;
    totals.set(claim.asset, total);
  }
  return {
    simulated: computed.simulated,
    pinnedSeq: computed.journal.seq,
    estates: computed.resolution.estates.map((estate) => packEstate(estate, scales.get(estate.asset)!)),
    unsecuredTotals: [...totals.entries()].map(([asset, total]) => ({
      asset,
      amount: formatMinor(total.amountMinor, scales.get(asset)!),
      claimants: total.claimants,
    })),
  };
}

/** The claim, both recoveries with their percentages (rounded down) and the difference. */
interface RecoveryColumns {
  readonly claim: string;
  readonly segregated: string;
  readonly segregatedPercent: string;
  readonly commingled: string;
  readonly commingledPercent: string;
  readonly difference: string;
}

/** A contagion report as JSON. */
export interface ContagionReportJson {
  readonly scenario: string;
  readonly journalSeq: number;
  readonly customers: readonly ({
    readonly customerId: string;
    readonly asset: string;
    readonly segregatedFromEstates: string;
    readonly segregatedFromHouseEstate: string;
  } & RecoveryColumns)[];
  readonly creditors: readonly ({ readonly creditorId: string; readonly asset: string } & RecoveryColumns)[];
  readonly assets: readonly {
    readonly asset: string;
    readonly customerProperty: string;
    readonly houseProperty: string;
    readonly tradingLoss: string;
    readonly customerClaims: string;
    readonly customersSegregated: string;
    readonly customersCommingled: string;
    readonly creditorClaims: string;
    readonly creditorsSegregated: string;
    readonly creditorsCommingled: string;
    readonly houseResidualSegregated: string;
    readonly houseResidualCommingled: string;
  }[];
}

/** The report's rows and totals with decimal amounts. */
export function contagionReportJson(result: SimulationResult): ContagionReportJson {
  const { report } = result;
  const amount = (minor: bigint, asset: string): string => formatMinor(minor, result.scales.get(asset)!);
  const columns = (
    asset: string,
    claim: bigint,
    segregated: bigint,
    commingled: bigint,
  ): RecoveryColumns => ({
    claim: amount(claim, asset),
    segregated: amount(segregated, asset),
    segregatedPercent: percentOf(segregated, claim),
    commingled: amount(commingled, asset),
    commingledPercent: percentOf(commingled, claim),
    difference: amount(commingled - segregated, asset),
  });
  return {
    scenario: report.scenario,
    journalSeq: result.journalSeq,
    customers: report.customers.map((row) => ({
      customerId: row.customerId,
      asset: row.asset,
      segregatedFromEstates: amount(row.segregatedFromEstatesMinor, row.asset),
      segregatedFromHouseEstate: amount(row.segregatedFromHouseEstateMinor, row.asset),
      ...columns(row.asset, row.claimMinor, row.segregatedMinor, row.commingledMinor),
    })),
    creditors: report.creditors.map((row) => ({
      creditorId: row.creditorId,
      asset: row.asset,
      ...columns(row.asset, row.claimMinor, row.segregatedMinor, row.commingledMinor),
    })),
    assets: report.assets.map((totals) => ({
      asset: totals.asset,
      customerProperty: amount(totals.customerPropertyMinor, totals.asset),
      houseProperty: amount(totals.housePropertyMinor, totals.asset),
      tradingLoss: amount(totals.tradingLossMinor, totals.asset),
      customerClaims: amount(totals.customerClaimsMinor, totals.asset),
      customersSegregated: amount(totals.customersSegregatedMinor, totals.asset),
      customersCommingled: amount(totals.customersCommingledMinor, totals.asset),
      creditorClaims: amount(totals.creditorClaimsMinor, totals.asset),
      creditorsSegregated: amount(totals.creditorsSegregatedMinor, totals.asset),
      creditorsCommingled: amount(totals.creditorsCommingledMinor, totals.asset),
      houseResidualSegregated: amount(totals.houseResidualSegregatedMinor, totals.asset),
      houseResidualCommingled: amount(totals.houseResidualCommingledMinor, totals.asset),
    })),
  };
}

/** Customers' totals per asset, as the demo and the CLI summarise a report. */
export function contagionTotals(report: ContagionReport): {
  readonly asset: string;
  readonly claimMinor: bigint;
  readonly segregatedMinor: bigint;
  readonly commingledMinor: bigint;
}[] {
  return report.assets.map((totals) => ({
    asset: totals.asset,
    claimMinor: totals.customerClaimsMinor,
    segregatedMinor: totals.customersSegregatedMinor,
    commingledMinor: totals.customersCommingledMinor,
  }));
}

/** part / whole as a percentage rounded down to two decimals; "100.00" when nothing is claimed. */
export function percentOf(part: bigint, whole: bigint): string {
  if (whole === 0n) return '100.00';
  const basisPoints = divFloor(part * 10_000n, whole);
  return `${basisPoints / 100n}.${(basisPoints % 100n).toString().padStart(2, '0')}`;
}
