// Proves the statement's outside views on a statement built by hand (computeSegment, then sealStatement):
// JSON amounts are exact decimal strings at scales 0, 2, 6 and 18 and for negatives, CSV has one row per
// segment per line and quotes per RFC 4180, the HTML document carries every label and amount, escapes what
// it interpolates, fetches and runs nothing, and marks drafts; line differences come out as CSV and JSON.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmount } from '../money/amount.ts';
import type { ClientMoneyLines } from './client-money-lines.ts';
import { diffStatements, STATEMENT_LINES, type StatementBody, sealStatement } from './sealed-statement.ts';
import { computeSegment, type SegmentInput, type SegmentLines } from './statement.ts';
import {
  CLIENT_MONEY_LINES,
  diffCsv,
  diffJson,
  escapeHtml,
  formatInstantIso,
  formatPrintedAmount,
  statementCsv,
  statementHtml,
  statementJson,
} from './statement-report.ts';

const SCALES: ReadonlyMap<string, number> = new Map([
  ['JPY', 0],
  ['USD', 2],
  ['USDC', 6],
  ['ETH', 18],
]);

function scaleOf(asset: string): number {
  const scale = SCALES.get(asset);
  if (scale === undefined) throw new Error(`unknown asset ${asset}`);
  return scale;
}

const T0 = 1_795_996_800_000; // 2026-11-30T00:00:00Z, a Monday.
const HOUR_MS = 3_600_000;

function segment(
  overrides: Partial<SegmentInput> & Pick<SegmentInput, 'asset' | 'accountClass'>,
): SegmentLines {
  return computeSegment({
    customers: [],
    vaults: [],
    residualInterestLedgerMinor: 0n,
    unresolvedShortfallMinor: 0n,
    targetResidualInterestMinor: 0n,
    ...overrides,
  });
}

const SEGMENTS: readonly SegmentLines[] = [
  // JPY (scale 0): compliant, one vault not acknowledged.
  segment({
    asset: 'JPY',
    accountClass: 'futures',
    customers: [
      { customerId: 'c1', ledgerBalanceMinor: 1_000_000n, unrealisedPnlMinor: 0n, requiredMarginMinor: 0n },
      { customerId: 'c2', ledgerBalanceMinor: 250_000n, unrealisedPnlMinor: 0n, requiredMarginMinor: 0n },
    ],
    vaults: [
      { vaultId: 'v-jpy-1', balanceMinor: 1_300_000n, eligible: true, ineligibility: null },
      { vaultId: 'v-jpy-2', balanceMinor: 7n, eligible: false, ineligibility: 'vault_not_acknowledged' },
    ],
    targetResidualInterestMinor: 50_000n,
    residualInterestLedgerMinor: 50_000n,
  }),
  // USD (scale 2): a customer in deficit, so the deficit is added back; below target.
  segment({
    asset: 'USD',
    accountClass: 'futures',
    customers: [
      { customerId: 'c1', ledgerBalanceMinor: 123_456n, unrealisedPnlMinor: 0n, requiredMarginMinor: 0n },
      { customerId: 'c2', ledgerBalanceMinor: -2_501n, unrealisedPnlMinor: 0n, requiredMarginMinor: 0n },
    ],
    vaults: [{ vaultId: 'v-usd-1', balanceMinor: 124_000n, eligible: true, ineligibility: null }],
    targetResidualInterestMinor: 10_000n,
  }),
  // USDC (scale 6): deficient, with a shortfall and an undermargined customer.
  segment({
    asset: 'USDC',
    accountClass: 'swaps',
    customers: [
      {
        customerId: 'c3',
        ledgerBalanceMinor: 1_234_560_000n,
        unrealisedPnlMinor: -1n,
        requiredMarginMinor: 2_000_000_000n,
      },
    ],
    vaults: [{ vaultId: 'v-usdc-1', balanceMinor: 1_000_000_000n, eligible: true, ineligibility: null }],
    unresolvedShortfallMinor: 5_000_000n,
  }),
  // ETH (scale 18): amounts beyond 2^53, negative excess.
  segment({
    asset: 'ETH',
    accountClass: 'spot',
    customers: [
      {
        customerId: 'c4',
        ledgerBalanceMinor: 12_345_678_901_234_567_890_123n,
        unrealisedPnlMinor: 0n,
        requiredMarginMinor: 0n,
      },
    ],
    vaults: [
      {
        vaultId: 'v-eth-1',
        balanceMinor: 12_345_000_000_000_000_000_000n,
        eligible: true,
        ineligibility: null,
      },
    ],
  }),
];

