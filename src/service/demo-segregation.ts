// The demo's segregation day: the board's targeted residual interest per segment, one seeded break (a
// customer deposit the ledger credited for a transaction that never reached the vault, so the books say the
// vault holds more than the chain does), a reconciliation against the local chain that finds it and issues
// the top-up instruction, and today's statement computed, finalised and printed for the compliance officer.

import type { ChainAdapter } from '../chain/chain-adapter.ts';
import { assert } from '../core/assert.ts';
import { divFloor } from '../core/money/amount.ts';
import type { TopUpInstruction } from '../core/segregation/reconcile.ts';
import type { SealedStatement } from '../core/segregation/sealed-statement.ts';
import { statementHtml } from '../core/segregation/statement-report.ts';
import { DEMO_FEATURED_CUSTOMER_ID, demoAccountIds, demoTransferId, demoVaultIds } from './demo-book.ts';
import type { LedgerService } from './ledger-service.ts';
import type { ReconciliationRecord } from './segregation/segregation-events.ts';
import type { SegregationService } from './segregation/segregation-service.ts';

/** The firm name printed on the demo's statements. */
export const DEMO_FIRM_NAME = 'Ringfence Demo Venue Ltd';

/** Who the demo's segregation actions are recorded as. */
export const DEMO_SEGREGATION_ACTOR = 'demo-compliance';

/** The unconfirmed deposit the demo books: 1,500 USDC credited, never received in the vault. */
export const DEMO_PHANTOM_DEPOSIT_MINOR = 1_500_000_000n;

export interface DemoSegregationReport {
  readonly reconciliation: ReconciliationRecord;
  readonly topUps: readonly TopUpInstruction[];
  readonly statement: SealedStatement;
  /** The printable statement (HTML). */
  readonly statementHtml: string;
}

/** Runs the demo's segregation day on a seeded, funded on-chain demo book. */
export async function runDemoSegregation(
  ledger: LedgerService,
  segregation: SegregationService,
  chain: ChainAdapter,
  seed: number,
): Promise<DemoSegregationReport> {
  // The board sets each segment's target at half of today's residual interest (rounded down).
  for (const segment of await segregation.proForma()) {
    if (segment.excessMinor <= 0n) continue;
    const set = await segregation.setTarget({
      asset: segment.asset,
      accountClass: segment.accountClass,
      amountMinor: divFloor(segment.excessMinor, 2n),
      approvalReference: 'demo board resolution RI-2026-01',
      by: DEMO_SEGREGATION_ACTOR,
    });
    assert(set.ok, 'the demo targets are valid');
  }
  // The seeded break: a deposit credited on a transaction that never confirmed.
  const [booked] = await ledger.submit([
    {
      type: 'transfer',
      id: demoTransferId(seed, 'unconfirmed-deposit'),
      kind: 'deposit',
      reference: 'deposit tx 0xdead…beef (never confirmed)',
      instructedBy: null,
      legs: [
        {
          debit: demoAccountIds.segregated('derivatives', 'USDC'),
          credit: demoAccountIds.customer(DEMO_FEATURED_CUSTOMER_ID, 'derivatives', 'USDC'),
          asset: 'USDC',
          amountMinor: DEMO_PHANTOM_DEPOSIT_MINOR,
        },
      ],
      holdExpiresAtMs: null,
    },
  ]);
  assert(booked?.ok === true, 'the demo books the unconfirmed deposit');
  const reconciled = await segregation.reconcileChain(chain, DEMO_SEGREGATION_ACTOR);
  assert(reconciled.ok, 'the demo reconciles against its chain');
  const reconciliation = reconciled.value;
  assert(
    reconciliation.external.breaks.length === 1 &&
      reconciliation.external.breaks[0]?.vaultId === demoVaultIds.customer('derivatives'),
    'the chain shows exactly the seeded break',
  );
  const computed = await segregation.compute({ by: DEMO_SEGREGATION_ACTOR });
  assert(computed.ok, 'the demo computes today’s statement');
  const finalised = await segregation.finalise(computed.value.id, DEMO_SEGREGATION_ACTOR);
  assert(finalised.ok, 'the demo finalises today’s statement');
  const statement = finalised.value;
  const scales = await ledger.read((engine) => new Map(engine.listAssets().map((a) => [a.code, a.scale])));
  return {
    reconciliation,
    topUps: segregation.topUps(),
    statement,
    statementHtml: statementHtml(statement, (asset) => scales.get(asset) ?? 0, {
      firmName: DEMO_FIRM_NAME,
      generatedAtMs: statement.finalisedAtMs,
    }),
  };
}
