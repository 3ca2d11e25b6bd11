// Proves the residual-interest gate over HTTP on SQLite and PostgreSQL, in-process: no withdrawal before the
// prior day's statement is finalised; within target and 25% it executes at once; below target it waits for
// two distinct officers (an officer approves once; operators cannot approve) and then moves the ledger; over
// 25% of the reference residual interest it also issues a regulator notice, printable as text; a withdrawal
// that would leave a deficiency is refused outright. The generic transfer routes refuse a
// residual_interest_withdrawal (house money leaves segregation only through the gate) and change nothing.
//
// Worked example (BTC, derivatives): Tuesday 2030-01-01's statement shows residual interest (excess) 1 BTC, so
// 25% is 0.25 BTC. On Wednesday: 0.05 (cumulative 0.05, target 0) executes at once; with a target of 0.9,
// 0.1 (pro forma 0.85 < 0.9) needs two officers; then 0.15 (cumulative 0.30 > 0.25) needs two officers and
// issues a notice; 0.9 more would leave 0.7 − 0.9 < 0 and is refused.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ids } from '../support/book.ts';
import { STORE_KINDS } from '../support/stores.ts';
import { type ApiHarness, type CallResult, HARNESS_FIRM_NAME, newId, openApiHarness } from './harness.ts';

const WEDNESDAY_10AM = Date.parse('2030-01-02T10:00:00Z');
const D = 'derivatives';

function expectCode(response: CallResult, status: number, code: string): void {
  expect(response.body?.error?.code, JSON.stringify(response.body)).toBe(code);
  expect(response.status).toBe(status);
}

const ACCOUNTS = {
  residualInterestAccountId: ids.residual(D, 'BTC'),
  houseEquityAccountId: ids.houseEquity('BTC'),
  segregatedCustodyAccountId: ids.segregated(D, 'BTC'),
  houseCustodyAccountId: ids.houseCustody('BTC'),
};

