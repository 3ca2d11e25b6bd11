// Proves POST /v1/transfers/batch: one result per item in request order (committed, duplicate or
// refused), refused items changing nothing, and 413 batch_too_large above BATCH_COMMANDS_MAX items.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BATCH_COMMANDS_MAX } from '../../src/core/ledger/limits.ts';
import { STORE_KINDS } from '../support/stores.ts';
import { type ApiHarness, newId, openApiHarness } from './harness.ts';

describe.each(STORE_KINDS)('transfer batches on %s', (kind) => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind);
  });
  afterEach(async () => {
    await api.close();
  });

  const deposit = (id: string, amount: string, credit = 'alice:derivatives:BTC') => ({
    id,
    kind: 'deposit',
    reference: 'tx-batch',
    legs: [{ debit: 'seg:derivatives:BTC', credit, asset: 'BTC', amount }],
  });

  it('answers each item by index and commits the accepted ones in one batch', async () => {
    const committedId = newId();
    expect(
      (await api.call('POST', '/v1/transfers', { key: api.keys.operator, json: deposit(committedId, '1') }))
        .status,
    ).toBe(201);
    const transfers = [
      deposit(newId(), '0.1'),
      deposit(newId(), '0.1.1'),
      deposit(committedId, '1'),
      deposit(newId(), '0.2', 'nobody:derivatives:BTC'),
      deposit(newId(), '0.3', 'bob:derivatives:BTC'),
    ];
    const { status, body } = await api.call('POST', '/v1/transfers/batch', {
      key: api.keys.operator,
      json: { transfers },
    });
    expect(status).toBe(200);
    const [first, invalid, duplicate, missing, last] = body.results;
    expect(first).toMatchObject({ index: 0, ok: true, duplicate: false });
    expect(invalid).toMatchObject({ index: 1, ok: false, error: { code: 'amount_invalid' } });
    expect(duplicate).toMatchObject({ index: 2, ok: true, duplicate: true });
    expect(missing).toMatchObject({ index: 3, ok: false, error: { code: 'account_not_found' } });
    expect(last).toMatchObject({ index: 4, ok: true, duplicate: false, seq: first.seq });
    expect(first.seq).toBe(await api.store.readHeadSeq());
    const alice = await api.call('GET', '/v1/accounts/alice:derivatives:BTC', { key: api.keys.operator });
    expect(alice.body.balances.balance).toBe('3.1');
    const bob = await api.call('GET', '/v1/accounts/bob:derivatives:BTC', { key: api.keys.operator });
    expect(bob.body.balances.balance).toBe('3.3');
  });

  it('a batch of refused items changes nothing', async () => {
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', '/v1/transfers/batch', {
        key: api.keys.operator,
        json: { transfers: [deposit(newId(), '0'), deposit('xyz', '1')] },
      });
      expect(status).toBe(200);
      expect(body.results.map((result: { error: { code: string } }) => result.error.code)).toEqual([
        'amount_not_positive',
        'transfer_id_invalid',
      ]);
    });
  });

  it(`413 batch_too_large above ${BATCH_COMMANDS_MAX} items`, async () => {
    const transfers = Array.from({ length: BATCH_COMMANDS_MAX + 1 }, () => deposit(newId(), '0.00000001'));
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', '/v1/transfers/batch', {
        key: api.keys.operator,
        json: { transfers },
      });
      expect(status).toBe(413);
      expect(body.error).toMatchObject({
        code: 'batch_too_large',
        details: { maxItems: BATCH_COMMANDS_MAX },
      });
    });
  });

  it(`accepts exactly ${BATCH_COMMANDS_MAX} items`, async () => {
    const transfers = Array.from({ length: BATCH_COMMANDS_MAX }, () => deposit(newId(), '0.00000001'));
    const { status, body } = await api.call('POST', '/v1/transfers/batch', {
      key: api.keys.operator,
      json: { transfers },
    });
    expect(status).toBe(200);
    expect(body.results).toHaveLength(BATCH_COMMANDS_MAX);
    expect(body.results.every((result: { ok: boolean }) => result.ok)).toBe(true);
  });
});
