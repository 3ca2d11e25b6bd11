// The resolution pack (format ringfence-resolution-pack-v1, docs/resolution.md): what an administrator hands
// regulators within 48 hours, as one document. The header holds the freeze and the pinned journal position with
// the journal's verification, every estate's distribution, the unsecured claims per asset, the recoveries, the
// vault register with its acknowledgments, the latest finalised segregation statement and reconciliations, and
// custody's signers and policies; `customers` holds every customer's statement (the claims register, line by
// line). Amounts are decimal strings at each asset's scale. The JSON, CSV and HTML writers read this document,
// so a pack parsed back from JSON renders the same CSV and report.

import type { Signer } from '../../core/custody/parties.ts';
import type { Policy } from '../../core/custody/policy.ts';
import type { Vault } from '../../core/custody/vault.ts';
import { formatAmount } from '../../core/money/amount.ts';
import type { Ratio } from '../../core/resolution/distribution.ts';
import type { EstateResolution } from '../../core/resolution/resolution.ts';
import { formatInstantIso } from '../../core/segregation/statement-report.ts';
import type { VerifyReport } from '../ledger-service.ts';
import type { ReconciliationView, StatementView } from '../segregation/segregation-views.ts';
import {
  type CustomerEstateLine,
  type CustomerStatement,
  countStatements,
  customerStatementsWith,
  type LineKind,
} from './customer-statements.ts';
import type { ComputedResolution } from './resolution-service.ts';
import type { FreezeRecord } from './resolution-state.ts';

/** The format tag of every pack. */
export const RESOLUTION_PACK_FORMAT = 'ringfence-resolution-pack-v1';

/** One estate's distribution. */
export interface PackEstate {
  readonly asset: string;
  readonly accountClass: string;
  /** Segregated custody held for the estate (residual interest included), net of unresolved shortfalls. */
  readonly held: string;
  readonly recovered: string;
  readonly property: string;
  readonly totalClaims: string;
  readonly distributed: string;
  readonly shortfall: string;
  readonly surplus: string;
  /** min(1, property / claims) as "numerator/denominator" in lowest terms. */
  readonly ratio: string;
  /** The ratio as a percentage rounded down to two decimals ("81.81"). */
  readonly paidPercent: string;
  readonly claimants: number;
  readonly debtors: number;
  readonly debts: string;
  readonly debtsOutstanding: string;
}

/** One line of a customer's statement: the customer's position in one estate. */
export interface PackCustomerLine {
  readonly asset: string;
  readonly accountClass: string;
  readonly netEquity: string;
  readonly claim: string;
  readonly payout: string;
  readonly unpaid: string;
  readonly debt: string;
  readonly recovered: string;
  readonly outstanding: string;
}

/** A customer's statement in the pack. */
export interface PackCustomer {
  readonly customerId: string;
  readonly estates: readonly PackCustomerLine[];
  /** Unpaid parts per asset, summed over classes: the customer's unsecured claims against the house estate. */
  readonly unsecured: readonly { readonly asset: string; readonly amount: string }[];
}

