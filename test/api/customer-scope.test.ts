// Proves customer-key scoping: a customer sees only its own record, accounts, balances, transfers and
// holds; cannot debit another customer's account; and its instructions carry its own customer id
// (forced when omitted, 403 when another). Every refusal leaves the books unchanged.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../support/stores.ts';
import { type ApiHarness, newId, openApiHarness } from './harness.ts';

describe.each(STORE_KINDS)('customer scope on %s', (kind) => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind);
  });
  afterEach(async () => {
    await api.close();
  });

  const withdrawal = (from: string, amount: string, extra: Record<string, unknown> = {}) => ({
    id: newId(),
    kind: 'withdrawal',
    reference: 'instruction-1',
    legs: [{ debit: from, credit: 'seg:derivatives:BTC', asset: 'BTC', amount }],
    ...extra,
  });

  it('sees only its own customer record', async () => {
    const list = await api.call('GET', '/v1/customers', { key: api.keys.alice });
    expect(list.status).toBe(200);
    expect(list.body.customers).toEqual([{ id: 'alice', name: 'ALICE' }]);
    expect((await api.call('GET', '/v1/customers/alice', { key: api.keys.alice })).status).toBe(200);
    const other = await api.call('GET', '/v1/customers/bob', { key: api.keys.alice });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('forbidden_not_own_account');
  });

  it('lists only its own accounts, and a filter for another customer is 403', async () => {
    const list = await api.call('GET', '/v1/accounts', { key: api.keys.alice });
    expect(list.status).toBe(200);
    expect(list.body.accounts.length).toBeGreaterThan(0);
    for (const account of list.body.accounts)
      expect(account.owner).toEqual({ type: 'customer', customerId: 'alice' });
    const filtered = await api.call('GET', '/v1/accounts?customerId=bob', { key: api.keys.alice });
    expect(filtered.status).toBe(403);
    expect(filtered.body.error.code).toBe('forbidden_not_own_account');
  });

  it("cannot read another customer's account, or a house account", async () => {
    const own = await api.call('GET', '/v1/accounts/alice:derivatives:BTC', { key: api.keys.alice });
    expect(own.status).toBe(200);
    expect(own.body.balances.balance).toBe('2');
    for (const id of ['bob:derivatives:BTC', 'seg:derivatives:BTC', 'nobody']) {
      const { status, body } = await api.call('GET', `/v1/accounts/${id}`, { key: api.keys.alice });
      expect(status).toBe(403);
      expect(body.error.code).toBe('forbidden_not_own_account');
    }
  });

  it('sees only its own balances, now and as of a past seq', async () => {
    const now = await api.call('GET', '/v1/balances', { key: api.keys.alice });
    expect(now.status).toBe(200);
    for (const account of now.body.accounts) expect(account.owner.customerId).toBe('alice');
    const past = await api.call('GET', `/v1/balances?asOf=${now.body.asOfSeq}`, { key: api.keys.alice });
    expect(past.body.accounts).toEqual(now.body.accounts);
    const other = await api.call('GET', '/v1/balances?customerId=bob', { key: api.keys.alice });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('forbidden_not_own_account');
  });

  it("403 forbidden_not_own_account when debiting another customer's account", async () => {
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', '/v1/transfers', {
        key: api.keys.alice,
        json: withdrawal('bob:derivatives:BTC', '1'),
      });
      expect(status).toBe(403);
      expect(body.error.code).toBe('forbidden_not_own_account');
    });
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', '/v1/transfers', {
        key: api.keys.alice,
        json: {
          id: newId(),
          kind: 'internal_transfer',
          reference: 'instruction-2',
          legs: [{ debit: 'seg:derivatives:BTC', credit: 'seg:spot:BTC', asset: 'BTC', amount: '1' }],
        },
      });
      expect(status).toBe(403);
      expect(body.error.code).toBe('forbidden_not_own_account');
    });
  });

  it('403 forbidden_not_own_account when instructing for another customer', async () => {
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', '/v1/transfers', {
        key: api.keys.alice,
        json: withdrawal('alice:derivatives:BTC', '1', { instructedBy: 'bob' }),
      });
      expect(status).toBe(403);
      expect(body.error.code).toBe('forbidden_not_own_account');
    });
  });

  it('forces instructedBy to the caller, and the withdrawal commits', async () => {
    const json = withdrawal('alice:derivatives:BTC', '0.5');
    const posted = await api.call('POST', '/v1/transfers', { key: api.keys.alice, json });
    expect(posted.status).toBe(201);
    const read = await api.call('GET', `/v1/transfers/${json.id}`, { key: api.keys.alice });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      type: 'transfer',
      kind: 'withdrawal',
      instructedBy: 'alice',
      seq: posted.body.seq,
    });
    expect(read.body.legs[0].amount).toBe('0.5');
    const account = await api.call('GET', '/v1/accounts/alice:derivatives:BTC', { key: api.keys.alice });
    expect(account.body.balances.balance).toBe('1.5');
  });

  it('cannot read a transfer that does not touch its accounts', async () => {
    const json = withdrawal('bob:derivatives:BTC', '1');
    expect((await api.call('POST', '/v1/transfers', { key: api.keys.bob, json })).status).toBe(201);
    const { status, body } = await api.call('GET', `/v1/transfers/${json.id}`, { key: api.keys.alice });
    expect(status).toBe(403);
    expect(body.error.code).toBe('forbidden_not_own_account');
  });

  it('batches apply the same rules per item', async () => {
    const own = withdrawal('alice:derivatives:BTC', '0.1');
    const others = withdrawal('bob:derivatives:BTC', '0.1');
    const { status, body } = await api.call('POST', '/v1/transfers/batch', {
      key: api.keys.alice,
      json: { transfers: [own, others] },
    });
    expect(status).toBe(200);
    expect(body.results[0]).toMatchObject({ index: 0, ok: true, duplicate: false });
    expect(body.results[1]).toMatchObject({
      index: 1,
      ok: false,
      error: { code: 'forbidden_not_own_account' },
    });
    const bob = await api.call('GET', '/v1/accounts/bob:derivatives:BTC', { key: api.keys.bob });
    expect(bob.body.balances.balance).toBe('3');
  });
});
