// Proves the custody setup, deposit and hot-wallet routes over HTTP on SQLite and PostgreSQL, in-process:
// policies installed and read back (a platform-only quorum refused with 422 and its explanation), the
// allowlist, the signer registry, the hot-wallet plan from the ledger's custody accounts, unattributed
// deposits, every refusal with its code and nothing changed, and 503 custody_unavailable without custody.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DepositCrediting, UnattributedDeposit } from '../../src/service/custody/deposit-crediting.ts';
import { PLATFORM_PARTY_ID, parties } from '../support/custody-core.ts';
import { STORE_KINDS } from '../support/stores.ts';
import { ALLOWED_DESTINATION, VAULT_ID } from '../support/withdrawals.ts';
import { type ApiHarness, type CallResult, openApiHarness } from './harness.ts';

const POLICY_PATH = `/v1/vaults/${VAULT_ID}/policy`;
const ALLOWLIST_PATH = `/v1/vaults/${VAULT_ID}/allowlist`;

/** The standard policy (test/support/withdrawals.ts) in its JSON form. */
const STANDARD_POLICY_JSON = {
  id: 'customer-withdrawals',
  rules: [
    {
      id: 'outside-allowlist',
      description: 'nothing leaves for an address that is not allowlisted',
      match: { destination: 'not_allowlisted' },
      action: { type: 'deny' },
    },
    {
      id: 'large-timelocked',
      description: 'large withdrawals wait an hour',
      match: { amountMinMinor: '500000000' },
      action: {
        type: 'timelock',
        delaySeconds: 3600,
        approverGroups: [
          { id: 'customer', threshold: 1, role: 'customer' },
          { id: 'trustee', threshold: 1, role: 'trustee' },
        ],
      },
    },
    {
      id: 'allowlisted',
      description: 'customer and trustee approve withdrawals to allowlisted addresses',
      match: { destination: 'allowlisted' },
      action: {
        type: 'allow',
        approverGroups: [
          { id: 'customer', threshold: 1, role: 'customer' },
          { id: 'trustee', threshold: 1, role: 'trustee' },
        ],
      },
    },
  ],
  allowlist: { required: false, cooldownMs: 0 },
  amountLimits: [],
  velocityLimits: [],
};

const PLATFORM_ONLY_POLICY = {
  ...STANDARD_POLICY_JSON,
  id: 'ops-only',
  rules: [
    {
      id: 'ops-only',
      description: 'two ops keys',
      match: {},
      action: { type: 'allow', approverGroups: [{ id: 'ops', threshold: 2, role: 'platform' }] },
    },
  ],
};

