// Proves infrastructure failures are not rejections: a storage failure stops the writer and answers
// 503 service_unavailable (and keeps answering it), and an unexpected error answers 500 internal_error;
// both are logged.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StoreCommitError } from '../../src/store/errors.ts';
import { STORE_KINDS } from '../support/stores.ts';
import { type ApiHarness, newId, openApiHarness } from './harness.ts';

describe.each(STORE_KINDS)('infrastructure failures on %s', (kind) => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind);
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await api.close();
  });

  it('503 service_unavailable when a commit fails, then for every read', async () => {
    api.store.commit = async () => {
      throw new StoreCommitError('disk full');
    };
    const posted = await api.call('POST', '/v1/transfers', {
      key: api.keys.operator,
      json: {
        id: newId(),
        kind: 'deposit',
        reference: 'tx',
        legs: [{ debit: 'seg:derivatives:BTC', credit: 'alice:derivatives:BTC', asset: 'BTC', amount: '1' }],
      },
    });
    expect(posted.status).toBe(503);
    expect(posted.body.error.code).toBe('service_unavailable');
    const health = await api.call('GET', '/healthz');
    expect(health.status).toBe(503);
    expect(health.body.error.code).toBe('service_unavailable');
    expect(console.error).toHaveBeenCalled();
  });

  it('500 internal_error for an unexpected error', async () => {
    api.store.findApiKeyBySecretHash = async () => {
      throw new TypeError('a bug');
    };
    const { status, body } = await api.call('GET', '/v1/assets', { key: api.keys.operator });
    expect(status).toBe(500);
    expect(body).toEqual({ error: { code: 'internal_error', message: 'internal error' } });
    expect(console.error).toHaveBeenCalled();
  });
});
