// How `ringfence demo` shows its resolution: the house-loss contagion summary per asset (what customers
// recover segregated vs commingled), where the dry-run resolution pack was written, and what to try next.

import { formatAmount } from '../core/money/amount.ts';
import type { DemoResolution } from '../service/demo-resolution.ts';
import { contagionTotals, percentOf } from '../service/resolution/resolution-views.ts';
import { renderFields, renderTable } from './output.ts';

/** Where the demo wrote its resolution pack. */
export interface DemoResolutionFiles {
  readonly directory: string;
  readonly json: string;
  readonly csv: string;
  readonly html: string;
}

/** The resolution section of the walkthrough. */
export function renderDemoResolution(
  demo: DemoResolution,
  files: DemoResolutionFiles,
  url: string,
  keys: { readonly auditor: string; readonly officers: readonly [string, string] },
): string {
  const { report, scales } = demo.simulation;
  const amount = (asset: string, minor: bigint) => formatAmount(minor, scales.get(asset) ?? 0);
  const table = renderTable(contagionTotals(report), [
    { header: 'ASSET', cell: (row) => row.asset },
    { header: 'CUSTOMER CLAIMS', cell: (row) => amount(row.asset, row.claimMinor), align: 'amount' },
    { header: 'SEGREGATED', cell: (row) => amount(row.asset, row.segregatedMinor), align: 'amount' },
    { header: '%', cell: (row) => percentOf(row.segregatedMinor, row.claimMinor), align: 'right' },
    { header: 'COMMINGLED', cell: (row) => amount(row.asset, row.commingledMinor), align: 'amount' },
    { header: '%', cell: (row) => percentOf(row.commingledMinor, row.claimMinor), align: 'right' },
  ]);
  const { summary } = demo.pack;
  return `
Insolvency resolution (a simulation: the demo's ledger is not frozen):
  contagion: the house loses, in every asset, all it holds plus half of what customers hold
${table}${renderFields(
  [
    [
      'pack',
      `${files.directory} (journal seq ${demo.pack.pinned.seq}, ${summary.customers} customers, ${summary.estates} estates, ${summary.estatesShort} short; SIMULATED freeze)`,
    ],
    ['files', `${files.json}, ${files.csv}, ${files.html}`],
  ],
  '  ',
)}Try the resolution:
  npx ringfence resolution simulate --scenario hot-wallet-hack --url ${url} --key ${keys.auditor}
  npx ringfence resolution pack --simulated --out ./data/my-pack --url ${url} --key ${keys.auditor}
  # freezing stops the demo's ledger for good (two officers): every later command answers ledger_frozen
  npx ringfence resolution freeze --reason 'the house has failed' --url ${url} --key ${keys.officers[0]}
`;
}

/** The resolution part of `demo --json`. */
export function demoResolutionJson(
  demo: DemoResolution,
  files: DemoResolutionFiles,
): Record<string, unknown> {
  const { report, scales } = demo.simulation;
  return {
    scenario: report.scenario,
    assets: contagionTotals(report).map((row) => ({
      asset: row.asset,
      customerClaims: formatAmount(row.claimMinor, scales.get(row.asset) ?? 0),
      segregated: formatAmount(row.segregatedMinor, scales.get(row.asset) ?? 0),
      commingled: formatAmount(row.commingledMinor, scales.get(row.asset) ?? 0),
    })),
    pack: {
      simulated: demo.pack.simulated,
      pinnedSeq: demo.pack.pinned.seq,
      summary: demo.pack.summary,
      files,
    },
  };
}