/** Everything in the pack but the customers' statements. */
export interface PackHeader {
  readonly format: typeof RESOLUTION_PACK_FORMAT;
  readonly firm: string;
  readonly generatedAt: string;
  readonly generatedAtMs: number;
  /** True for a dry run at the journal head without a freeze (the books kept moving after it). */
  readonly simulated: boolean;
  readonly freeze: {
    readonly requestId: string;
    readonly reason: string;
    readonly requestedBy: string;
    readonly requestedAt: string;
    readonly approvedBy: string;
    readonly approvedAt: string;
  } | null;
  /** The journal position the resolution was computed at (the freeze's pin, or the head of a dry run). */
  readonly pinned: {
    readonly seq: number;
    readonly headHash: string;
    readonly batchTimestamp: string | null;
    readonly computedAt: string;
  };
  /** The whole journal re-verified (hash chain, replay, stored balances, invariants); null when not run. */
  readonly journal: {
    readonly verified: boolean;
    readonly headSeq: number;
    readonly headHash: string;
    readonly batches: number;
    readonly entries: number;
    readonly firstMismatch: string | null;
    readonly accountMismatches: number;
    readonly invariantViolations: number;
  } | null;
  readonly assets: readonly { readonly code: string; readonly scale: number }[];
  readonly summary: {
    readonly customers: number;
    readonly claimLines: number;
    readonly estates: number;
    readonly estatesShort: number;
    readonly marks: number;
  };
  readonly estates: readonly PackEstate[];
  readonly unsecuredTotals: readonly {
    readonly asset: string;
    readonly amount: string;
    readonly claimants: number;
  }[];
  /** Unresolved unfavourable breaks deducted from the estates' property. */
  readonly shortfalls: readonly {
    readonly asset: string;
    readonly accountClass: string;
    readonly amount: string;
  }[];
  readonly recoveries: readonly {
    readonly customerId: string;
    readonly asset: string;
    readonly accountClass: string;
    readonly amount: string;
    readonly reference: string;
    readonly recordedBy: string;
    readonly recordedAt: string;
  }[];
  readonly vaults: readonly PackVault[];
  readonly segregation: {
    readonly latestStatement: StatementView | null;
    readonly reconciliations: readonly ReconciliationView[];
  } | null;
  readonly custody: {
    readonly platformPartyId: string | null;
    readonly signers: readonly Signer[];
    readonly policies: readonly { readonly vaultId: string; readonly policy: unknown }[];
  } | null;
}

/** A registered vault with its custodian's acknowledgment (or none). */
export interface PackVault {
  readonly id: string;
  readonly kind: string;
  readonly chainId: number;
  readonly address: string;
  readonly accountClass: string | null;
  readonly customerId: string | null;
  readonly custodian: string;
  readonly temperature: string;
  readonly assets: readonly string[];
  readonly acknowledgedAt: string | null;
  readonly acknowledgmentReference: string | null;
}

/** The pack: its header and every customer's statement, produced in customer id order when iterated. */
export interface ResolutionPackDocument extends PackHeader {
  readonly customers: Iterable<PackCustomer>;
}

/** What the service gathers for a pack besides the resolution. */
export interface PackContext {
  readonly firmName: string;
  readonly generatedAtMs: number;
  readonly computed: ComputedResolution;
  readonly freeze: FreezeRecord | null;
  readonly verification: VerifyReport | null;
  readonly vaults: readonly Vault[];
  readonly segregation: PackHeader['segregation'];
  readonly custody: {
    readonly platformPartyId: string | null;
    readonly signers: readonly Signer[];
    readonly policies: readonly { readonly vaultId: string; readonly policy: Policy }[];
  } | null;
}

