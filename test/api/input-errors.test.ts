// Proves that malformed input is refused with a 400-class code before the ledger sees it: malformed
// JSON, schema failures, each amount_* code, bad ids and media types; and unknown assets and accounts
// with their 422 codes. Every case asserts the books are unchanged.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REQUEST_BODY_BYTES_MAX } from '../../src/api/app.ts';
import { STORE_KINDS } from '../support/stores.ts';
import { type ApiHarness, newId, openApiHarness } from './harness.ts';

describe.each(STORE_KINDS)('input errors on %s', (kind) => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind);
  });
  afterEach(async () => {
    await api.close();
  });

  const deposit = (amount: string, overrides: Record<string, unknown> = {}) => ({
    id: newId(),
    kind: 'deposit',
    reference: 'tx-1',
    legs: [{ debit: 'seg:derivatives:BTC', credit: 'alice:derivatives:BTC', asset: 'BTC', amount }],
    ...overrides,
  });

  const expectRefused = async (json: unknown, status: number, code: string, path = '/v1/transfers') => {
    await api.expectUnchanged(async () => {
      const response = await api.call('POST', path, { key: api.keys.operator, json });
      expect(response.body.error.code).toBe(code);
      expect(response.status).toBe(status);
    });
  };

  it('400 request_invalid for malformed JSON', async () => {
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', '/v1/transfers', {
        key: api.keys.operator,
        raw: '{"id": ',
      });
      expect(status).toBe(400);
      expect(body.error.code).toBe('request_invalid');
    });
  });

  it('400 request_invalid with the zod issues for a body that fails its schema', async () => {
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', '/v1/transfers', {
        key: api.keys.operator,
        json: { ...deposit('1'), kind: 'gift', legs: 'none' },
      });
      expect(status).toBe(400);
      expect(body.error.code).toBe('request_invalid');
      const paths = body.error.details.issues.map((issue: { path: string }) => issue.path);
      expect(paths).toEqual(expect.arrayContaining(['kind', 'legs']));
    });
  });

  it('400 request_invalid for a JSON number where an amount string belongs', async () => {
    const json = deposit('1');
    (json.legs[0] as Record<string, unknown>).amount = 1.5;
    await expectRefused(json, 400, 'request_invalid');
  });

  it('415 media_type_unsupported for a body that is not JSON', async () => {
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', '/v1/transfers', {
        key: api.keys.operator,
        raw: 'id=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(status).toBe(415);
      expect(body.error.code).toBe('media_type_unsupported');
    });
  });

  it('413 request_too_large for a body over the limit', async () => {
    await api.expectUnchanged(async () => {
      const padding = 'x'.repeat(REQUEST_BODY_BYTES_MAX);
      const { status, body } = await api.call('POST', '/v1/transfers', {
        key: api.keys.operator,
        json: { ...deposit('1'), reference: padding },
      });
      expect(status).toBe(413);
      expect(body.error.code).toBe('request_too_large');
    });
  });

  it.each([
    ['amount_invalid', '1,5'],
    ['amount_invalid', '1e3'],
    ['amount_too_many_decimals', '0.000000001'],
    ['amount_not_positive', '0'],
    ['amount_not_positive', '-1'],
    ['amount_overflow', '4000000000000000000000000000000'],
  ])('400 %s for amount %s', async (code, amount) => {
    await expectRefused(deposit(amount), 400, code);
  });

  it('400 amount_too_many_decimals when posting a hold with more decimals than the asset', async () => {
    const holdId = newId();
    const placed = await api.call('POST', '/v1/transfers', {
      key: api.keys.operator,
      json: { ...deposit('1', { id: holdId }), hold: { expiresAt: '2031-01-01T00:00:00Z' } },
    });
    expect(placed.status).toBe(201);
    await expectRefused(
      { id: newId(), amount: '0.000000001' },
      400,
      'amount_too_many_decimals',
      `/v1/holds/${holdId}/post`,
    );
  });

  it('400 transfer_id_invalid for an id that is neither 32 hex digits nor a UUID', async () => {
    await expectRefused(deposit('1', { id: 'not-an-id' }), 400, 'transfer_id_invalid');
    await expectRefused(deposit('1', { id: '0'.repeat(32) }), 400, 'transfer_id_invalid');
  });

  it('422 asset_unknown for a leg in an unregistered asset', async () => {
    const json = deposit('1');
    json.legs[0]!.asset = 'DOGE';
    await expectRefused(json, 422, 'asset_unknown');
  });

  it('422 asset_unknown when opening an account in an unregistered asset', async () => {
    await expectRefused(
      {
        id: 'house:custody:doge',
        owner: { type: 'house' },
        asset: 'DOGE',
        segregationClass: 'house_custody',
      },
      422,
      'asset_unknown',
      '/v1/accounts',
    );
  });

  it('422 account_not_found for a leg naming an unknown account', async () => {
    const json = deposit('1');
    json.legs[0]!.credit = 'nobody:derivatives:BTC';
    await expectRefused(json, 422, 'account_not_found');
  });

  it('404 not_found for GETs of unknown ids', async () => {
    for (const path of [
      '/v1/accounts/nobody',
      '/v1/customers/nobody',
      `/v1/transfers/${newId()}`,
      `/v1/holds/${newId()}`,
    ]) {
      const { status, body } = await api.call('GET', path, { key: api.keys.operator });
      expect(status).toBe(404);
      expect(body.error.code).toBe('not_found');
    }
  });

  it('409 *_already_exists for a registry entry redefined', async () => {
    await expectRefused({ code: 'BTC', scale: 6 }, 409, 'asset_already_exists', '/v1/assets');
    await expectRefused(
      { id: 'alice', name: 'Someone Else' },
      409,
      'customer_already_exists',
      '/v1/customers',
    );
  });
});