const DRAFT: StatementBody = {
  version: 1,
  id: 'st-2026-11-30-a',
  regime: 'cftc',
  businessDate: '2026-11-30',
  cutoff: { seq: 42, headHash: 'ab'.repeat(32), batchTimestampMs: T0 + 23 * HOUR_MS },
  computedAtMs: T0 + 24 * HOUR_MS + 1_234,
  computedBy: 'key-ops',
  supersedes: null,
  segments: SEGMENTS,
  clientMoney: [],
};

const SEALED = sealStatement(DRAFT, T0 + 30 * HOUR_MS, 'key-cco');

const CLIENT_MONEY: ClientMoneyLines = {
  asset: 'USD',
  accountClass: 'futures',
  approach: 'normal',
  requirementMinor: 123_456n,
  debtorBalancesExcludedMinor: 2_501n,
  marginedTransactionRequirementMinor: 0n,
  resourceMinor: 124_000n,
  prudentSegregationMinor: 0n,
  transferMinor: -544n,
  outcome: 'excess',
  dueAtMs: T0 + 48 * HOUR_MS,
};

const WITH_CLIENT_MONEY: StatementBody = {
  ...DRAFT,
  regime: 'uk_cass',
  clientMoney: [CLIENT_MONEY],
  supersedes: { id: 'st-2026-11-30-0', hash: 'cd'.repeat(32) },
};

const OPTIONS = { firmName: 'Example Futures Ltd', generatedAtMs: T0 + 31 * HOUR_MS };

/** Every key of a JSON value, however deep. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
  }
  return [];
}

/** The rows of CSV text without quoted line breaks (enough for these tests). */
function csvRows(text: string): string[] {
  expect(text.endsWith('\n')).toBe(true);
  expect(text).not.toContain('\r');
  return text.slice(0, -1).split('\n');
}

describe('statementJson', () => {
  it('writes every amount as an exact decimal string at the asset scale, negatives included', () => {
    const json = statementJson(SEALED, scaleOf);
    const [jpy, usd, usdc, eth] = json.segments;
    expect(jpy!.requirement).toBe('1250000');
    expect(jpy!.excess).toBe('50000');
    expect(jpy!.fundsNotEligible).toBe('7');
    expect(jpy!.vaults).toEqual([
      { vaultId: 'v-jpy-1', balance: '1300000', eligible: true, ineligibility: null },
      { vaultId: 'v-jpy-2', balance: '7', eligible: false, ineligibility: 'vault_not_acknowledged' },
    ]);
    expect(usd!.netLedgerBalance).toBe('1209.55');
    expect(usd!.deficitsAddedBack).toBe('25.01');
    expect(usd!.requirement).toBe('1234.56');
    expect(usd!.excess).toBe('5.44');
    expect(usd!.excessOverTarget).toBe('-94.56');
    expect(usd!.status).toBe('below_target');
    expect(usdc!.unrealisedPnl).toBe('-0.000001');
    expect(usdc!.requirement).toBe('1234.559999');
    expect(usdc!.fundsHeldNet).toBe('995');
    expect(usdc!.excess).toBe('-239.559999');
    expect(usdc!.topUpRequired).toBe('1005');
    expect(usdc!.status).toBe('deficient');
    expect(eth!.requirement).toBe('12345.678901234567890123');
    expect(eth!.excess).toBe('-0.678901234567890123');
    // Every line comes out, under its name without the suffix, and no bigint or `Minor` key is left.
    for (const line of json.segments) {
      for (const [field] of STATEMENT_LINES) {
        expect(typeof line[field.slice(0, -5) as keyof typeof line]).toBe('string');
      }
    }
    expect(keysOf(json).filter((key) => key.endsWith('Minor'))).toEqual([]);
    expect(() => JSON.stringify(json)).not.toThrow();
  });

  it('says draft or final, and gives times in ms and ISO', () => {
    const draft = statementJson(DRAFT, scaleOf);
    expect(draft.status).toBe('draft');
    expect(draft.hash).toBeNull();
    expect(draft.finalisedAtMs).toBeNull();
    expect(draft.finalisedAt).toBeNull();
    expect(draft.finalisedBy).toBeNull();
    expect(draft.computedAt).toBe('2026-12-01T00:00:01.234Z');
    expect(draft.cutoff).toEqual({
      seq: 42,
      headHash: 'ab'.repeat(32),
      batchTimestampMs: T0 + 23 * HOUR_MS,
      batchTimestamp: '2026-11-30T23:00:00.000Z',
    });
    const final = statementJson(SEALED, scaleOf);
    expect(final.status).toBe('final');
    expect(final.hash).toBe(SEALED.hash);
    expect(final.finalisedAt).toBe('2026-12-01T06:00:00.000Z');
    expect(final.finalisedBy).toBe('key-cco');
    const empty = statementJson(
      { ...DRAFT, cutoff: { seq: 0, headHash: '00', batchTimestampMs: 0 } },
      scaleOf,
    );
    expect(empty.cutoff.batchTimestamp).toBeNull();
  });

  it('carries client money and the superseded statement', () => {
    const json = statementJson(WITH_CLIENT_MONEY, scaleOf);
    expect(json.regime).toBe('uk_cass');
    expect(json.supersedes).toEqual({ id: 'st-2026-11-30-0', hash: 'cd'.repeat(32) });
    expect(json.clientMoney).toEqual([
      {
        asset: 'USD',
        accountClass: 'futures',
        approach: 'normal',
        requirement: '1234.56',
        debtorBalancesExcluded: '25.01',
        marginedTransactionRequirement: '0',
        resource: '1240',
        prudentSegregation: '0',
        transfer: '-5.44',
        outcome: 'excess',
        dueAtMs: T0 + 48 * HOUR_MS,
        dueAt: '2026-12-02T00:00:00.000Z',
      },
    ]);
  });
});

