// Insolvency resolution over HTTP on both stores, in-process: only officers freeze (two distinct keys), the
// ledger then refuses transfers, withdrawal requests and executions with 422 ledger_frozen while nothing
// changes, a customer key reads only its own statement, auditors read the distribution and the pack in all
// three formats, contagion simulations run on the open books, and every refusal answers with its code.
//
// The harness book: alice 2 BTC and bob 3 BTC in derivatives with 1 BTC of residual interest (6 BTC held),
// alice 1,000 USDC in spot; the house holds 9 BTC of its own.

import { sign } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';
import { parties } from '../support/custody-core.ts';
import { STORE_KINDS } from '../support/stores.ts';
import { ALLOWED_DESTINATION, VAULT_ID } from '../support/withdrawals.ts';
import { type ApiHarness, type CallResult, newId, openApiHarness } from './harness.ts';

function expectCode(response: CallResult, status: number, code: string): void {
  expect(response.body?.error?.code, JSON.stringify(response.body)).toBe(code);
  expect(response.status).toBe(status);
}

describe.each(STORE_KINDS)('resolution API on %s', (kind) => {
  let api: ApiHarness;
  afterEach(async () => {
    await api.close();
  });

  const deposit = () => ({
    id: newId(),
    kind: 'deposit',
    reference: 'tx-after',
    legs: [{ debit: 'seg:derivatives:BTC', credit: 'alice:derivatives:BTC', asset: 'BTC', amount: '1' }],
  });

  const freeze = async () => {
    const requested = await api.call('POST', '/v1/resolution/freeze', {
      key: api.keys.officer,
      json: { reason: 'the house has failed' },
    });
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    const approved = await api.call('POST', '/v1/resolution/freeze/approve', { key: api.keys.officer2 });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    return approved.body;
  };

  it('lets only officers freeze, two distinct ones; then every transfer is refused with ledger_frozen', async () => {
    api = await openApiHarness(kind, { resolution: true });
    await api.expectUnchanged(async () => {
      for (const key of [api.keys.operator, api.keys.auditor, api.keys.alice]) {
        expectCode(
          await api.call('POST', '/v1/resolution/freeze', { key, json: { reason: 'x' } }),
          403,
          'forbidden_role',
        );
      }
      expectCode(
        await api.call('POST', '/v1/resolution/freeze/approve', { key: api.keys.officer }),
        422,
        'freeze_not_requested',
      );
      expectCode(
        await api.call('POST', '/v1/resolution/freeze', { key: api.keys.officer, json: { reason: ' ' } }),
        422,
        'resolution_text_invalid',
      );
    });
    const requested = await api.call('POST', '/v1/resolution/freeze', {
      key: api.keys.officer,
      json: { reason: 'the house has failed' },
    });
    expect(requested.body).toMatchObject({
      status: 'freeze_requested',
      freeze: {
        reason: 'the house has failed',
        requestedBy: api.keyIds.officer,
        approvedBy: null,
        pinned: null,
      },
    });
    // Requested, not approved: the ledger still settles.
    const before = await api.call('POST', '/v1/transfers', { key: api.keys.operator, json: deposit() });
    expect(before.status, JSON.stringify(before.body)).toBe(201);
    await api.expectUnchanged(async () => {
      expectCode(
        await api.call('POST', '/v1/resolution/freeze/approve', { key: api.keys.officer }),
        422,
        'freeze_approval_same_officer',
      );
      expectCode(
        await api.call('POST', '/v1/resolution/freeze', {
          key: api.keys.officer2,
          json: { reason: 'again' },
        }),
        422,
        'freeze_already_requested',
      );
    });
    const approved = await api.call('POST', '/v1/resolution/freeze/approve', { key: api.keys.officer2 });
    const head = await api.store.readHeadSeq();
    expect(approved.body).toMatchObject({
      status: 'frozen',
      freeze: { approvedBy: api.keyIds.officer2, pinned: { seq: head, shortfalls: [], marks: 0 } },
    });
    await api.expectUnchanged(async () => {
      const refused = await api.call('POST', '/v1/transfers', { key: api.keys.operator, json: deposit() });
      expectCode(refused, 422, 'ledger_frozen');
      expect(refused.body.error.details).toMatchObject({ commandType: 'transfer', frozenAtSeq: head });
      expectCode(
        await api.call('POST', '/v1/resolution/freeze/approve', { key: api.keys.officer }),
        422,
        'freeze_already_frozen',
      );
    });
    const status = await api.call('GET', '/v1/resolution', { key: api.keys.alice });
    expect(status.body.status).toBe('frozen');
  });

  it('shows a customer key its own statement only; auditors read the distribution and the pack', async () => {
    api = await openApiHarness(kind, { resolution: true, segregation: true });
    expectCode(
      await api.call('GET', '/v1/resolution/distribution', { key: api.keys.auditor }),
      422,
      'resolution_not_frozen',
    );
    expectCode(
      await api.call('GET', '/v1/resolution/pack', { key: api.keys.auditor }),
      422,
      'resolution_not_frozen',
    );
    await freeze();
    const own = await api.call('GET', '/v1/resolution/customers/alice', { key: api.keys.alice });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      customerId: 'alice',
      estates: [
        { asset: 'BTC', accountClass: 'derivatives', claim: '2', payout: '2', unpaid: '0' },
        { asset: 'USDC', accountClass: 'spot', claim: '1000', payout: '1000' },
      ],
      unsecured: [],
    });
    expectCode(
      await api.call('GET', '/v1/resolution/customers/bob', { key: api.keys.alice }),
      403,
      'forbidden_not_own_account',
    );
    expect(
      (await api.call('GET', '/v1/resolution/customers/bob', { key: api.keys.auditor })).body,
    ).toMatchObject({
      estates: [{ asset: 'BTC', claim: '3', payout: '3' }],
    });
    expectCode(
      await api.call('GET', '/v1/resolution/customers/nobody', { key: api.keys.auditor }),
      404,
      'resolution_customer_unknown',
    );
    expectCode(
      await api.call('GET', '/v1/resolution/distribution', { key: api.keys.alice }),
      403,
      'forbidden_role',
    );
    expectCode(await api.call('GET', '/v1/resolution/pack', { key: api.keys.bob }), 403, 'forbidden_role');

    const distribution = await api.call('GET', '/v1/resolution/distribution', { key: api.keys.auditor });
    expect(
      distribution.body.estates.find(
        (e: { asset: string; accountClass: string }) => e.asset === 'BTC' && e.accountClass === 'derivatives',
      ),
    ).toMatchObject({
      held: '6',
      totalClaims: '5',
      distributed: '5',
      surplus: '1',
      ratio: '1/1',
      paidPercent: '100.00',
    });
    const pack = await api.call('GET', '/v1/resolution/pack', { key: api.keys.auditor });
    expect(pack.status).toBe(200);
    expect(pack.body).toMatchObject({
      format: 'ringfence-resolution-pack-v1',
      firm: 'Harness Futures LLC',
      simulated: false,
      journal: { verified: true },
      summary: { customers: 2, claimLines: 3 },
      segregation: { latestStatement: null, reconciliations: [] },
    });
    const csv = await api.call('GET', '/v1/resolution/pack?format=csv', { key: api.keys.officer });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.body).toContain('claims,bob,BTC,derivatives,3,3,3,0,0,0,0\n');
    const section = await api.call('GET', '/v1/resolution/pack?format=csv&section=estates', {
      key: api.keys.operator,
    });
    expect(section.body.split('\n')[0]).toBe(
      'asset,account_class,held,recovered,property,total_claims,distributed,shortfall,surplus,ratio,paid_percent,claimants,debtors,debts,debts_outstanding',
    );
    expectCode(
      await api.call('GET', '/v1/resolution/pack?format=json&section=claims', { key: api.keys.auditor }),
      400,
      'request_invalid',
    );
    const html = await api.call('GET', '/v1/resolution/pack?format=html', { key: api.keys.auditor });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.body).toContain('Resolution pack: Harness Futures LLC');
  });

  it('records recoveries (operator, officer) with the core refusals, changing nothing', async () => {
    api = await openApiHarness(kind, { resolution: true });
    const recovery = {
      customerId: 'alice',
      asset: 'BTC',
      accountClass: 'derivatives',
      amount: '0.1',
      reference: 'wire 1',
    };
    expectCode(
      await api.call('POST', '/v1/resolution/recoveries', { key: api.keys.operator, json: recovery }),
      422,
      'resolution_not_frozen',
    );
    await freeze();
    await api.expectUnchanged(async () => {
      expectCode(
        await api.call('POST', '/v1/resolution/recoveries', { key: api.keys.auditor, json: recovery }),
        403,
        'forbidden_role',
      );
      expectCode(
        await api.call('POST', '/v1/resolution/recoveries', { key: api.keys.operator, json: recovery }),
        422,
        'resolution_recovery_without_debt',
      );
      expectCode(
        await api.call('POST', '/v1/resolution/recoveries', {
          key: api.keys.officer,
          json: { ...recovery, asset: 'DOGE' },
        }),
        422,
        'resolution_asset_unknown',
      );
      expectCode(
        await api.call('POST', '/v1/resolution/recoveries', {
          key: api.keys.officer,
          json: { ...recovery, amount: '0.000000001' },
        }),
        400,
        'amount_too_many_decimals',
      );
    });
  });

  it('simulates contagion on the open books: JSON, the text table, and refusals', async () => {
    api = await openApiHarness(kind, { resolution: true });
    const report = await api.call('POST', '/v1/resolution/simulations', {
      key: api.keys.auditor,
      json: { builtIn: 'house-loss' },
    });
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    const btc = report.body.assets.find((asset: { asset: string }) => asset.asset === 'BTC');
    // The house holds 9 BTC and customers' vault 6: the loss is 9 + 3 = 12 BTC.
    expect(btc).toMatchObject({ tradingLoss: '12', customerClaims: '5', customersSegregated: '5' });
    expect(
      report.body.customers.find(
        (row: { customerId: string; asset: string }) => row.customerId === 'bob' && row.asset === 'BTC',
      ),
    ).toMatchObject({
      claim: '3',
      segregated: '3',
      segregatedPercent: '100.00',
    });
    const table = await api.call('POST', '/v1/resolution/simulations?format=text', {
      key: api.keys.officer,
      json: {
        name: 'lender and loss',
        events: [{ type: 'house_trading_loss', asset: 'BTC', amount: '9.5' }],
        houseCreditors: [{ creditorId: 'lender', asset: 'BTC', claim: '2' }],
      },
    });
    expect(table.status).toBe(200);
    expect(table.body).toContain('all customers');
    expect(table.body).toContain('lender');
    await api.expectUnchanged(async () => {
      expectCode(
        await api.call('POST', '/v1/resolution/simulations', {
          key: api.keys.alice,
          json: { builtIn: 'house-loss' },
        }),
        403,
        'forbidden_role',
      );
      expectCode(
        await api.call('POST', '/v1/resolution/simulations', {
          key: api.keys.operator,
          json: { builtIn: 'meteor' },
        }),
        422,
        'contagion_scenario_unknown',
      );
      expectCode(
        await api.call('POST', '/v1/resolution/simulations', {
          key: api.keys.operator,
          json: { name: 'x', events: [{ type: 'house_trading_loss', asset: 'DOGE', amount: '1' }] },
        }),
        422,
        'contagion_asset_unknown',
      );
      expectCode(
        await api.call('POST', '/v1/resolution/simulations', {
          key: api.keys.operator,
          json: {
            name: 'x',
            events: [{ type: 'hot_wallet_hack', vaultId: 'vault:derivatives', asset: 'BTC', amount: '7' }],
          },
        }),
        422,
        'contagion_hack_exceeds_holding',
      );
    });
  });

  it('refuses withdrawal requests and executions while frozen, changing nothing', async () => {
    api = await openApiHarness(kind, { resolution: true, custody: true });
    const instruction = (requestId: string) => ({
      requestId,
      vaultId: VAULT_ID,
      asset: 'BTC',
      amount: '0.5',
      destination: ALLOWED_DESTINATION,
      expiresAt: new Date(api.nowMs + 2 * 3_600_000).toISOString(),
    });
    // A request approved before the freeze, executed after it.
    const approvedId = `0x${'6'.repeat(63)}1`;
    const requested = await api.call('POST', '/v1/withdrawals', {
      key: api.keys.alice,
      json: instruction(approvedId),
    });
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    const digest = requested.body.withdrawal.digest as `0x${string}`;
    for (const party of [parties.alice, parties.trustee]) {
      const signature = await sign({ hash: digest, privateKey: party.key, to: 'hex' });
      const approved = await api.call('POST', `/v1/withdrawals/${approvedId}/approvals`, {
        key: api.keys.operator,
        json: { signatures: [signature] },
      });
      expect(approved.status).toBe(200);
    }
    await freeze();
    await api.expectUnchanged(async () => {
      expectCode(
        await api.call('POST', '/v1/withdrawals', {
          key: api.keys.alice,
          json: instruction(`0x${'6'.repeat(63)}2`),
        }),
        422,
        'ledger_frozen',
      );
      expectCode(
        await api.call('POST', `/v1/withdrawals/${approvedId}/execute`, { key: api.keys.operator }),
        422,
        'ledger_frozen',
      );
      expectCode(
        await api.call('POST', `/v1/withdrawals/${approvedId}/cancel`, { key: api.keys.operator }),
        422,
        'ledger_frozen',
      );
    });
    expect(api.custody?.executor.executed).toHaveLength(0);
  });

  it('answers 503 resolution_unavailable without the service', async () => {
    api = await openApiHarness(kind);
    expectCode(
      await api.call('GET', '/v1/resolution', { key: api.keys.auditor }),
      503,
      'resolution_unavailable',
    );
  });
});