/** Assembles the pack document; customers are formatted as the document is iterated. */
export function assemblePack(context: PackContext): ResolutionPackDocument {
  const { computed } = context;
  const scales = new Map(computed.assets.map((asset) => [asset.code, asset.scale]));
  const scaleOf = (asset: string): number => scales.get(asset)!;
  const amount = (minor: bigint, asset: string): string => formatMinor(minor, scaleOf(asset));
  const { resolution } = computed;
  const counts = countStatements(resolution);
  const unsecured = new Map<string, { amountMinor: bigint; claimants: number }>();
  for (const claim of resolution.unsecuredClaims) {
    const total = unsecured.get(claim.asset) ?? { amountMinor: 0n, claimants: 0 };
    total.amountMinor += claim.amountMinor;
    total.claimants += 1;
    unsecured.set(claim.asset, total);
  }
  const freeze = context.freeze;
  const header: PackHeader = {
    format: RESOLUTION_PACK_FORMAT,
    firm: context.firmName,
    generatedAt: formatInstantIso(context.generatedAtMs),
    generatedAtMs: context.generatedAtMs,
    simulated: computed.simulated,
    freeze:
      freeze?.approval == null
        ? null
        : {
            requestId: freeze.requestId,
            reason: freeze.reason,
            requestedBy: freeze.requestedBy,
            requestedAt: formatInstantIso(freeze.requestedAtMs),
            approvedBy: freeze.approval.approvedBy,
            approvedAt: formatInstantIso(freeze.approval.approvedAtMs),
          },
    pinned: {
      seq: computed.journal.seq,
      headHash: computed.journal.headHash,
      batchTimestamp: computed.journal.seq === 0 ? null : formatInstantIso(computed.journal.batchTimestampMs),
      computedAt: formatInstantIso(computed.computedAtMs),
    },
    journal:
      context.verification === null
        ? null
        : {
            verified: context.verification.ok,
            headSeq: context.verification.headSeq,
            headHash: context.verification.headHash,
            batches: context.verification.batches,
            entries: context.verification.entries,
            firstMismatch: context.verification.firstMismatch?.message ?? null,
            accountMismatches: context.verification.accountMismatches.length,
            invariantViolations: context.verification.invariantViolations.length,
          },
    assets: computed.assets.map((asset) => ({ code: asset.code, scale: asset.scale })),
    summary: {
      customers: counts.customers,
      claimLines: counts.lines,
      estates: resolution.estates.length,
      estatesShort: resolution.estates.filter((estate) => estate.shortfallMinor > 0n).length,
      marks: computed.marks,
    },
    estates: resolution.estates.map((estate) => packEstate(estate, scaleOf(estate.asset))),
    unsecuredTotals: [...unsecured.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([asset, total]) => ({
        asset,
        amount: amount(total.amountMinor, asset),
        claimants: total.claimants,
      })),
    shortfalls: computed.shortfalls.map((entry) => ({
      asset: entry.asset,
      accountClass: entry.accountClass,
      amount: amount(entry.amountMinor, entry.asset),
    })),
    recoveries: computed.recoveries.map((record) => ({
      customerId: record.recovery.customerId,
      asset: record.recovery.asset,
      accountClass: record.recovery.accountClass,
      amount: amount(record.recovery.amountMinor, record.recovery.asset),
      reference: record.reference,
      recordedBy: record.recordedBy,
      recordedAt: formatInstantIso(record.recordedAtMs),
    })),
    vaults: context.vaults.map((vault) => ({
      id: vault.id,
      kind: vault.kind,
      chainId: vault.chainId,
      address: vault.address,
      accountClass: vault.accountClass,
      customerId: vault.customerId,
      custodian: vault.custodian,
      temperature: vault.temperature,
      assets: vault.assets.map((held) => held.asset),
      acknowledgedAt:
        vault.acknowledgment === null ? null : formatInstantIso(vault.acknowledgment.acknowledgedAtMs),
      acknowledgmentReference: vault.acknowledgment?.documentReference ?? null,
    })),
    segregation: context.segregation,
    custody:
      context.custody === null
        ? null
        : {
            platformPartyId: context.custody.platformPartyId,
            signers: context.custody.signers,
            policies: context.custody.policies.map((entry) => ({
              vaultId: entry.vaultId,
              policy: plainJson(entry.policy),
            })),
          },
  };
  return {
    ...header,
    customers: {
      *[Symbol.iterator]() {
        // Each line is formatted straight from the estate it comes from: one object per line.
        const scaleOfEstate = resolution.estates.map((estate) => scaleOf(estate.asset));
        yield* customerStatementsWith(
          resolution,
          (estateIndex, kind, at) =>
            packLineAt(resolution.estates[estateIndex]!, kind, at, scaleOfEstate[estateIndex]!),
          (claim) => ({ asset: claim.asset, amount: formatMinor(claim.amountMinor, scaleOf(claim.asset)) }),
        );
      },
    },
  };
}