describe('formatInstantIso', () => {
  it('agrees with the ISO calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_000_000_000_000, max: 253_402_300_799_999 }), (ms) => {
        expect(formatInstantIso(ms)).toBe(new Date(ms).toISOString());
      }),
    );
  });
});

describe('statementCsv', () => {
  it('has a header and one row per segment per line, in statement order', () => {
    const rows = csvRows(statementCsv(SEALED, scaleOf));
    expect(rows[0]).toBe(
      'statement_id,business_date,status,hash,cutoff_seq,asset,account_class,line,label,amount',
    );
    expect(rows).toHaveLength(1 + SEGMENTS.length * STATEMENT_LINES.length);
    expect(rows[1]).toBe(
      `st-2026-11-30-a,2026-11-30,final,${SEALED.hash},42,JPY,futures,net_ledger_balance,Net ledger balance of customers,1250000`,
    );
    // The USD segment's requirement line: a label with a colon, an amount at scale 2.
    expect(rows[1 + STATEMENT_LINES.length + 4]).toBe(
      `st-2026-11-30-a,2026-11-30,final,${SEALED.hash},42,USD,futures,requirement,Requirement: funds required in segregation,1234.56`,
    );
    expect(rows).toContain(
      `st-2026-11-30-a,2026-11-30,final,${SEALED.hash},42,ETH,spot,excess,Excess (deficiency): residual interest,-0.678901234567890123`,
    );
  });

  it('leaves the hash empty for a draft and appends client-money rows', () => {
    const rows = csvRows(statementCsv(WITH_CLIENT_MONEY, scaleOf));
    expect(rows).toHaveLength(1 + SEGMENTS.length * STATEMENT_LINES.length + CLIENT_MONEY_LINES.length);
    expect(rows[1]!.startsWith('st-2026-11-30-a,2026-11-30,draft,,42,')).toBe(true);
    const clientMoney = rows.slice(1 + SEGMENTS.length * STATEMENT_LINES.length);
    expect(clientMoney.map((row) => row.split(',')[7])).toEqual([
      'client_money_requirement',
      'client_money_margined_transaction_requirement',
      'client_money_debtor_balances_excluded',
      'client_money_resource',
      'client_money_prudent_segregation',
      'client_money_transfer',
    ]);
    expect(clientMoney.at(-1)!.endsWith(',-5.44')).toBe(true);
  });

  it('quotes a field holding a comma or a quote and doubles its quotes', () => {
    const odd = { ...DRAFT, id: 'a,b "c"' };
    const rows = csvRows(statementCsv(odd, scaleOf));
    expect(rows[1]!.startsWith('"a,b ""c""",2026-11-30,draft,')).toBe(true);
    // Labels with commas are quoted too.
    expect(rows).toContain(
      '"a,b ""c""",2026-11-30,draft,,42,USD,futures,undermargined,"Undermargined amounts, less debits added back",0',
    );
  });

  it('has only the header without segments', () => {
    expect(statementCsv({ ...DRAFT, segments: [] }, scaleOf)).toBe(
      'statement_id,business_date,status,hash,cutoff_seq,asset,account_class,line,label,amount\n',
    );
  });
});

