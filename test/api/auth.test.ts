// Proves authentication and role checks: 401 `unauthorized` for a missing, malformed or unknown key,
// 403 `forbidden_role` for a role the route does not admit (an officer key authenticates but no ledger route
// admits it), and that none of them changes the books.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/service/api-keys.ts';
import { STORE_KINDS } from '../support/stores.ts';
import { type ApiHarness, newId, openApiHarness } from './harness.ts';

describe.each(STORE_KINDS)('auth on %s', (kind) => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind);
  });
  afterEach(async () => {
    await api.close();
  });

  const deposit = () => ({
    id: newId(),
    kind: 'deposit',
    reference: 'tx-1',
    legs: [{ debit: 'seg:derivatives:BTC', credit: 'alice:derivatives:BTC', asset: 'BTC', amount: '1' }],
  });

  it('401 unauthorized without an Authorization header', async () => {
    await api.expectUnchanged(async () => {
      const { status, body, headers } = await api.call('POST', '/v1/transfers', { json: deposit() });
      expect(status).toBe(401);
      expect(body.error.code).toBe('unauthorized');
      expect(headers.get('www-authenticate')).toMatch(/^Bearer/);
    });
  });

  it('401 unauthorized for a header that is not a bearer key', async () => {
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', '/v1/transfers', {
        json: deposit(),
        headers: { authorization: `Basic ${api.keys.operator}` },
      });
      expect(status).toBe(401);
      expect(body.error.code).toBe('unauthorized');
    });
  });

  it('401 unauthorized for an unknown key', async () => {
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', '/v1/transfers', {
        key: 'rf_operator_nope_nope',
        json: deposit(),
      });
      expect(status).toBe(401);
      expect(body.error.code).toBe('unauthorized');
    });
  });

  it('401 comes before input validation', async () => {
    const { status, body } = await api.call('POST', '/v1/transfers', { raw: '{not json' });
    expect(status).toBe(401);
    expect(body.error.code).toBe('unauthorized');
  });

  it('403 forbidden_role: an auditor cannot write', async () => {
    await api.expectUnchanged(async () => {
      for (const [path, json] of [
        ['/v1/transfers', deposit()],
        ['/v1/transfers/batch', { transfers: [deposit()] }],
        ['/v1/assets', { code: 'ETH', scale: 18 }],
        ['/v1/customers', { id: 'dave', name: 'Dave' }],
      ] as const) {
        const { status, body } = await api.call('POST', path, { key: api.keys.auditor, json });
        expect(status).toBe(403);
        expect(body.error.code).toBe('forbidden_role');
      }
    });
  });

  it('an auditor reads everything and may verify the journal', async () => {
    for (const path of [
      '/v1/accounts',
      '/v1/pools',
      '/v1/journal/head',
      '/v1/balances',
      '/v1/holds',
      '/v1/customers',
    ]) {
      expect((await api.call('GET', path, { key: api.keys.auditor })).status).toBe(200);
    }
    const verify = await api.call('POST', '/v1/journal/verify', { key: api.keys.auditor });
    expect(verify.status).toBe(200);
    expect(verify.body.ok).toBe(true);
  });

  it('403 forbidden_role: a customer cannot use operator routes', async () => {
    await api.expectUnchanged(async () => {
      for (const [method, path] of [
        ['GET', '/v1/pools'],
        ['GET', '/v1/journal/head'],
        ['POST', '/v1/journal/verify'],
        ['POST', '/v1/assets'],
        ['POST', '/v1/accounts'],
      ] as const) {
        const { status, body } = await api.call(
          method,
          path,
          method === 'GET' ? { key: api.keys.alice } : { key: api.keys.alice, json: {} },
        );
        expect(status).toBe(403);
        expect(body.error.code).toBe('forbidden_role');
      }
    });
  });

  it('403 forbidden_role: an officer key authenticates but may neither read nor write the ledger', async () => {
    const officer = (await createApiKey(api.store, 'officer', null)).secret;
    await api.expectUnchanged(async () => {
      for (const [method, path, json] of [
        ['GET', '/v1/accounts', undefined],
        ['GET', '/v1/pools', undefined],
        ['POST', '/v1/journal/verify', undefined],
        ['POST', '/v1/transfers', deposit()],
        ['POST', '/v1/customers', { id: 'dave', name: 'Dave' }],
      ] as const) {
        const { status, body } = await api.call(
          method,
          path,
          json === undefined ? { key: officer } : { key: officer, json },
        );
        expect(status).toBe(403);
        expect(body.error).toMatchObject({ code: 'forbidden_role', details: { role: 'officer' } });
      }
    });
  });

  it('403 forbidden_role: a customer may not post a kind other than withdrawal or internal_transfer', async () => {
    await api.expectUnchanged(async () => {
      const { status, body } = await api.call('POST', '/v1/transfers', {
        key: api.keys.alice,
        json: deposit(),
      });
      expect(status).toBe(403);
      expect(body.error.code).toBe('forbidden_role');
    });
  });
});
