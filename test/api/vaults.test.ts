// Proves the vault registry over HTTP on both stores: registering (idempotent), reading it (customers too:
// it says where their collateral is), and the refusals that keep custody backed by real, acknowledged
// vaults — each refusal with its code and status, and nothing changed.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../support/stores.ts';
import { type ApiHarness, openApiHarness } from './harness.ts';

const NEW_VAULT = {
  id: 'vault:derivatives:hot',
  chainId: 31_337,
  address: '0x1111111111111111111111111111111111111111',
  assets: [{ asset: 'BTC', token: '0x2222222222222222222222222222222222222222' }],
  kind: 'customer_omnibus',
  customerId: null,
  accountClass: 'derivatives',
  temperature: 'hot',
  custodian: 'Hot Wallet Custodian',
  acknowledgment: { acknowledgedAtMs: 1, documentReference: 'ack-hot-1' },
};

describe.each(STORE_KINDS)('vaults on %s', (kind) => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind);
  });
  afterEach(async () => {
    await api.close();
  });

  it('registers a vault once, lists it and shows it to customers', async () => {
    const first = await api.call('POST', '/v1/vaults', { key: api.keys.operator, json: NEW_VAULT });
    expect(first.status).toBe(201);
    const again = await api.call('POST', '/v1/vaults', { key: api.keys.operator, json: NEW_VAULT });
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
    const listed = await api.call('GET', '/v1/vaults', { key: api.keys.alice });
    expect(listed.status).toBe(200);
    expect(listed.body.vaults.map((vault: { id: string }) => vault.id)).toContain(NEW_VAULT.id);
    const one = await api.call('GET', `/v1/vaults/${encodeURIComponent(NEW_VAULT.id)}`, {
      key: api.keys.auditor,
    });
    expect(one.body).toEqual(NEW_VAULT);
    const opened = await api.call('POST', '/v1/accounts', {
      key: api.keys.operator,
      json: {
        id: 'seg:hot:BTC',
        owner: { type: 'house' },
        asset: 'BTC',
        segregationClass: 'segregated_custody',
        accountClass: 'derivatives',
        vaultId: NEW_VAULT.id,
      },
    });
    expect(opened.status).toBe(201);
    const account = await api.call('GET', '/v1/accounts/seg:hot:BTC', { key: api.keys.operator });
    expect(account.body.vaultId).toBe(NEW_VAULT.id);
  });

  it.each([
    ['vault_address_invalid', 400, '/v1/vaults', { ...NEW_VAULT, address: '0x1234' }],
    ['vault_acknowledgment_missing', 422, '/v1/vaults', { ...NEW_VAULT, acknowledgment: null }],
    [
      'vault_already_exists',
      409,
      '/v1/vaults',
      { ...NEW_VAULT, id: 'vault:derivatives', custodian: 'Other' },
    ],
    [
      'account_vault_required',
      422,
      '/v1/accounts',
      {
        id: 'seg:x:BTC',
        owner: { type: 'house' },
        asset: 'BTC',
        segregationClass: 'segregated_custody',
        accountClass: 'derivatives',
      },
    ],
    [
      'vault_not_found',
      422,
      '/v1/accounts',
      {
        id: 'seg:x:BTC',
        owner: { type: 'house' },
        asset: 'BTC',
        segregationClass: 'segregated_custody',
        accountClass: 'derivatives',
        vaultId: 'vault:none',
      },
    ],
  ] as const)('refuses with %s (%i) and changes nothing', async (code, status, path, json) => {
    await api.expectUnchanged(async () => {
      const response = await api.call('POST', path, { key: api.keys.operator, json });
      expect(response.body.error.code).toBe(code);
      expect(response.status).toBe(status);
    });
  });

  it('lets only operators register vaults', async () => {
    const response = await api.call('POST', '/v1/vaults', { key: api.keys.auditor, json: NEW_VAULT });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('forbidden_role');
  });
});
