// Proves single transfers over HTTP: 201 on commit, 200 `duplicate` on an idempotent retry (by either
// id spelling), 409 for an id reused with other content, and 422 for a ledger rule refusal, here
// segregation_customer_to_house_forbidden. Refusals leave the books unchanged.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../support/stores.ts';
import { type ApiHarness, newId, openApiHarness } from './harness.ts';

describe.each(STORE_KINDS)('transfers on %s', (kind) => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind);
  });
  afterEach(async () => {
    await api.close();
  });

  const deposit = (id: string, amount = '0.25') => ({
    id,
    kind: 'deposit',
    reference: 'tx-abc',
    legs: [{ debit: 'seg:derivatives:BTC', credit: 'alice:derivatives:BTC', asset: 'BTC', amount }],
  });

  it('commits with 201, then an identical retry answers 200 duplicate with the same seq and changes nothing', async () => {
    const id = newId();
    const first = await api.call('POST', '/v1/transfers', { key: api.keys.operator, json: deposit(id) });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id, seq: await api.store.readHeadSeq(), duplicate: false });
    await api.expectUnchanged(async () => {
      const retry = await api.call('POST', '/v1/transfers', { key: api.keys.operator, json: deposit(id) });
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ id, seq: first.body.seq, duplicate: true });
    });
    const account = await api.call('GET', '/v1/accounts/alice:derivatives:BTC', { key: api.keys.operator });
    expect(account.body.balances).toMatchObject({
      creditsPosted: '2.25',
      balance: '2.25',
      available: '2.25',
    });
  });

  it('accepts a UUID id and normalises it, so both spellings name one transfer', async () => {
    const uuid = '0192F3A4-B5C6-7D8E-9F01-23456789ABCD';
    const normalised = '0192f3a4b5c67d8e9f0123456789abcd';
    const first = await api.call('POST', '/v1/transfers', { key: api.keys.operator, json: deposit(uuid) });
    expect(first.status).toBe(201);
    expect(first.body.id).toBe(normalised);
    const retry = await api.call('POST', '/v1/transfers', {
      key: api.keys.operator,
      json: deposit(normalised),
    });
    expect(retry.body).toMatchObject({ id: normalised, duplicate: true });
    const read = await api.call('GET', `/v1/transfers/${uuid}`, { key: api.keys.operator });
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(normalised);
  });

  it('409 idempotency_id_reused_with_different_content for the same id with another amount', async () => {
    const id = newId();
    expect(
      (await api.call('POST', '/v1/transfers', { key: api.keys.operator, json: deposit(id) })).status,
    ).toBe(201);
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', '/v1/transfers', {
        key: api.keys.operator,
        json: deposit(id, '0.5'),
      });
      expect(status).toBe(409);
      expect(body.error.code).toBe('idempotency_id_reused_with_different_content');
    });
  });

  it('422 segregation_customer_to_house_forbidden for a customer claim moved to the house', async () => {
    const json = {
      id: newId(),
      kind: 'fee',
      reference: 'fee-schedule-1',
      legs: [{ debit: 'alice:derivatives:BTC', credit: 'house:equity:BTC', asset: 'BTC', amount: '0.01' }],
    };
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', '/v1/transfers', { key: api.keys.operator, json });
      expect(status).toBe(422);
      expect(body.error).toMatchObject({
        code: 'segregation_customer_to_house_forbidden',
        details: { leg: 0, debitClass: 'customer_collateral', creditClass: 'house_equity' },
      });
    });
    // A failed id stays failed: the retry repeats the rejection and still changes nothing.
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', '/v1/transfers', { key: api.keys.operator, json });
      expect(status).toBe(422);
      expect(body.error).toMatchObject({
        code: 'segregation_customer_to_house_forbidden',
        details: { repeated: true },
      });
    });
  });

  it('422 segregation_customer_to_house_forbidden when a customer key tries it on its own account', async () => {
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', '/v1/transfers', {
        key: api.keys.alice,
        json: {
          id: newId(),
          kind: 'internal_transfer',
          reference: 'instruction-3',
          legs: [
            { debit: 'alice:derivatives:BTC', credit: 'ri:derivatives:BTC', asset: 'BTC', amount: '0.01' },
          ],
        },
      });
      expect(status).toBe(422);
      expect(body.error.code).toBe('segregation_customer_to_house_forbidden');
    });
  });

  it('reads a committed transfer with its legs as decimal strings', async () => {
    const id = newId();
    const posted = await api.call('POST', '/v1/transfers', {
      key: api.keys.operator,
      json: deposit(id, '0.00000001'),
    });
    const { status, body } = await api.call('GET', `/v1/transfers/${id}`, { key: api.keys.auditor });
    expect(status).toBe(200);
    expect(body).toEqual({
      type: 'transfer',
      id,
      seq: posted.body.seq,
      kind: 'deposit',
      reference: 'tx-abc',
      instructedBy: null,
      legs: [
        { debit: 'seg:derivatives:BTC', credit: 'alice:derivatives:BTC', asset: 'BTC', amount: '0.00000001' },
      ],
      hold: null,
    });
  });
});