describe('statementHtml', () => {
  const draftHtml = statementHtml(WITH_CLIENT_MONEY, scaleOf, OPTIONS);
  const finalHtml = statementHtml(SEALED, scaleOf, OPTIONS);

  it('is one complete document with the title, firm, date, cut-off and id', () => {
    for (const html of [draftHtml, finalHtml]) {
      expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
      expect(html.trimEnd().endsWith('</html>')).toBe(true);
      expect(html).toContain('<h1>Statement of segregation requirements and funds in segregation</h1>');
      expect(html).toContain('Example Futures Ltd');
      expect(html).toContain('2026-11-30');
      expect(html).toContain('journal seq 42');
      expect(html).toContain('ab'.repeat(32));
      expect(html).toContain('st-2026-11-30-a');
      expect(html).toContain('@media print');
      expect(html).toContain('size: A4 portrait');
      expect(html).toContain('Basis of preparation');
      expect(html).toContain('CFTC');
      expect(html).toContain('CASS 7.16');
      for (const field of ['Name', 'Title', 'Signature', 'Date']) {
        expect(html).toContain(`<td class="field">${field}</td>`);
      }
      expect(html).toContain('ringfence segregation show st-2026-11-30-a --verify');
    }
  });

  it('shows every line label and every amount, negatives in parentheses', () => {
    for (const line of SEGMENTS) {
      const scale = scaleOf(line.asset);
      for (const [field, label] of STATEMENT_LINES) {
        expect(finalHtml).toContain(`<td>${escapeHtml(label)}</td>`);
        expect(finalHtml).toContain(`<td class="amount">${formatPrintedAmount(line[field], scale)}</td>`);
      }
      for (const vault of line.vaults) {
        expect(finalHtml).toContain(vault.vaultId);
      }
    }
    expect(finalHtml).toContain('<td class="amount">(0.678901234567890123)</td>');
    expect(finalHtml).toContain('<td class="amount">(94.56)</td>');
    expect(finalHtml).not.toContain('-0.678901234567890123');
    expect(finalHtml).toContain('No: no acknowledgment letter from the depository');
  });

  it('states each segment status in words', () => {
    expect(finalHtml).toContain('Status: COMPLIANT.');
    expect(finalHtml).toContain('Status: BELOW TARGET.');
    expect(finalHtml).toContain('Status: DEFICIENT.');
    expect(finalHtml).toContain('fall short of the requirement by 239.559999 USDC');
    expect(finalHtml).toContain('Firm top-up required (line 13): 1005 USDC');
  });

  it('marks drafts only, and shows the seal of a final statement', () => {
    expect(draftHtml).toContain('DRAFT');
    expect(draftHtml).toContain('class="watermark"');
    expect(draftHtml).not.toContain(SEALED.hash);
    expect(finalHtml).not.toContain('DRAFT');
    expect(finalHtml).not.toContain('watermark"');
    expect(finalHtml).toContain(SEALED.hash);
    expect(finalHtml).toContain('Final (sealed)');
    expect(finalHtml).toContain('2026-12-01 06:00:00 UTC by key-cco');
  });

  it('shows client money and the superseded statement when present', () => {
    expect(draftHtml).toContain('Client money calculation');
    for (const [field, label] of CLIENT_MONEY_LINES) {
      expect(draftHtml).toContain(`<td>${escapeHtml(label)}</td>`);
      expect(draftHtml).toContain(`<td class="amount">${formatPrintedAmount(CLIENT_MONEY[field], 2)}</td>`);
    }
    expect(draftHtml).toContain('<td class="amount">(5.44)</td>');
    expect(draftHtml).toContain('Supersedes');
    expect(draftHtml).toContain('cd'.repeat(32));
    expect(finalHtml).not.toContain('Client money calculation');
    expect(finalHtml).not.toContain('Supersedes');
  });

  it('escapes every interpolated string and runs or fetches nothing', () => {
    const hostile = statementHtml({ ...SEALED, computedBy: '"><img src=x onerror=alert(1)>' }, scaleOf, {
      firmName: '<script>alert("x")</script> & Co',
      generatedAtMs: OPTIONS.generatedAtMs,
    });
    expect(hostile).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(hostile).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    for (const html of [hostile, draftHtml, finalHtml]) {
      expect(html.toLowerCase()).not.toContain('<script');
      expect(html.toLowerCase()).not.toContain('<img');
      expect(html).not.toMatch(/https?:/i);
      expect(html).not.toMatch(/<[^>]*\b(src|href)=/i);
    }
  });

  it('says so when there are no segments', () => {
    const html = statementHtml({ ...SEALED, segments: [] }, scaleOf, OPTIONS);
    expect(html).toContain('No customer segments at this cut-off');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('diffCsv and diffJson', () => {
  const later = { ...DRAFT, segments: [SEGMENTS[0]!, SEGMENTS[1]!] };
  const differences = diffStatements(
    { segments: [SEGMENTS[1]!] },
    {
      segments: [
        segment({
          asset: 'USD',
          accountClass: 'futures',
          customers: [
            {
              customerId: 'c1',
              ledgerBalanceMinor: 123_456n,
              unrealisedPnlMinor: 0n,
              requiredMarginMinor: 0n,
            },
          ],
          vaults: [{ vaultId: 'v-usd-1', balanceMinor: 124_000n, eligible: true, ineligibility: null }],
          targetResidualInterestMinor: 10_000n,
        }),
      ],
    },
  );

  it('lists each changed line with its label and exact amounts', () => {
    expect(later.segments).toHaveLength(2);
    expect(diffJson(differences, scaleOf)).toEqual([
      {
        asset: 'USD',
        accountClass: 'futures',
        line: 'netLedgerBalance',
        label: 'Net ledger balance of customers',
        from: '1209.55',
        to: '1234.56',
        change: '25.01',
      },
      {
        asset: 'USD',
        accountClass: 'futures',
        line: 'netEquity',
        label: 'Net equity',
        from: '1209.55',
        to: '1234.56',
        change: '25.01',
      },
      {
        asset: 'USD',
        accountClass: 'futures',
        line: 'deficitsAddedBack',
        label: 'Customer deficits added back',
        from: '25.01',
        to: '0',
        change: '-25.01',
      },
    ]);
    expect(diffCsv(differences, scaleOf)).toBe(
      [
        'asset,account_class,line,label,from,to,change',
        'USD,futures,net_ledger_balance,Net ledger balance of customers,1209.55,1234.56,25.01',
        'USD,futures,net_equity,Net equity,1209.55,1234.56,25.01',
        'USD,futures,deficits_added_back,Customer deficits added back,25.01,0,-25.01',
        '',
      ].join('\n'),
    );
  });

  it('has only the header when nothing changed', () => {
    expect(diffCsv([], scaleOf)).toBe('asset,account_class,line,label,from,to,change\n');
    expect(diffJson([], scaleOf)).toEqual([]);
  });

  it('formats each difference at its own asset scale', () => {
    const eth = diffStatements({ segments: [] }, { segments: [SEGMENTS[3]!] });
    const json = diffJson(eth, scaleOf);
    const excess = json.find((difference) => difference.line === 'excess');
    expect(excess).toEqual({
      asset: 'ETH',
      accountClass: 'spot',
      line: 'excess',
      label: 'Excess (deficiency): residual interest',
      from: '0',
      to: formatAmount(SEGMENTS[3]!.excessMinor, 18),
      change: '-0.678901234567890123',
    });
  });
});