describe.each(STORE_KINDS)('residual-interest gate routes on %s', (kind) => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind, { segregation: true });
    api.nowMs = WEDNESDAY_10AM;
  });
  afterEach(async () => {
    await api.close();
  });

  const withdraw = (amount: string, overrides: Record<string, unknown> = {}, key = api.keys.operator) =>
    api.call('POST', '/v1/segregation/residual-interest/withdrawals', {
      key,
      json: {
        asset: 'BTC',
        accountClass: D,
        amount,
        ...ACCOUNTS,
        reason: 'fund proprietary margin',
        recipient: 'house treasury',
        ...overrides,
      },
    });
  const approve = (id: string, key: string) =>
    api.call('POST', `/v1/segregation/residual-interest/withdrawals/${id}/approvals`, { key });
  /** Posted balance on the account's normal side, in minor units. */
  const balanceOf = (accountId: string) =>
    api.service.read((engine) => {
      const account = engine.getAccount(accountId)!;
      const debitNormal = account.segregationClass.endsWith('custody');
      const net = account.debitsPostedMinor - account.creditsPostedMinor;
      return debitNormal ? net : -net;
    });
  const finaliseTuesday = async () => {
    const computed = await api.call('POST', '/v1/segregation/statements', {
      key: api.keys.operator,
      json: { businessDate: '2030-01-01' },
    });
    expect(computed.status, JSON.stringify(computed.body)).toBe(201);
    const sealed = await api.call('POST', `/v1/segregation/statements/${computed.body.id}/finalise`, {
      key: api.keys.officer,
    });
    expect(sealed.status).toBe(200);
    return sealed.body;
  };

  it("refuses a withdrawal before the prior day's statement is finalised, and records the refusal", async () => {
    const refused = await withdraw('0.05');
    expectCode(refused, 422, 'residual_interest_statement_not_finalised');
    expect(refused.body.error.details).toMatchObject({
      requiredBusinessDate: '2030-01-01',
      latestFinalised: null,
    });
    expect(await balanceOf(ids.residual(D, 'BTC'))).toBe(1_00000000n);
    const listed = await api.call('GET', '/v1/segregation/residual-interest/withdrawals', {
      key: api.keys.auditor,
    });
    expect(listed.body.withdrawals).toEqual([
      expect.objectContaining({
        id: 'riw-1',
        status: 'refused',
        refusal: expect.objectContaining({ code: 'residual_interest_statement_not_finalised' }),
        execution: null,
      }),
    ]);
  });

  it('executes within target and 25% at once; below target after two distinct officers; over 25% with a notice', async () => {
    await finaliseTuesday();

    // 0.05: cumulative 0.05 <= 0.25, pro forma 0.95 >= target 0: executed at once.
    const first = await withdraw('0.05');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      status: 'executed',
      amount: '0.05',
      requestedBy: api.keyIds.operator,
      approvals: [],
      noticeId: null,
      accounts: ACCOUNTS,
    });
    expect(first.body.execution.transferId).toBe(first.body.transferId);
    expect(await balanceOf(ids.residual(D, 'BTC'))).toBe(95_000000n);

    // The board's target 0.9: 0.1 more leaves 0.85 < 0.9, so two officers must approve the override.
    const target = await api.call('PUT', '/v1/segregation/targets', {
      key: api.keys.officer,
      json: { asset: 'BTC', accountClass: D, amount: '0.9', approvalReference: 'board minute 2030-01-02' },
    });
    expect(target.status).toBe(200);
    const second = await withdraw('0.1');
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body).toMatchObject({ id: 'riw-2', status: 'awaiting_approvals', execution: null });
    expect(await balanceOf(ids.residual(D, 'BTC'))).toBe(95_000000n);

    await api.expectUnchanged(async () => {
      expectCode(await approve(second.body.id, api.keys.operator), 403, 'forbidden_role');
      expectCode(await approve(second.body.id, api.keys.auditor), 403, 'forbidden_role');
      expectCode(await approve('riw-99', api.keys.officer), 404, 'ri_withdrawal_unknown');
    });
    const once = await approve(second.body.id, api.keys.officer);
    expect(once.status, JSON.stringify(once.body)).toBe(200);
    expect(once.body.status).toBe('awaiting_approvals');
    expect(once.body.approvals.map((a: { officerKeyId: string }) => a.officerKeyId)).toEqual([
      api.keyIds.officer,
    ]);
    await api.expectUnchanged(async () => {
      expectCode(
        await approve(second.body.id, api.keys.officer),
        422,
        'ri_withdrawal_officer_already_approved',
      );
    });
    const twice = await approve(second.body.id, api.keys.officer2);
    expect(twice.status, JSON.stringify(twice.body)).toBe(200);
    expect(twice.body).toMatchObject({ status: 'executed', noticeId: null });
    expect(await balanceOf(ids.residual(D, 'BTC'))).toBe(85_000000n);
    expect(await balanceOf(ids.segregated(D, 'BTC'))).toBe(5_85000000n);
    expect(await balanceOf(ids.houseCustody('BTC'))).toBe(9_15000000n);
    await api.expectUnchanged(async () => {
      expectCode(await approve(second.body.id, api.keys.officer), 422, 'ri_withdrawal_not_awaiting_approval');
    });

    // 0.15: cumulative 0.30 > 25% of 1: two officers, then a regulator notice.
    const third = await withdraw('0.15', { reason: 'dividend to parent', recipient: 'Parent Holdings Ltd' });
    expect(third.body.status).toBe('awaiting_approvals');
    await approve(third.body.id, api.keys.officer2);
    const executed = await approve(third.body.id, api.keys.officer);
    expect(executed.body).toMatchObject({ status: 'executed', noticeId: `notice-${third.body.id}` });
    expect(await balanceOf(ids.residual(D, 'BTC'))).toBe(70_000000n);

    const notices = await api.call('GET', '/v1/segregation/notices', { key: api.keys.auditor });
    expect(notices.body.notices).toEqual([
      expect.objectContaining({
        id: `notice-${third.body.id}`,
        requestId: third.body.id,
        amount: '0.15',
        approvers: [api.keyIds.officer2, api.keyIds.officer],
        referenceResidualInterest: '1',
        cumulativeWithdrawn: '0.3',
        remainingResidualInterest: '0.7',
      }),
    ]);
    const text = await api.call('GET', `/v1/segregation/notices/notice-${third.body.id}?format=text`, {
      key: api.keys.officer,
    });
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text.body).toMatch(/^NOTICE OF WITHDRAWAL OF RESIDUAL INTEREST FROM SEGREGATION\n/);
    for (const expected of [
      `Firm: +${HARNESS_FIRM_NAME}\n`,
      'Amount withdrawn: +0\\.15 BTC\n',
      'Recipient: +Parent Holdings Ltd\n',
      'Residual interest on it: +1 BTC\n',
      'Withdrawn since, cumulative: +0\\.3 BTC\n',
      'Residual interest remaining: +0\\.7 BTC \\(pro forma\\)\n',
      `Approved by \\(officers\\): +${api.keyIds.officer2}, ${api.keyIds.officer}\n`,
    ]) {
      expect(text.body).toMatch(new RegExp(expected));
    }
    expect(text.body).not.toMatch(/<[a-z]/);
    expectCode(
      await api.call('GET', '/v1/segregation/notices/notice-x', { key: api.keys.auditor }),
      404,
      'not_found',
    );

    const shown = await api.call('GET', `/v1/segregation/residual-interest/withdrawals/${third.body.id}`, {
      key: api.keys.auditor,
    });
    expect(shown.body).toEqual(executed.body);
    expectCode(
      await api.call('GET', '/v1/segregation/residual-interest/withdrawals/riw-99', {
        key: api.keys.auditor,
      }),
      404,
      'ri_withdrawal_unknown',
    );
  });

  it('refuses a withdrawal that would leave a deficiency, and bad requests, changing no balance', async () => {
    await finaliseTuesday();
    await api.expectUnchanged(async () => {
      expectCode(await withdraw('0.05', {}, api.keys.officer), 403, 'forbidden_role');
      expectCode(await withdraw('0.05', {}, api.keys.auditor), 403, 'forbidden_role');
      expectCode(await withdraw('0'), 400, 'amount_not_positive');
      expectCode(await withdraw('0.05', { asset: 'DOGE' }), 422, 'segregation_asset_unknown');
      expectCode(
        await withdraw('0.05', { houseEquityAccountId: ids.houseCustody('BTC') }),
        422,
        'ri_withdrawal_account_invalid',
      );
      expectCode(await withdraw('0.05', { reason: '' }), 422, 'segregation_text_invalid');
    });
    const residual = await balanceOf(ids.residual(D, 'BTC'));
    const deficient = await withdraw('1.5');
    expectCode(deficient, 422, 'residual_interest_withdrawal_creates_deficiency');
    expect(await balanceOf(ids.residual(D, 'BTC'))).toBe(residual);
  });
});

