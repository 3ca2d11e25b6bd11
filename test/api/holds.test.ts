// Proves holds over HTTP: placing one (a transfer with `hold`), reading it and the pending list,
// posting it in part, voiding it, the hold_* refusals (already posted, expired, unknown, over-posting),
// and that a customer key settles only holds it placed. Refusals leave the books unchanged.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../support/stores.ts';
import { type ApiHarness, newId, openApiHarness } from './harness.ts';

describe.each(STORE_KINDS)('holds on %s', (kind) => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind);
  });
  afterEach(async () => {
    await api.close();
  });

  const expiresAt = () => new Date(api.nowMs + 60_000).toISOString();

  /** Alice places a withdrawal hold of `amount` BTC with her own key; resolves with its id. */
  const placeHold = async (key: string, amount: string, customer = 'alice'): Promise<string> => {
    const id = newId();
    const { status } = await api.call('POST', '/v1/transfers', {
      key,
      json: {
        id,
        kind: 'withdrawal',
        reference: 'withdrawal-request',
        instructedBy: customer,
        legs: [{ debit: `${customer}:derivatives:BTC`, credit: 'seg:derivatives:BTC', asset: 'BTC', amount }],
        hold: { expiresAt: expiresAt() },
      },
    });
    expect(status).toBe(201);
    return id;
  };

  const aliceAccount = async () =>
    (await api.call('GET', '/v1/accounts/alice:derivatives:BTC', { key: api.keys.alice })).body.balances;

  it('places a hold that reserves the available balance, and lists it as pending', async () => {
    const holdId = await placeHold(api.keys.alice, '0.5');
    expect(await aliceAccount()).toMatchObject({ balance: '2', available: '1.5', debitsPending: '0.5' });
    const hold = await api.call('GET', `/v1/holds/${holdId}`, { key: api.keys.alice });
    expect(hold.status).toBe(200);
    expect(hold.body).toMatchObject({
      id: holdId,
      kind: 'withdrawal',
      amount: '0.5',
      status: 'pending',
      expiresAt: expiresAt(),
    });
    const pending = await api.call('GET', '/v1/holds?status=pending', { key: api.keys.operator });
    expect(pending.body.holds.map((item: { id: string }) => item.id)).toEqual([holdId]);
    const bobsView = await api.call('GET', '/v1/holds', { key: api.keys.bob });
    expect(bobsView.body.holds).toEqual([]);
  });

  it('posts part of a hold, releasing the rest; a second post is hold_already_posted', async () => {
    const holdId = await placeHold(api.keys.alice, '0.5');
    const postId = newId();
    const posted = await api.call('POST', `/v1/holds/${holdId}/post`, {
      key: api.keys.alice,
      json: { id: postId, amount: '0.2' },
    });
    expect(posted.status).toBe(201);
    expect(await aliceAccount()).toMatchObject({ balance: '1.8', available: '1.8', debitsPending: '0' });
    const hold = await api.call('GET', `/v1/holds/${holdId}`, { key: api.keys.operator });
    expect(hold.body).toMatchObject({ status: 'posted', amount: '0.2' });
    const entry = await api.call('GET', `/v1/transfers/${postId}`, { key: api.keys.alice });
    expect(entry.body).toEqual({
      type: 'post_hold',
      id: postId,
      seq: posted.body.seq,
      holdId,
      amount: '0.2',
    });
    const retry = await api.call('POST', `/v1/holds/${holdId}/post`, {
      key: api.keys.alice,
      json: { id: postId, amount: '0.2' },
    });
    expect(retry.status).toBe(200);
    expect(retry.body.duplicate).toBe(true);
    await api.expectUnchanged(async () => {
      const again = await api.call('POST', `/v1/holds/${holdId}/post`, {
        key: api.keys.operator,
        json: { id: newId() },
      });
      expect(again.status).toBe(422);
      expect(again.body.error.code).toBe('hold_already_posted');
    });
  });

  it('voids a hold, releasing it in full; posting it afterwards is hold_already_voided', async () => {
    const holdId = await placeHold(api.keys.alice, '0.5');
    const voided = await api.call('POST', `/v1/holds/${holdId}/void`, {
      key: api.keys.alice,
      json: { id: newId() },
    });
    expect(voided.status).toBe(201);
    expect(await aliceAccount()).toMatchObject({ balance: '2', available: '2', debitsPending: '0' });
    await api.expectUnchanged(async () => {
      const post = await api.call('POST', `/v1/holds/${holdId}/post`, {
        key: api.keys.operator,
        json: { id: newId() },
      });
      expect(post.status).toBe(422);
      expect(post.body.error.code).toBe('hold_already_voided');
    });
  });

  it('422 hold_post_amount_exceeds_pending when posting more than reserved', async () => {
    const holdId = await placeHold(api.keys.alice, '0.5');
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', `/v1/holds/${holdId}/post`, {
        key: api.keys.operator,
        json: { id: newId(), amount: '0.6' },
      });
      expect(status).toBe(422);
      expect(body.error.code).toBe('hold_post_amount_exceeds_pending');
    });
  });

  it('422 hold_not_found for an unknown hold', async () => {
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', `/v1/holds/${newId()}/void`, {
        key: api.keys.operator,
        json: { id: newId() },
      });
      expect(status).toBe(422);
      expect(body.error.code).toBe('hold_not_found');
    });
  });

  it('422 hold_expiry_not_in_future for a hold that would already be expired', async () => {
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', '/v1/transfers', {
        key: api.keys.operator,
        json: {
          id: newId(),
          kind: 'withdrawal',
          reference: 'withdrawal-request',
          instructedBy: 'alice',
          legs: [
            { debit: 'alice:derivatives:BTC', credit: 'seg:derivatives:BTC', asset: 'BTC', amount: '0.1' },
          ],
          hold: { expiresAt: new Date(api.nowMs - 1).toISOString() },
        },
      });
      expect(status).toBe(422);
      expect(body.error.code).toBe('hold_expiry_not_in_future');
    });
  });

  it('a hold past its expiry is expired by the next batch and cannot be posted', async () => {
    const holdId = await placeHold(api.keys.alice, '0.5');
    api.nowMs += 120_000;
    const post = await api.call('POST', `/v1/holds/${holdId}/post`, {
      key: api.keys.alice,
      json: { id: newId() },
    });
    expect(post.status).toBe(422);
    expect(post.body.error.code).toBe('hold_expired');
    expect(await aliceAccount()).toMatchObject({ balance: '2', available: '2', debitsPending: '0' });
  });

  it('403 forbidden_not_own_account when a customer settles a hold it did not place', async () => {
    const holdId = await placeHold(api.keys.bob, '0.5', 'bob');
    await api.expectUnchanged(async () => {
      for (const action of ['post', 'void']) {
        const { status, body } = await api.call('POST', `/v1/holds/${holdId}/${action}`, {
          key: api.keys.alice,
          json: { id: newId() },
        });
        expect(status).toBe(403);
        expect(body.error.code).toBe('forbidden_not_own_account');
      }
      const read = await api.call('GET', `/v1/holds/${holdId}`, { key: api.keys.alice });
      expect(read.status).toBe(403);
      expect(read.body.error.code).toBe('forbidden_not_own_account');
    });
  });
});
