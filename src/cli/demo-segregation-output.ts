// How `ringfence demo` shows its segregation day: today's sealed statement per segment, the reconciliation
// against the chain with its seeded break and top-up instruction, where the printable statement is, and
// what to try next (including a residual-interest withdrawal the 25% rule sends to the two officers).

import { divFloor, formatAmount } from '../core/money/amount.ts';
import type { SegmentLines } from '../core/segregation/statement.ts';
import { DEMO_ASSETS, demoAccountIds } from '../service/demo-book.ts';
import type { DemoSegregationReport } from '../service/demo-segregation.ts';
import { renderFields, renderTable } from './output.ts';

const SCALES: ReadonlyMap<string, number> = new Map(DEMO_ASSETS.map((asset) => [asset.code, asset.scale]));

function amount(asset: string, minor: bigint): string {
  return formatAmount(minor, SCALES.get(asset) ?? 0);
}

/** The keys the segregation lines use. */
export interface DemoSegregationKeys {
  readonly operator: string;
  readonly auditor: string;
  readonly officers: readonly [string, string];
}

/** The segregation section of the walkthrough. */
export function renderDemoSegregation(
  day: DemoSegregationReport,
  statementOut: string,
  url: string,
  keys: DemoSegregationKeys,
): string {
  const { statement, reconciliation, topUps } = day;
  const [found] = reconciliation.external.breaks;
  const fields: [string, string][] = [
    [
      'statement',
      `${statement.id} (${statement.businessDate}) finalised and sealed: ${statement.hash.slice(0, 16)}…, cut-off journal seq ${statement.cutoff.seq}`,
    ],
    ['printable', `${statementOut} (what the compliance officer signs)`],
    [
      'reconciliation',
      `${reconciliation.id} against ${reconciliation.external.sourceReference.slice(0, 40)}…: ${reconciliation.external.lines.length} vault balances, ${reconciliation.external.breaks.length} break`,
    ],
  ];
  if (found !== undefined) {
    fields.push([
      'seeded break',
      `${found.vaultId} ${found.asset}: the chain holds ${amount(found.asset, found.amountMinor)} less than the books (a deposit credited for a transaction that never confirmed)`,
    ]);
  }
  for (const topUp of topUps) {
    fields.push([
      'top-up',
      `house -> ${topUp.vaultId} ${amount(topUp.asset, topUp.amountMinor)} ${topUp.asset}, due by close of business`,
    ]);
  }
  const table = renderTable(statement.segments, [
    { header: 'ASSET', cell: (s: SegmentLines) => s.asset },
    { header: 'CLASS', cell: (s) => s.accountClass },
    { header: 'REQUIREMENT', cell: (s) => amount(s.asset, s.requirementMinor), align: 'amount' },
    { header: 'FUNDS HELD', cell: (s) => amount(s.asset, s.fundsHeldMinor), align: 'amount' },
    { header: 'SHORTFALL', cell: (s) => amount(s.asset, s.unresolvedShortfallMinor), align: 'amount' },
    { header: 'EXCESS', cell: (s) => amount(s.asset, s.excessMinor), align: 'amount' },
    { header: 'TARGET', cell: (s) => amount(s.asset, s.targetResidualInterestMinor), align: 'amount' },
    { header: 'STATUS', cell: (s) => s.status },
  ]);
  const auth = (key: string) => `-H 'Authorization: Bearer ${key}'`;
  const withdrawal = exampleWithdrawal(statement.segments);
  const withdrawalLines =
    withdrawal === null
      ? ''
      : `  # residual interest leaves segregation only through the gate; ${withdrawal.amount} USDC is over 25% of
  # the spot segment's residual interest, so it waits for two officers (then a regulator notice is issued)
  curl -s -X POST ${auth(keys.operator)} -H 'content-type: application/json' -d '${JSON.stringify(withdrawal)}' ${url}/v1/segregation/residual-interest/withdrawals
  curl -s -X POST ${auth(keys.officers[0])} ${url}/v1/segregation/residual-interest/withdrawals/<id>/approvals
  curl -s -X POST ${auth(keys.officers[1])} ${url}/v1/segregation/residual-interest/withdrawals/<id>/approvals
  curl -s ${auth(keys.auditor)} ${url}/v1/segregation/notices
`;
  return `
Segregation day (per asset and account class, never netted across either):
${renderFields(fields, '  ')}${indent(table)}
Segregation with curl:
  curl -s ${auth(keys.auditor)} ${url}/v1/segregation/statements
  curl -s ${auth(keys.auditor)} '${url}/v1/segregation/statements/${statement.id}?format=html' > statement.html
  curl -s ${auth(keys.auditor)} '${url}/v1/segregation/statements/${statement.id}?format=csv'
  curl -s -X POST ${auth(keys.operator)} ${url}/v1/segregation/reconciliations/chain
  curl -s ${auth(keys.auditor)} ${url}/v1/segregation/top-ups
  curl -s -N ${auth(keys.auditor)} ${url}/v1/segregation/alerts/stream
${withdrawalLines}  npx ringfence segregation list
  npx ringfence segregation show ${statement.id} --verify
  npx ringfence segregation breaks
`;
}

/** The segregation section as JSON. */
export function demoSegregationJson(day: DemoSegregationReport, statementOut: string): unknown {
  return {
    statementId: day.statement.id,
    businessDate: day.statement.businessDate,
    hash: day.statement.hash,
    cutoffSeq: day.statement.cutoff.seq,
    statementHtml: statementOut,
    reconciliationId: day.reconciliation.id,
    breaks: day.reconciliation.external.breaks.map((b) => ({
      id: b.id,
      vaultId: b.vaultId,
      asset: b.asset,
      direction: b.direction,
      amount: amount(b.asset, b.amountMinor),
    })),
    topUps: day.topUps.map((t) => ({
      id: t.id,
      vaultId: t.vaultId,
      asset: t.asset,
      amount: amount(t.asset, t.amountMinor),
    })),
    segments: day.statement.segments.map((s) => ({
      asset: s.asset,
      accountClass: s.accountClass,
      requirement: amount(s.asset, s.requirementMinor),
      excess: amount(s.asset, s.excessMinor),
      status: s.status,
    })),
  };
}

// 30% of the USDC spot segment's excess (floor): over the 25% threshold, above the 50% target.
function exampleWithdrawal(segments: readonly SegmentLines[]): Record<string, string> | null {
  const spot = segments.find((s) => s.asset === 'USDC' && s.accountClass === 'spot');
  if (spot === undefined || spot.excessMinor <= 0n) return null;
  return {
    asset: 'USDC',
    accountClass: 'spot',
    amount: amount('USDC', divFloor(spot.excessMinor * 30n, 100n)),
    residualInterestAccountId: demoAccountIds.residual('spot', 'USDC'),
    houseEquityAccountId: demoAccountIds.houseEquity('USDC'),
    segregatedCustodyAccountId: demoAccountIds.segregated('spot', 'USDC'),
    houseCustodyAccountId: demoAccountIds.houseCustody('USDC'),
    reason: 'fund the house hedging account',
    recipient: 'house treasury',
  };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.length === 0 ? line : `  ${line}`))
    .join('\n');
}