const HOT_VAULT = {
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

function expectCode(response: CallResult, status: number, code: string): void {
  expect(response.body?.error?.code, JSON.stringify(response.body)).toBe(code);
  expect(response.status).toBe(status);
}

/** A deposit crediting stand-in listing one unattributed deposit (the real one needs a chain). */
function fakeDeposits(): DepositCrediting {
  const listed: UnattributedDeposit = {
    deposit: {
      transferId: 'd'.repeat(32),
      chainId: 31_337,
      token: `0x${'1'.padStart(40, 'a')}`,
      vault: `0x${'1'.padStart(40, 'c')}`,
      from: `0x${'9'.repeat(40)}`,
      amountMinor: 25_000_000n,
      blockNumber: 12n,
      blockHash: `0x${'0'.repeat(64)}`,
      transactionHash: `0x${'7'.repeat(64)}`,
      logIndex: 3,
    },
    reason: 'sender_unregistered',
    customerId: null,
  };
  const assigned = new Map<string, string>();
  const fake = {
    assigned,
    listUnattributed: () => [listed],
    listRejected: () => [],
    assign(transferId: string, customerId: string) {
      if (transferId !== listed.deposit.transferId) {
        return {
          ok: false,
          error: { code: 'deposit_not_unattributed', message: 'not listed', details: { transferId } },
        };
      }
      assigned.set(transferId, customerId);
      return { ok: true };
    },
  };
  return fake as unknown as DepositCrediting;
}

describe.each(STORE_KINDS)('custody setup routes on %s', (kind) => {
  let api: ApiHarness;
  let deposits: DepositCrediting;
  beforeEach(async () => {
    deposits = fakeDeposits();
    api = await openApiHarness(kind, { custody: true, deposits });
  });
  afterEach(async () => {
    await api.close();
  });

  it('reads the installed policy back in its JSON form and treats a re-install as a duplicate', async () => {
    const read = await api.call('GET', POLICY_PATH, { key: api.keys.auditor });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ vaultId: VAULT_ID, policy: STANDARD_POLICY_JSON });
    const again = await api.call('PUT', POLICY_PATH, { key: api.keys.operator, json: STANDARD_POLICY_JSON });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ duplicate: true });
    const stricter = {
      ...STANDARD_POLICY_JSON,
      id: 'stricter',
      allowlist: { required: true, cooldownMs: 60_000 },
    };
    const installed = await api.call('PUT', POLICY_PATH, { key: api.keys.operator, json: stricter });
    expect(installed.status).toBe(201);
    expect((await api.call('GET', POLICY_PATH, { key: api.keys.operator })).body.policy).toEqual(stricter);
  });

  it('refuses a policy under which the platform alone reaches quorum, with 422 and its explanation', async () => {
    await api.expectUnchanged(async () => {
      const refused = await api.call('PUT', POLICY_PATH, {
        key: api.keys.operator,
        json: PLATFORM_ONLY_POLICY,
      });
      expectCode(refused, 422, 'policy_platform_unilateral_quorum');
      expect(refused.body.error.message).toMatch(/ops-only/);
      expect(refused.body.error.details).toMatchObject({ ruleIndex: 0, ruleId: 'ops-only' });
    });
    expect((await api.call('GET', POLICY_PATH, { key: api.keys.operator })).body.policy.id).toBe(
      'customer-withdrawals',
    );
  });

  it('refuses malformed and unsatisfiable policies with their codes and changes nothing', async () => {
    const rule = STANDARD_POLICY_JSON.rules[2]!;
    const cases: [unknown, number, string, string?][] = [
      [{ ...STANDARD_POLICY_JSON, rules: [rule, rule] }, 400, 'policy_rule_id_duplicate'],
      [{ ...STANDARD_POLICY_JSON, id: 'has space' }, 400, 'policy_id_invalid'],
      [{ ...STANDARD_POLICY_JSON, rules: [] }, 400, 'policy_rules_invalid'],
      [
        { ...STANDARD_POLICY_JSON, allowlist: { required: false, cooldownMs: -1 } },
        400,
        'policy_allowlist_invalid',
      ],
      [
        { ...STANDARD_POLICY_JSON, rules: [{ ...rule, action: { type: 'allow', approverGroups: [] } }] },
        400,
        'policy_approver_groups_invalid',
      ],
      [
        {
          ...STANDARD_POLICY_JSON,
          rules: [
            {
              ...rule,
              action: {
                type: 'allow',
                approverGroups: [{ id: 'listed', threshold: 1, signers: [`0x${'4'.repeat(40)}`] }],
              },
            },
          ],
        },
        422,
        'policy_signer_unregistered',
      ],
      [
        {
          ...STANDARD_POLICY_JSON,
          rules: [
            {
              ...rule,
              action: {
                type: 'allow',
                approverGroups: [
                  { id: 'trustee', threshold: 2, role: 'trustee' },
                  { id: 'customer', threshold: 1, role: 'customer' },
                ],
              },
            },
          ],
        },
        422,
        'policy_group_unsatisfiable',
      ],
      [
        { ...STANDARD_POLICY_JSON, amountLimits: [{ asset: 'BTC', maxAmountMinor: 1 }] },
        400,
        'request_invalid',
      ],
      [{ ...STANDARD_POLICY_JSON, surprise: true }, 400, 'request_invalid'],
      [STANDARD_POLICY_JSON, 422, 'custody_vault_unknown', '/v1/vaults/vault:nowhere/policy'],
    ];
    await api.expectUnchanged(async () => {
      for (const [json, status, code, path] of cases) {
        expectCode(
          await api.call('PUT', path ?? POLICY_PATH, { key: api.keys.operator, json }),
          status,
          code,
        );
      }
      expectCode(
        await api.call('GET', '/v1/vaults/vault:spot/policy', { key: api.keys.operator }),
        404,
        'not_found',
      );
      expectCode(
        await api.call('GET', '/v1/vaults/vault:nowhere/policy', { key: api.keys.auditor }),
        404,
        'not_found',
      );
      expectCode(await api.call('GET', POLICY_PATH, { key: api.keys.alice }), 403, 'forbidden_role');
      expectCode(
        await api.call('PUT', POLICY_PATH, { key: api.keys.auditor, json: STANDARD_POLICY_JSON }),
        403,
        'forbidden_role',
      );
    });
  });

  it('adds allowlist entries once and lists them with their time', async () => {
    const listed = await api.call('GET', ALLOWLIST_PATH, { key: api.keys.auditor });
    expect(listed.body).toEqual({
      vaultId: VAULT_ID,
      entries: [{ address: ALLOWED_DESTINATION, addedAt: new Date(api.nowMs).toISOString() }],
    });
    const address = '0x000000000000000000000000000000000000F00D';
    const added = await api.call('POST', ALLOWLIST_PATH, { key: api.keys.operator, json: { address } });
    expect(added.status).toBe(201);
    const again = await api.call('POST', ALLOWLIST_PATH, { key: api.keys.operator, json: { address } });
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
    const entries = (await api.call('GET', ALLOWLIST_PATH, { key: api.keys.operator })).body.entries;
    expect(entries.map((entry: { address: string }) => entry.address)).toEqual([
      ALLOWED_DESTINATION,
      address.toLowerCase(),
    ]);
    await api.expectUnchanged(async () => {
      expectCode(
        await api.call('POST', ALLOWLIST_PATH, { key: api.keys.operator, json: { address: '0xnot' } }),
        400,
        'allowlist_address_invalid',
      );
      expectCode(
        await api.call('POST', '/v1/vaults/vault:nowhere/allowlist', {
          key: api.keys.operator,
          json: { address },
        }),
        422,
        'custody_vault_unknown',
      );
      expectCode(
        await api.call('GET', '/v1/vaults/vault:nowhere/allowlist', { key: api.keys.operator }),
        404,
        'not_found',
      );
      expectCode(
        await api.call('POST', ALLOWLIST_PATH, { key: api.keys.alice, json: { address } }),
        403,
        'forbidden_role',
      );
    });
  });

  it('shows the signer registry and refuses to set it twice', async () => {
    const registry = await api.call('GET', '/v1/custody/signers', { key: api.keys.auditor });
    expect(registry.status).toBe(200);
    expect(registry.body.platformPartyId).toBe(PLATFORM_PARTY_ID);
    expect(registry.body.signers).toContainEqual({
      address: parties.trustee.address,
      role: 'trustee',
      partyId: 'trustee-co',
      label: 'trustee',
    });
    await api.expectUnchanged(async () => {
      const input = { ...parties.trustee.input };
      expectCode(
        await api.call('POST', '/v1/custody/signers', {
          key: api.keys.operator,
          json: { platformPartyId: PLATFORM_PARTY_ID, signers: [input] },
        }),
        409,
        'custody_signers_already_registered',
      );
      expectCode(
        await api.call('POST', '/v1/custody/signers', {
          key: api.keys.operator,
          json: {
            platformPartyId: PLATFORM_PARTY_ID,
            signers: [{ ...input, address: parties.trustee.address }],
          },
        }),
        400,
        'request_invalid',
      );
      expectCode(
        await api.call('GET', '/v1/custody/signers', { key: api.keys.alice }),
        403,
        'forbidden_role',
      );
    });
  });

  it('plans the hot wallet from the custody accounts, their vaults and customer liabilities', async () => {
    const plan = await api.call('GET', '/v1/custody/hot-wallet-plan', { key: api.keys.auditor });
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({ capBps: 200, floorBps: 50 });
    // Every book vault is cold: hot is below the floor, so each asset is topped up to its cap.
    expect(plan.body.positions).toEqual([
      { asset: 'BTC', customerLiabilities: '5', hot: '0', cold: '6', cap: '0.1', floor: '0.025' },
      { asset: 'USDC', customerLiabilities: '1000', hot: '0', cold: '1000', cap: '20', floor: '5' },
    ]);
    expect(plan.body.instructions).toEqual([
      { asset: 'BTC', direction: 'cold_to_hot', amount: '0.1', cap: '0.1', floor: '0.025', hotAfter: '0.1' },
      { asset: 'USDC', direction: 'cold_to_hot', amount: '20', cap: '20', floor: '5', hotAfter: '20' },
    ]);

    // Move 1 BTC into a hot customer vault: now hot is above the cap.
    const operator = api.keys.operator;
    expect((await api.call('POST', '/v1/vaults', { key: operator, json: HOT_VAULT })).status).toBe(201);
    const opened = await api.call('POST', '/v1/accounts', {
      key: operator,
      json: {
        id: 'seg:derivatives:BTC:hot',
        owner: { type: 'house' },
        asset: 'BTC',
        segregationClass: 'segregated_custody',
        accountClass: 'derivatives',
        vaultId: HOT_VAULT.id,
      },
    });
    expect(opened.status).toBe(201);
    const moved = await api.call('POST', '/v1/transfers', {
      key: operator,
      json: {
        id: 'b1'.repeat(16),
        kind: 'custody_rebalance',
        reference: 'rebalance-1',
        legs: [
          { debit: 'seg:derivatives:BTC:hot', credit: 'seg:derivatives:BTC', asset: 'BTC', amount: '1' },
        ],
      },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(201);
    const after = await api.call('GET', '/v1/custody/hot-wallet-plan?capBps=1000&floorBps=100', {
      key: operator,
    });
    expect(after.body.positions[0]).toEqual({
      asset: 'BTC',
      customerLiabilities: '5',
      hot: '1',
      cold: '5',
      cap: '0.5',
      floor: '0.05',
    });
    expect(after.body.instructions[0]).toEqual({
      asset: 'BTC',
      direction: 'hot_to_cold',
      amount: '0.5',
      cap: '0.5',
      floor: '0.05',
      hotAfter: '0.5',
    });

    for (const [query, status, code] of [
      ['capBps=10001', 400, 'hot_wallet_cap_bps_invalid'],
      ['capBps=100&floorBps=200', 400, 'hot_wallet_floor_bps_invalid'],
      ['capBps=-1', 400, 'request_invalid'],
    ] as const) {
      expectCode(
        await api.call('GET', `/v1/custody/hot-wallet-plan?${query}`, { key: operator }),
        status,
        code,
      );
    }
    expectCode(
      await api.call('GET', '/v1/custody/hot-wallet-plan', { key: api.keys.alice }),
      403,
      'forbidden_role',
    );
  });

  it('lists unattributed deposits at the asset scale and assigns one to a customer', async () => {
    const listed = await api.call('GET', '/v1/deposits/unattributed', { key: api.keys.auditor });
    expect(listed.status).toBe(200);
    expect(listed.body.deposits).toEqual([
      {
        transferId: 'd'.repeat(32),
        chainId: 31_337,
        vault: `0x${'1'.padStart(40, 'c')}`,
        token: `0x${'1'.padStart(40, 'a')}`,
        from: `0x${'9'.repeat(40)}`,
        asset: 'BTC',
        amount: '0.25',
        amountMinor: '25000000',
        blockNumber: '12',
        transactionHash: `0x${'7'.repeat(64)}`,
        logIndex: 3,
        reason: 'sender_unregistered',
        customerId: null,
      },
    ]);
    const assigned = await api.call('POST', `/v1/deposits/${'D'.repeat(32)}/assign`, {
      key: api.keys.operator,
      json: { customerId: 'alice' },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toEqual({ transferId: 'd'.repeat(32), customerId: 'alice' });
    expect((deposits as unknown as { assigned: Map<string, string> }).assigned.get('d'.repeat(32))).toBe(
      'alice',
    );
    await api.expectUnchanged(async () => {
      expectCode(
        await api.call('POST', `/v1/deposits/${'e'.repeat(32)}/assign`, {
          key: api.keys.operator,
          json: { customerId: 'alice' },
        }),
        422,
        'deposit_not_unattributed',
      );
      expectCode(
        await api.call('POST', '/v1/deposits/xyz/assign', {
          key: api.keys.operator,
          json: { customerId: 'alice' },
        }),
        400,
        'transfer_id_invalid',
      );
      expectCode(
        await api.call('POST', `/v1/deposits/${'d'.repeat(32)}/assign`, {
          key: api.keys.auditor,
          json: { customerId: 'alice' },
        }),
        403,
        'forbidden_role',
      );
    });
  });
});

describe.each(STORE_KINDS)('custody routes without custody services on %s', (kind) => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind);
  });
  afterEach(async () => {
    await api.close();
  });

  it('answers every custody route with 503 custody_unavailable, after authentication, and changes nothing', async () => {
    const routes: [string, string, unknown?][] = [
      ['POST', '/v1/withdrawals', {}],
      ['GET', '/v1/withdrawals'],
      ['GET', `/v1/withdrawals/0x${'a'.repeat(64)}`],
      ['POST', `/v1/withdrawals/0x${'a'.repeat(64)}/approvals`, { signatures: ['0x'] }],
      ['POST', `/v1/withdrawals/0x${'a'.repeat(64)}/execute`],
      ['POST', `/v1/withdrawals/0x${'a'.repeat(64)}/cancel`],
      ['GET', POLICY_PATH],
      ['PUT', POLICY_PATH, STANDARD_POLICY_JSON],
      ['GET', ALLOWLIST_PATH],
      ['POST', ALLOWLIST_PATH, { address: ALLOWED_DESTINATION }],
      ['GET', '/v1/custody/signers'],
      ['POST', '/v1/custody/signers', { platformPartyId: 'ops', signers: [] }],
      ['GET', '/v1/custody/hot-wallet-plan'],
      ['GET', '/v1/deposits/unattributed'],
      ['POST', `/v1/deposits/${'d'.repeat(32)}/assign`, { customerId: 'alice' }],
    ];
    await api.expectUnchanged(async () => {
      for (const [method, path, json] of routes) {
        const response = await api.call(
          method,
          path,
          json === undefined ? { key: api.keys.operator } : { key: api.keys.operator, json },
        );
        expect(response.body?.error?.code, `${method} ${path}`).toBe('custody_unavailable');
        expect(response.status).toBe(503);
        expect((await api.call(method, path)).status).toBe(401);
      }
    });
    // The rest of the API is unchanged.
    expect((await api.call('GET', '/v1/vaults', { key: api.keys.alice })).status).toBe(200);
  });
});

describe.each(STORE_KINDS)('deposit routes without deposit crediting on %s', (kind) => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind, { custody: true });
  });
  afterEach(async () => {
    await api.close();
  });

  it('answers 503 custody_unavailable for deposits while the withdrawal routes work', async () => {
    const response = await api.call('GET', '/v1/deposits/unattributed', { key: api.keys.operator });
    expectCode(response, 503, 'custody_unavailable');
    expect(response.body.error.details).toEqual({ service: 'deposits' });
    expect((await api.call('GET', '/v1/withdrawals', { key: api.keys.operator })).status).toBe(200);
  });
});