describe.each(STORE_KINDS)('the generic transfer routes on %s', (kind) => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind, { segregation: true });
  });
  afterEach(async () => {
    await api.close();
  });

  const bareWithdrawal = () => ({
    id: newId(),
    kind: 'residual_interest_withdrawal',
    reference: 'take the excess',
    legs: [
      { debit: ids.houseCustody('BTC'), credit: ids.segregated(D, 'BTC'), asset: 'BTC', amount: '0.1' },
      { debit: ids.residual(D, 'BTC'), credit: ids.houseEquity('BTC'), asset: 'BTC', amount: '0.1' },
    ],
  });

  it('refuse a residual_interest_withdrawal (only the gate books one) and change nothing', async () => {
    await api.expectUnchanged(async () => {
      const refused = await api.call('POST', '/v1/transfers', {
        key: api.keys.operator,
        json: bareWithdrawal(),
      });
      expectCode(refused, 422, 'residual_interest_withdrawal_requires_gate');
      const batch = await api.call('POST', '/v1/transfers/batch', {
        key: api.keys.operator,
        json: { transfers: [bareWithdrawal()] },
      });
      expect(batch.status).toBe(200);
      expect(batch.body.results).toEqual([
        {
          index: 0,
          ok: false,
          error: expect.objectContaining({ code: 'residual_interest_withdrawal_requires_gate' }),
        },
      ]);
    });
  });
});
