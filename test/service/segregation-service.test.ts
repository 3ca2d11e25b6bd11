// The segregation service end to end on both stores, with worked examples checked to the minor unit.
//
// The book (USDC, scale 6, account class "derivatives"), built on Friday 2026-11-27:
//   alice deposits 1,000.00 and bob 300.00            -> net ledger 1,300.00 = requirement
//   the house puts 200.00 of residual interest in      -> funds held in vault:derivatives 1,500.00
//   target residual interest 100.00                    -> excess 200.00, over target 100.00
// On Monday 2026-11-30 bob deposits 50.00 more (after Friday's cut-off).

import { describe, expect, it } from 'vitest';
import { verifySeal } from '../../src/core/segregation/sealed-statement.ts';
import type { SegmentLines } from '../../src/core/segregation/statement.ts';
import { ids } from '../support/book.ts';
import { D, openSegregationBook, USDC } from '../support/segregation-book.ts';
import { STORE_KINDS } from '../support/stores.ts';

function usdcDerivatives(segments: readonly SegmentLines[]): SegmentLines {
  const segment = segments.find((s) => s.asset === 'USDC' && s.accountClass === D);
  expect(segment).toBeDefined();
  return segment!;
}

function value<T>(result: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}`);
  return result.value;
}

function codeOf(result: { ok: boolean; error?: { code: string } }): string | null {
  return result.ok ? null : result.error!.code;
}

const WITHDRAWAL_ACCOUNTS = {
  residualInterestAccountId: ids.residual(D, 'USDC'),
  houseEquityAccountId: ids.houseEquity('USDC'),
  segregatedCustodyAccountId: ids.segregated(D, 'USDC'),
  houseCustodyAccountId: ids.houseCustody('USDC'),
};

function withdrawal(amountMinor: bigint) {
  return {
    ...WITHDRAWAL_ACCOUNTS,
    asset: 'USDC',
    accountClass: D,
    amountMinor,
    reason: 'fund proprietary margin',
    recipient: 'house treasury',
    by: 'operator-key',
  };
}

describe.each(STORE_KINDS)('segregation service on %s', (kind) => {
  it("computes Friday's statement as of Friday's close, seals it, and corrections reference the old seal", async () => {
    const h = await openSegregationBook(kind);
    const draft = value(await h.segregation.compute({ businessDate: '2026-11-27', by: 'operator-key' }));
    const friday = usdcDerivatives(draft.segments);
    // Monday's 50.00 from bob is after the cut-off: the statement reports Friday's close.
    expect(friday).toMatchObject({
      netLedgerBalanceMinor: USDC(1_300),
      unrealisedPnlMinor: 0n,
      netEquityMinor: USDC(1_300),
      deficitsAddedBackMinor: 0n,
      requirementMinor: USDC(1_300),
      fundsHeldMinor: USDC(1_500),
      unresolvedShortfallMinor: 0n,
      fundsHeldNetMinor: USDC(1_500),
      excessMinor: USDC(200),
      targetResidualInterestMinor: USDC(100),
      excessOverTargetMinor: USDC(100),
      undermarginedMinor: 0n,
      topUpRequiredMinor: 0n,
      residualInterestLedgerMinor: USDC(200),
      status: 'compliant',
    });
    const fridayHead = await h.ledger.readAsOf(
      { beforeMs: Date.UTC(2026, 10, 28) },
      (engine) => engine.headHash,
    );
    expect(draft.cutoff.headHash).toBe(fridayHead);
    expect(draft.cutoff.seq).toBe(2);

    const sealed = value(await h.segregation.finalise(draft.id, 'officer-key'));
    expect(verifySeal(sealed)).toBe(true);
    expect(sealed.cutoff).toEqual(draft.cutoff);
    expect(codeOf(await h.segregation.finalise(draft.id, 'officer-key'))).toBe('statement_already_finalised');

    const second = value(await h.segregation.compute({ businessDate: '2026-11-27', by: 'operator-key' }));
    expect(codeOf(await h.segregation.finalise(second.id, 'officer-key'))).toBe(
      'statement_correction_required',
    );
    const correction = value(
      await h.segregation.compute({ businessDate: '2026-11-27', supersedes: draft.id, by: 'operator-key' }),
    );
    expect(correction.supersedes).toEqual({ id: draft.id, hash: sealed.hash });
    value(await h.segregation.finalise(correction.id, 'officer-key'));
    expect(h.segregation.getStatement(draft.id)?.supersededBy).toBe(correction.id);
    expect(h.segregation.state.latestFinalised()?.id).toBe(correction.id);

    // Today's statement includes Monday's deposit; the diff shows exactly what moved.
    const today = value(await h.segregation.compute({ by: 'operator-key' }));
    expect(today.businessDate).toBe('2026-11-30');
    expect(usdcDerivatives(today.segments).requirementMinor).toBe(USDC(1_350));
    const diff = value(h.segregation.diff(correction.id, today.id)).filter(
      (line) => line.asset === 'USDC' && line.accountClass === D,
    );
    expect(diff.map((line) => [line.line, line.changeMinor])).toEqual([
      ['netLedgerBalanceMinor', USDC(50)],
      ['netEquityMinor', USDC(50)],
      ['requirementMinor', USDC(50)],
      ['fundsHeldMinor', USDC(50)],
      ['fundsHeldNetMinor', USDC(50)],
    ]);

    // Everything is rebuilt from the append-only events.
    const reopened = await h.reopen();
    expect(reopened.getStatement(draft.id)?.sealed?.hash).toBe(sealed.hash);
    expect(reopened.state.latestFinalised()?.id).toBe(correction.id);
    expect(reopened.state.targetHistory).toHaveLength(1);
  });

  it('refuses bad statement input and changes nothing', async () => {
    const h = await openSegregationBook(kind);
    const before = h.segregation.state.headSeq;
    expect(codeOf(await h.segregation.compute({ businessDate: '2026-02-30', by: 'x' }))).toBe(
      'statement_business_date_invalid',
    );
    expect(codeOf(await h.segregation.compute({ cutoffSeq: 99, by: 'x' }))).toBe('statement_cutoff_invalid');
    expect(codeOf(await h.segregation.compute({ supersedes: 'seg-nope', by: 'x' }))).toBe(
      'statement_supersedes_invalid',
    );
    expect(codeOf(await h.segregation.finalise('seg-nope', 'x'))).toBe('statement_unknown');
    expect(
      codeOf(
        await h.segregation.setTarget({
          asset: 'EUR',
          accountClass: D,
          amountMinor: 1n,
          approvalReference: 'r',
          by: 'x',
        }),
      ),
    ).toBe('segregation_asset_unknown');
    expect(
      codeOf(
        await h.segregation.setTarget({
          asset: 'USDC',
          accountClass: 'options',
          amountMinor: 1n,
          approvalReference: 'r',
          by: 'x',
        }),
      ),
    ).toBe('segregation_account_class_unknown');
    expect(
      codeOf(
        await h.segregation.setTarget({
          asset: 'USDC',
          accountClass: D,
          amountMinor: -1n,
          approvalReference: 'r',
          by: 'x',
        }),
      ),
    ).toBe('segregation_amount_invalid');
    expect(
      codeOf(
        await h.segregation.setTarget({
          asset: 'USDC',
          accountClass: D,
          amountMinor: 1n,
          approvalReference: ' ',
          by: 'x',
        }),
      ),
    ).toBe('segregation_text_invalid');
    expect(h.segregation.state.headSeq).toBe(before);
  });

  it('gates residual-interest withdrawals: prior statement, target override, the 25% rule, never a deficiency', async () => {
    const h = await openSegregationBook(kind);
    const riBalance = () =>
      h.ledger.read((engine) => {
        const account = engine.getAccount(ids.residual(D, 'USDC'))!;
        return account.creditsPostedMinor - account.debitsPostedMinor;
      });

    // No finalised statement for Friday yet: refused, and the refusal is on record.
    expect(codeOf(await h.segregation.requestWithdrawal(withdrawal(USDC(10))))).toBe(
      'residual_interest_statement_not_finalised',
    );
    expect(h.segregation.listWithdrawals()[0]?.status).toBe('refused');

    const friday = value(await h.segregation.compute({ businessDate: '2026-11-27', by: 'operator-key' }));
    value(await h.segregation.finalise(friday.id, 'officer-key'));

    // Reference residual interest 200.00: 25% is 50.00. Target 100.00.
    // 1) 40.00: cumulative 40.00 <= 50.00, pro forma 160.00 >= 100.00 -> executed at once.
    const first = value(await h.segregation.requestWithdrawal(withdrawal(USDC(40))));
    expect(first.status).toBe('executed');
    expect(await riBalance()).toBe(USDC(160));

    // 2) 20.00: cumulative 60.00 > 50.00 -> two officers, then a regulator notice.
    const second = value(await h.segregation.requestWithdrawal(withdrawal(USDC(20))));
    expect(second.status).toBe('awaiting_approvals');
    expect(await riBalance()).toBe(USDC(160));
    expect(value(await h.segregation.approveWithdrawal(second.request.id, 'officer-1')).status).toBe(
      'awaiting_approvals',
    );
    expect(codeOf(await h.segregation.approveWithdrawal(second.request.id, 'officer-1'))).toBe(
      'ri_withdrawal_officer_already_approved',
    );
    expect(value(await h.segregation.approveWithdrawal(second.request.id, 'officer-2')).status).toBe(
      'executed',
    );
    expect(await riBalance()).toBe(USDC(140));
    const [notice] = h.segregation.listNotices();
    expect(notice).toMatchObject({
      requestId: second.request.id,
      amountMinor: USDC(20),
      approvers: ['officer-1', 'officer-2'],
      referenceStatementId: friday.id,
      referenceResidualInterestMinor: USDC(200),
      cumulativeWithdrawnMinor: USDC(60),
      remainingResidualInterestMinor: USDC(140),
    });
    expect(codeOf(await h.segregation.approveWithdrawal(second.request.id, 'officer-3'))).toBe(
      'ri_withdrawal_not_awaiting_approval',
    );

    // 3) 50.00: pro forma 90.00 < target 100.00 -> blocked until two officers override.
    const third = value(await h.segregation.requestWithdrawal(withdrawal(USDC(50))));
    expect(third.status).toBe('awaiting_approvals');
    const thirdAssessment = await h.segregation.state.withdrawals.get(third.request.id);
    expect(thirdAssessment?.status).toBe('awaiting_approvals');
    value(await h.segregation.approveWithdrawal(third.request.id, 'officer-1'));
    expect(await riBalance()).toBe(USDC(140));
    expect(value(await h.segregation.approveWithdrawal(third.request.id, 'officer-2')).status).toBe(
      'executed',
    );
    expect(await riBalance()).toBe(USDC(90));

    // 4) 90.01 would leave customers under-segregated: no approval can allow it.
    expect(codeOf(await h.segregation.requestWithdrawal(withdrawal(USDC(90) + 10_000n)))).toBe(
      'residual_interest_withdrawal_creates_deficiency',
    );
    expect(await riBalance()).toBe(USDC(90));

    // Bad input is refused before anything is recorded.
    const before = h.segregation.state.headSeq;
    expect(codeOf(await h.segregation.requestWithdrawal(withdrawal(0n)))).toBe(
      'residual_interest_amount_invalid',
    );
    expect(
      codeOf(
        await h.segregation.requestWithdrawal({
          ...withdrawal(USDC(1)),
          houseEquityAccountId: ids.customer('alice', D, 'USDC'),
        }),
      ),
    ).toBe('ri_withdrawal_account_invalid');
    expect(codeOf(await h.segregation.approveWithdrawal('riw-404', 'officer-1'))).toBe(
      'ri_withdrawal_unknown',
    );
    expect(h.segregation.state.headSeq).toBe(before);
  });

  it('counts an unresolved unfavourable custodian break as a shortfall with a top-up until it is resolved', async () => {
    const h = await openSegregationBook(kind);
    const alerts: string[] = [];
    h.segregation.subscribe((alert) => alerts.push(alert.code));
    // The books say vault:derivatives holds 1,550.00 USDC; the custodian reports 1,530.00 (20.00 short),
    // and 0.5 BTC in vault:derivatives where the books have none (a favourable break).
    const csv = [
      'custodian,statement_date,vault_id,asset,balance',
      'Test Custodian,2026-11-30,vault:derivatives,USDC,1530',
      'Test Custodian,2026-11-30,vault:derivatives,BTC,0.5',
    ].join('\n');
    const run = value(await h.segregation.importCustodianStatement(csv, 'operator-key'));
    expect(run.internal.every((line) => line.balanced)).toBe(true);
    const breaks = run.external.breaks.map((b) => [b.vaultId, b.asset, b.direction, b.amountMinor]);
    expect(breaks).toEqual([
      ['vault:derivatives', 'BTC', 'observed_above_ledger', 50_000_000n],
      ['vault:derivatives', 'USDC', 'observed_below_ledger', USDC(20)],
    ]);
    const [topUp] = h.segregation.topUps();
    expect(topUp).toMatchObject({
      vaultId: 'vault:derivatives',
      asset: 'USDC',
      from: 'house',
      amountMinor: USDC(20),
    });
    expect(topUp?.dueAtMs).toBe(Date.UTC(2026, 11, 1));
    expect(alerts).toEqual(['reconciliation_shortfall']);

    // The shortfall comes off funds held: excess 250.00 - 20.00 = 230.00.
    const proForma = usdcDerivatives(await h.segregation.proForma());
    expect(proForma.unresolvedShortfallMinor).toBe(USDC(20));
    expect(proForma.fundsHeldNetMinor).toBe(USDC(1_530));
    expect(proForma.excessMinor).toBe(USDC(180));

    const usdcBreak = run.external.breaks.find((b) => b.asset === 'USDC')!;
    expect(codeOf(await h.segregation.resolveBreak(usdcBreak.id, '', 'officer-key'))).toBe(
      'segregation_text_invalid',
    );
    value(
      await h.segregation.resolveBreak(usdcBreak.id, 'custodian booked a late redemption', 'officer-key'),
    );
    expect(codeOf(await h.segregation.resolveBreak(usdcBreak.id, 'again', 'officer-key'))).toBe(
      'break_not_open',
    );
    expect(codeOf(await h.segregation.resolveBreak('nope', 'x', 'officer-key'))).toBe('break_unknown');
    expect(h.segregation.state.breaks.get(usdcBreak.id)?.resolution?.resolvedBy).toBe('officer-key');
    expect(h.segregation.topUps()).toEqual([]);
    expect(usdcDerivatives(await h.segregation.proForma()).excessMinor).toBe(USDC(200));

    // A bad statement is refused and records nothing.
    const before = h.segregation.state.headSeq;
    expect(codeOf(await h.segregation.importCustodianStatement('nonsense', 'operator-key'))).toBe(
      'custodian_statement_header_invalid',
    );
    expect(h.segregation.state.headSeq).toBe(before);
  });

  it('raises a critical deficiency when a shortfall exceeds the excess, and a late-finalisation warning', async () => {
    const h = await openSegregationBook(kind);
    const csv = [
      'custodian,statement_date,vault_id,asset,balance',
      'Test Custodian,2026-11-30,vault:derivatives,USDC,1290',
    ].join('\n');
    value(await h.segregation.importCustodianStatement(csv, 'operator-key'));
    // Funds held 1,550.00 - shortfall 260.00 = 1,290.00 against a requirement of 1,350.00: deficient by 60.00.
    const statement = value(await h.segregation.compute({ by: 'operator-key' }));
    const segment = usdcDerivatives(statement.segments);
    expect(segment.excessMinor).toBe(-USDC(60));
    expect(segment.topUpRequiredMinor).toBe(USDC(60));
    expect(segment.status).toBe('deficient');
    const deficiency = h.segregation.listAlerts().find((a) => a.code === 'segregation_deficiency');
    expect(deficiency).toMatchObject({
      severity: 'critical',
      amountMinor: USDC(60),
      statementId: statement.id,
    });

    // Tuesday 12:01: Monday's statement is not finalised by noon.
    h.clock.nowMs = Date.UTC(2026, 11, 1, 12, 1);
    await h.segregation.checkDeadlines();
    await h.segregation.checkDeadlines();
    const late = h.segregation.listAlerts().filter((a) => a.code === 'statement_finalisation_late');
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ severity: 'warning', businessDate: '2026-11-30' });
  });

  it('computes the UK client-money calculation under the normal and the alternative approach', async () => {
    const normal = await openSegregationBook(kind, { regime: 'uk_cass', clientMoneyApproach: 'normal' });
    const friday = value(await normal.segregation.compute({ businessDate: '2026-11-27', by: 'x' }));
    // Normal approach: resource 1,500.00 against requirement 1,300.00 at Friday's close: excess 200.00.
    expect(friday.clientMoney.find((l) => l.asset === 'USDC' && l.accountClass === D)).toMatchObject({
      approach: 'normal',
      requirementMinor: USDC(1_300),
      resourceMinor: USDC(1_500),
      prudentSegregationMinor: 0n,
      transferMinor: -USDC(200),
      outcome: 'excess',
    });
    const alternative = await openSegregationBook(kind, {
      regime: 'uk_cass',
      clientMoneyApproach: 'alternative',
    });
    const fridayAlt = value(await alternative.segregation.compute({ businessDate: '2026-11-27', by: 'x' }));
    // Alternative approach: requirement(T-1) 1,300.00 + buffer (the target) 100.00 = 1,400.00 against
    // today's resource before the transfer, 1,550.00: withdraw 150.00.
    expect(fridayAlt.clientMoney.find((l) => l.asset === 'USDC' && l.accountClass === D)).toMatchObject({
      approach: 'alternative',
      requirementMinor: USDC(1_300),
      resourceMinor: USDC(1_550),
      prudentSegregationMinor: USDC(100),
      transferMinor: -USDC(150),
      outcome: 'excess',
    });
  });
});
