// A statement document: the segment lines as of a cut-off (a journal position), and its seal. The seal is
// a SHA-256 over the canonical JSON of everything in the statement, including the journal head hash at the
// cut-off, so a sealed statement is tied to exactly one state of the books and any change to it shows.

import { createHash } from 'node:crypto';
import { encodeCanonicalJson } from '../canonical-json.ts';
import type { ClientMoneyLines } from './client-money-lines.ts';
import { compareText, type SegmentLines, segmentKey } from './statement.ts';

/** The journal position a statement is computed at. */
export interface StatementCutoff {
  /** The last journal batch the statement includes (0 = the empty journal). */
  readonly seq: number;
  /** That batch's hash (the genesis hash for seq 0): the statement's link to the journal. */
  readonly headHash: string;
  /** That batch's timestamp (0 for the empty journal). */
  readonly batchTimestampMs: number;
}

/** Which rule book the statement follows: the US futures statement, with the UK client-money calculation. */
export type SegregationRegime = 'cftc' | 'uk_cass';

/** The previous finalised statement a correction replaces. */
export interface StatementReference {
  readonly id: string;
  readonly hash: string;
}

/** Everything a statement says, before it is finalised. */
export interface StatementBody {
  readonly version: 1;
  readonly id: string;
  readonly regime: SegregationRegime;
  /** The business day (YYYY-MM-DD) whose close the statement reports. */
  readonly businessDate: string;
  readonly cutoff: StatementCutoff;
  readonly computedAtMs: number;
  /** Who asked for the computation (an API key id, or `system`). */
  readonly computedBy: string;
  readonly supersedes: StatementReference | null;
  readonly segments: readonly SegmentLines[];
  /** The UK client-money calculation per segment; empty under the CFTC regime. */
  readonly clientMoney: readonly ClientMoneyLines[];
}

/** A finalised statement: sealed, never changed afterwards. */
export interface SealedStatement extends StatementBody {
  readonly finalisedAtMs: number;
  readonly finalisedBy: string;
  /** SHA-256 (hex) of the statement's canonical JSON with everything but this field. */
  readonly hash: string;
}

const SEAL_DOMAIN = 'ringfence-segregation-statement-v1\n';

/** Seals a draft: the result can be verified with `verifySeal`. */
export function sealStatement(
  body: StatementBody,
  finalisedAtMs: number,
  finalisedBy: string,
): SealedStatement {
  const unsealed = { ...body, finalisedAtMs, finalisedBy };
  return { ...unsealed, hash: hashStatement(unsealed) };
}

/** True when the statement's hash matches its content. */
export function verifySeal(statement: SealedStatement): boolean {
  const { hash, ...unsealed } = statement;
  return hashStatement(unsealed) === hash;
}

function hashStatement(unsealed: Omit<SealedStatement, 'hash'>): string {
  return createHash('sha256').update(SEAL_DOMAIN).update(encodeCanonicalJson(unsealed)).digest('hex');
}

/** The numeric lines a statement reports per segment, in statement order, with their labels. */
export const STATEMENT_LINES = [
  ['netLedgerBalanceMinor', 'Net ledger balance of customers'],
  ['unrealisedPnlMinor', 'Unrealised profit or loss on open positions'],
  ['netEquityMinor', 'Net equity'],
  ['deficitsAddedBackMinor', 'Customer deficits added back'],
  ['requirementMinor', 'Requirement: funds required in segregation'],
  ['fundsHeldMinor', 'Funds held in segregation (acknowledged customer vaults)'],
  ['unresolvedShortfallMinor', 'Less unresolved unfavourable reconciliation breaks'],
  ['fundsHeldNetMinor', 'Funds held in segregation, net'],
  ['excessMinor', 'Excess (deficiency): residual interest'],
  ['targetResidualInterestMinor', 'Targeted residual interest'],
  ['excessOverTargetMinor', 'Excess over (under) target'],
  ['undermarginedMinor', 'Undermargined amounts, less debits added back'],
  ['topUpRequiredMinor', 'Firm top-up required'],
  ['fundsNotEligibleMinor', 'Memo: holdings of vaults that do not count'],
  ['residualInterestLedgerMinor', 'Memo: residual interest on the books'],
] as const satisfies readonly (readonly [keyof SegmentLines, string])[];

export type StatementLineField = (typeof STATEMENT_LINES)[number][0];

/** One line that differs between two statements. */
export interface LineDifference {
  readonly asset: string;
  readonly accountClass: string;
  readonly line: StatementLineField;
  readonly fromMinor: bigint;
  readonly toMinor: bigint;
  readonly changeMinor: bigint;
}

/** Every line that differs between `from` and `to`, per segment; a segment missing on one side counts as zeros. */
export function diffStatements(
  from: Pick<StatementBody, 'segments'>,
  to: Pick<StatementBody, 'segments'>,
): LineDifference[] {
  const fromSegments = new Map(from.segments.map((s) => [segmentKey(s.asset, s.accountClass), s]));
  const toSegments = new Map(to.segments.map((s) => [segmentKey(s.asset, s.accountClass), s]));
  const keys = [...new Set([...fromSegments.keys(), ...toSegments.keys()])].sort(compareText);
  const differences: LineDifference[] = [];
  for (const key of keys) {
    const a = fromSegments.get(key);
    const b = toSegments.get(key);
    const segment = (a ?? b)!;
    for (const [line] of STATEMENT_LINES) {
      const fromMinor = a?.[line] ?? 0n;
      const toMinor = b?.[line] ?? 0n;
      if (fromMinor !== toMinor) {
        differences.push({
          asset: segment.asset,
          accountClass: segment.accountClass,
          line,
          fromMinor,
          toMinor,
          changeMinor: toMinor - fromMinor,
        });
      }
    }
  }
  return differences;
}