/** One estate's distribution with its amounts as decimal strings at the asset's `scale`. */
export function packEstate(estate: EstateResolution, scale: number): PackEstate {
  const amount = (minor: bigint): string => formatMinor(minor, scale);
  let debts = 0n;
  let outstanding = 0n;
  for (const debt of estate.debts) {
    debts += debt.debtMinor;
    outstanding += debt.outstandingMinor;
  }
  return {
    asset: estate.asset,
    accountClass: estate.accountClass,
    held: amount(estate.heldMinor),
    recovered: amount(estate.recoveredMinor),
    property: amount(estate.propertyMinor),
    totalClaims: amount(estate.totalClaimsMinor),
    distributed: amount(estate.distributedMinor),
    shortfall: amount(estate.shortfallMinor),
    surplus: amount(estate.surplusMinor),
    ratio: `${estate.ratio.numerator}/${estate.ratio.denominator}`,
    paidPercent: percentOf(estate.ratio),
    claimants: estate.payouts.length,
    debtors: estate.debts.length,
    debts: amount(debts),
    debtsOutstanding: amount(outstanding),
  };
}

/** A customer's statement with its amounts as decimal strings. */
export function packCustomer(statement: CustomerStatement, scaleOf: (asset: string) => number): PackCustomer {
  return {
    customerId: statement.customerId,
    estates: statement.estates.map((line) => packLine(line, scaleOf(line.asset))),
    unsecured: statement.unsecured.map((claim) => ({
      asset: claim.asset,
      amount: formatMinor(claim.amountMinor, scaleOf(claim.asset)),
    })),
  };
}

/** One statement line with its amounts as decimal strings at `scale`; equal amounts are formatted once. */
function packLine(line: CustomerEstateLine, scale: number): PackCustomerLine {
  const claim = formatMinor(line.claimMinor, scale);
  const zero = '0';
  return {
    asset: line.asset,
    accountClass: line.accountClass,
    netEquity: line.debtMinor === 0n ? claim : formatMinor(line.netEquityMinor, scale),
    claim,
    payout: line.payoutMinor === line.claimMinor ? claim : formatMinor(line.payoutMinor, scale),
    unpaid: formatMinor(line.unpaidMinor, scale),
    debt: line.debtMinor === 0n ? zero : formatMinor(line.debtMinor, scale),
    recovered: formatMinor(line.recoveredMinor, scale),
    outstanding: formatMinor(line.outstandingMinor, scale),
  };
}

/** The statement line of an estate's payout or debt at `at`, formatted straight from it. */
function packLineAt(estate: EstateResolution, kind: LineKind, at: number, scale: number): PackCustomerLine {
  if (kind === 'payout') {
    const payout = estate.payouts[at]!;
    const claim = formatMinor(payout.claimMinor, scale);
    return {
      asset: estate.asset,
      accountClass: estate.accountClass,
      netEquity: claim,
      claim,
      payout: payout.payoutMinor === payout.claimMinor ? claim : formatMinor(payout.payoutMinor, scale),
      unpaid: formatMinor(payout.unpaidMinor, scale),
      debt: '0',
      recovered: '0',
      outstanding: '0',
    };
  }
  const debt = estate.debts[at]!;
  return {
    asset: estate.asset,
    accountClass: estate.accountClass,
    netEquity: formatMinor(-debt.debtMinor, scale),
    claim: '0',
    payout: '0',
    unpaid: '0',
    debt: formatMinor(debt.debtMinor, scale),
    recovered: formatMinor(debt.recoveredMinor, scale),
    outstanding: formatMinor(debt.outstandingMinor, scale),
  };
}

/** A minor amount at `scale` as formatAmount writes it; zero (most debt columns) skips the work. */
export function formatMinor(minor: bigint, scale: number): string {
  return minor === 0n ? '0' : formatAmount(minor, scale);
}

/** A ratio as a percentage rounded down to two decimals. */
export function percentOf(ratio: Ratio): string {
  const basisPoints = (ratio.numerator * 10_000n) / ratio.denominator;
  return `${basisPoints / 100n}.${(basisPoints % 100n).toString().padStart(2, '0')}`;
}

/** A value with bigints as decimal strings, for JSON (a policy's limits). */
function plainJson(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? item.toString() : item)),
  );
}
