// The contagion report as a plain-text table for terminals and resolution packs: per asset, each customer's
// claim and recovery under segregated and commingled books, the customers' total, then the house creditors.
// Pure string formatting; amounts go through formatAmount (padded to the asset's decimals for alignment),
// percentages are rounded down.

import { assert } from '../assert.ts';
import { divFloor, formatAmount } from '../money/amount.ts';
import type { ContagionReport } from './contagion.ts';

const HEADER = ['party', 'asset', 'claim', 'segregated', '%', 'commingled', '%', 'difference'] as const;
/** Columns aligned right: the amounts and percentages. */
const NUMERIC_FROM = 2;

/** Renders the report; `scales` gives the decimals of each asset (every asset in the report needs one). */
export function renderContagionTable(report: ContagionReport, scales: ReadonlyMap<string, number>): string {
  const rows: string[][] = [];
  for (const totals of report.assets) {
    const scale = scales.get(totals.asset);
    assert(scale !== undefined, `the scale of ${totals.asset} is known`);
    const amount = (minor: bigint) => padDecimals(formatAmount(minor, scale), scale);
    const row = (party: string, claim: bigint, segregated: bigint, commingled: bigint): string[] => [
      party,
      totals.asset,
      amount(claim),
      amount(segregated),
      percentOf(segregated, claim),
      amount(commingled),
      percentOf(commingled, claim),
      amount(commingled - segregated),
    ];
    for (const customer of report.customers) {
      if (customer.asset !== totals.asset) continue;
      rows.push(
        row(customer.customerId, customer.claimMinor, customer.segregatedMinor, customer.commingledMinor),
      );
    }
    rows.push(
      row(
        'all customers',
        totals.customerClaimsMinor,
        totals.customersSegregatedMinor,
        totals.customersCommingledMinor,
      ),
    );
    for (const creditor of report.creditors) {
      if (creditor.asset !== totals.asset) continue;
      rows.push(
        row(
          `creditor ${creditor.creditorId}`,
          creditor.claimMinor,
          creditor.segregatedMinor,
          creditor.commingledMinor,
        ),
      );
    }
    if (totals.creditorClaimsMinor > 0n) {
      rows.push(
        row(
          'all house creditors',
          totals.creditorClaimsMinor,
          totals.creditorsSegregatedMinor,
          totals.creditorsCommingledMinor,
        ),
      );
    }
  }
  const widths = HEADER.map((title, column) =>
    Math.max(title.length, ...rows.map((cells) => cells[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column >= NUMERIC_FROM ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  const footer = 'difference = commingled − segregated; % = recovery / claim, rounded down';
  return `${[`scenario: ${report.scenario}`, line(HEADER), rule, ...rows.map(line), footer].join('\n')}\n`;
}

/** recovered / claim as a percentage with two decimals, rounded down; "-" when there is no claim. */
export function percentOf(recoveredMinor: bigint, claimMinor: bigint): string {
  if (claimMinor <= 0n) return '-';
  const basisPoints = divFloor(recoveredMinor * 10_000n, claimMinor);
  return `${(basisPoints / 100n).toString()}.${(basisPoints % 100n).toString().padStart(2, '0')}%`;
}

/** Pads a formatted amount's fraction with zeros to `scale` digits ("600" → "600.00" at scale 2). */
function padDecimals(formatted: string, scale: number): string {
  if (scale === 0) return formatted;
  const point = formatted.indexOf('.');
  return point < 0 ? `${formatted}.${'0'.repeat(scale)}` : formatted.padEnd(point + 1 + scale, '0');
}
