// Proves the withdrawal routes over HTTP on SQLite and PostgreSQL, in-process, with a withdrawal service over
// a fake chain executor and the real trustee co-signer: the whole flow (request -> hold -> approvals ->
// execution -> hold posted, visible in GET /v1/holds/{id} and balances), the policy's explanation, a refused
// platform-only attempt, customer scoping, and every refusal answered with its code while nothing changes
// (books, stored balances and custody events).

import { sign } from 'viem/accounts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChainUnreachableError } from '../../src/chain/errors.ts';
import { parties, type TestParty } from '../support/custody-core.ts';
import { STORE_KINDS } from '../support/stores.ts';
import { ALLOWED_DESTINATION, FakeExecutor, OTHER_DESTINATION, VAULT_ID } from '../support/withdrawals.ts';
import { type ApiHarness, type CallResult, openApiHarness } from './harness.ts';

let requestCounter = 0;
/** A fresh request id: 0x and 64 hex digits, unique in this process. */
function newRequestId(): string {
  requestCounter += 1;
  return `0x${'5'.repeat(48)}${requestCounter.toString(16).padStart(16, '0')}`;
}

function signDigest(digest: string, who: TestParty): Promise<string> {
  return sign({ hash: digest as `0x${string}`, privateKey: who.key, to: 'hex' });
}

describe.each(STORE_KINDS)('withdrawal routes on %s', (kind) => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind, { custody: true });
  });
  afterEach(async () => {
    await api.close();
  });

  const inTwoHours = () => new Date(api.nowMs + 2 * 3_600_000).toISOString();
  const instruction = (overrides: Record<string, unknown> = {}) => ({
    requestId: newRequestId(),
    vaultId: VAULT_ID,
    asset: 'BTC',
    amount: '0.5',
    destination: ALLOWED_DESTINATION,
    expiresAt: inTwoHours(),
    ...overrides,
  });
  const request = async (overrides: Record<string, unknown> = {}, key = api.keys.alice) => {
    const response = await api.call('POST', '/v1/withdrawals', { key, json: instruction(overrides) });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.withdrawal;
  };
  const approve = (id: string, signatures: string[], key = api.keys.alice) =>
    api.call('POST', `/v1/withdrawals/${id}/approvals`, { key, json: { signatures } });
  const aliceBtc = async () =>
    (await api.call('GET', '/v1/accounts/alice:derivatives:BTC', { key: api.keys.alice })).body.balances;
  const expectCode = (response: CallResult, status: number, code: string) => {
    expect(response.body?.error?.code, JSON.stringify(response.body)).toBe(code);
    expect(response.status).toBe(status);
  };

  it('runs request -> hold -> approvals -> execute -> executed, with the hold posted in the books', async () => {
    const requested = await request();
    expect(requested).toMatchObject({
      vaultId: VAULT_ID,
      customerId: 'alice',
      asset: 'BTC',
      amount: '0.5',
      nonce: '0',
      state: 'awaiting_approvals',
      destination: ALLOWED_DESTINATION,
      decision: { outcome: 'allow', code: null, executableAt: null },
    });
    expect(requested.decision.explanation.matchedRule).toMatchObject({ id: 'allowlisted' });
    expect(requested.decision.explanation.reason).toMatch(/allowed by rule 2/);
    expect(requested.missingApprovals).toEqual([
      { groupId: 'customer', missing: 1 },
      { groupId: 'trustee', missing: 1 },
    ]);
    expect(requested.digest).toMatch(/^0x[0-9a-f]{64}$/);
    expect(requested.expiresAt).toBe(inTwoHours().replace(/\.\d{3}Z$/, '.000Z'));

    const hold = await api.call('GET', `/v1/holds/${requested.holdId}`, { key: api.keys.alice });
    expect(hold.body).toMatchObject({ status: 'pending', amount: '0.5', debit: 'alice:derivatives:BTC' });
    expect(await aliceBtc()).toMatchObject({ balance: '2', available: '1.5' });

    const half = await approve(requested.requestId, [await signDigest(requested.digest, parties.alice)]);
    expect(half.status).toBe(200);
    expect(half.body.withdrawal.missingApprovals).toEqual([{ groupId: 'trustee', missing: 1 }]);
    // The trustee's signature is verified like any other; the operator relays it here.
    const full = await approve(
      requested.requestId,
      [await signDigest(requested.digest, parties.trustee)],
      api.keys.operator,
    );
    expect(full.body).toMatchObject({
      duplicate: false,
      withdrawal: { state: 'approved', missingApprovals: [] },
    });
    expect(full.body.withdrawal.approvals.map((approval: { role: string }) => approval.role)).toEqual([
      'customer',
      'trustee',
    ]);

    const executed = await api.call('POST', `/v1/withdrawals/${requested.requestId}/execute`, {
      key: api.keys.operator,
    });
    expect(executed.status).toBe(200);
    expect(executed.body.withdrawal.state).toBe('executed');
    expect(executed.body.withdrawal.execution.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(executed.body.withdrawal.history.map((step: { state: string }) => step.state)).toEqual([
      'requested',
      'awaiting_approvals',
      'approved',
      'executing',
      'executed',
    ]);
    expect(api.custody?.executor.executed).toHaveLength(1);
    expect(
      (await api.call('GET', `/v1/holds/${requested.holdId}`, { key: api.keys.alice })).body.status,
    ).toBe('posted');
    expect(await aliceBtc()).toMatchObject({ balance: '1.5', available: '1.5' });

    const read = await api.call('GET', `/v1/withdrawals/${requested.requestId}`, { key: api.keys.auditor });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(executed.body.withdrawal);
    const listed = await api.call('GET', '/v1/withdrawals?state=executed', { key: api.keys.auditor });
    expect(listed.body.withdrawals.map((view: { requestId: string }) => view.requestId)).toEqual([
      requested.requestId,
    ]);
    // Retries are idempotent: the same instruction, approvals already counted.
    const retried = await api.call('POST', `/v1/withdrawals/${requested.requestId}/execute`, {
      key: api.keys.operator,
    });
    expectCode(retried, 422, 'withdrawal_not_approved');
  });

  it('answers a repeated instruction with its current state, and another with the same id with 409', async () => {
    const body = instruction();
    const first = await api.call('POST', '/v1/withdrawals', { key: api.keys.alice, json: body });
    expect(first.status).toBe(201);
    const again = await api.call('POST', '/v1/withdrawals', { key: api.keys.alice, json: body });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    // The operator relaying the same instruction for alice is the same instruction.
    const relayed = await api.call('POST', '/v1/withdrawals', {
      key: api.keys.operator,
      json: { ...body, customerId: 'alice', requestId: body.requestId.slice(2).toUpperCase() },
    });
    expect(relayed.status).toBe(200);
    await api.expectUnchanged(async () => {
      expectCode(
        await api.call('POST', '/v1/withdrawals', { key: api.keys.alice, json: { ...body, amount: '0.1' } }),
        409,
        'withdrawal_request_conflict',
      );
    });
  });

  it('records a policy denial with the matched rule and reason, the hold voided', async () => {
    const denied = await request({ destination: OTHER_DESTINATION });
    expect(denied.state).toBe('rejected');
    expect(denied.decision).toMatchObject({ outcome: 'deny', code: 'policy_rule_denied' });
    expect(denied.decision.explanation.matchedRule.id).toBe('outside-allowlist');
    expect(denied.decision.explanation.reason).toMatch(/denied by rule 0/);
    expect(
      (await api.call('GET', `/v1/holds/${denied.holdId}`, { key: api.keys.operator })).body.status,
    ).toBe('voided');
    expect(await aliceBtc()).toMatchObject({ balance: '2', available: '2' });
  });

  it('refuses a platform-only attempt: no platform approval counts, and execution without quorum is refused', async () => {
    const requested = await request();
    await api.expectUnchanged(async () => {
      expectCode(
        await approve(
          requested.requestId,
          [await signDigest(requested.digest, parties.platform1)],
          api.keys.operator,
        ),
        422,
        'signature_wrong_signer',
      );
      expectCode(
        await api.call('POST', `/v1/withdrawals/${requested.requestId}/execute`, { key: api.keys.operator }),
        422,
        'quorum_not_reached',
      );
    });
    expect(api.custody?.executor.executed).toHaveLength(0);
  });

  it('cancels a request for the operator or the requesting customer, voiding the hold', async () => {
    const mine = await request();
    const cancelled = await api.call('POST', `/v1/withdrawals/${mine.requestId}/cancel`, {
      key: api.keys.alice,
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.withdrawal).toMatchObject({ state: 'cancelled', cancelledBy: 'alice' });
    const again = await api.call('POST', `/v1/withdrawals/${mine.requestId}/cancel`, { key: api.keys.alice });
    expect(again.body.duplicate).toBe(true);
    const other = await request();
    const byOperator = await api.call('POST', `/v1/withdrawals/${other.requestId}/cancel`, {
      key: api.keys.operator,
    });
    expect(byOperator.body.withdrawal.cancelledBy).toMatch(/^operator:/);
    expect(await aliceBtc()).toMatchObject({ balance: '2', available: '2' });
  });

  it('scopes customer keys to their own requests', async () => {
    const alices = await request();
    const bobs = await request({ amount: '1' }, api.keys.bob);
    expect(bobs.customerId).toBe('bob');
    const aliceList = await api.call('GET', '/v1/withdrawals', { key: api.keys.alice });
    expect(aliceList.body.withdrawals.map((view: { requestId: string }) => view.requestId)).toEqual([
      alices.requestId,
    ]);
    const all = await api.call('GET', '/v1/withdrawals?customerId=bob', { key: api.keys.operator });
    expect(all.body.withdrawals).toHaveLength(1);
    await api.expectUnchanged(async () => {
      const forbidden = [
        await api.call('GET', '/v1/withdrawals?customerId=bob', { key: api.keys.alice }),
        await api.call('GET', `/v1/withdrawals/${bobs.requestId}`, { key: api.keys.alice }),
        await api.call('POST', '/v1/withdrawals', {
          key: api.keys.alice,
          json: instruction({ customerId: 'bob' }),
        }),
        await approve(bobs.requestId, [await signDigest(bobs.digest, parties.bob)], api.keys.alice),
        await api.call('POST', `/v1/withdrawals/${bobs.requestId}/cancel`, { key: api.keys.alice }),
        await api.call('POST', `/v1/withdrawals/${newRequestId()}/cancel`, { key: api.keys.alice }),
      ];
      for (const response of forbidden) expectCode(response, 403, 'forbidden_not_own_account');
      for (const response of [
        await api.call('POST', `/v1/withdrawals/${alices.requestId}/execute`, { key: api.keys.alice }),
        await api.call('POST', '/v1/withdrawals', { key: api.keys.auditor, json: instruction() }),
        await api.call('POST', `/v1/withdrawals/${alices.requestId}/cancel`, { key: api.keys.auditor }),
      ]) {
        expectCode(response, 403, 'forbidden_role');
      }
    });
    // Bob's own key approves his own request.
    const bobApproves = await approve(
      bobs.requestId,
      [await signDigest(bobs.digest, parties.bob)],
      api.keys.bob,
    );
    expect(bobApproves.body.withdrawal.missingApprovals).toEqual([{ groupId: 'trustee', missing: 1 }]);
  });

  it('refuses bad instructions with their codes and changes nothing', async () => {
    const past = new Date(api.nowMs - 1_000).toISOString();
    const cases: [Record<string, unknown>, number, string, string?][] = [
      [{ amount: 0.5 }, 400, 'request_invalid'],
      [{ requestId: '0x1234' }, 400, 'request_invalid'],
      [{ expiresAt: 'tomorrow' }, 400, 'request_invalid'],
      [{ nonce: '-1' }, 400, 'request_invalid'],
      [{ amount: '0.000000001' }, 400, 'amount_too_many_decimals'],
      [{ amount: '0' }, 400, 'amount_not_positive'],
      [{ amount: 'half' }, 400, 'amount_invalid'],
      [{ asset: 'DOGE' }, 422, 'asset_unknown'],
      [{ destination: '0x0000000000000000000000000000000000000000' }, 400, 'withdrawal_destination_invalid'],
      [{ destination: 'nowhere' }, 400, 'withdrawal_destination_invalid'],
      [{ expiresAt: past }, 400, 'withdrawal_expiry_invalid'],
      [{ nonce: '7' }, 422, 'withdrawal_nonce_mismatch'],
      [{ vaultId: 'vault:nowhere' }, 422, 'custody_vault_unknown'],
      [{ vaultId: 'vault:spot' }, 422, 'withdrawal_policy_missing'],
      [{ amount: '2.00000001' }, 422, 'segregation_customer_claim_negative'],
      [{ customerId: 'carol' }, 422, 'segregation_customer_claim_negative', 'operator'],
      [{ customerId: 'nobody' }, 422, 'withdrawal_claim_account_missing', 'operator'],
      [{}, 400, 'request_invalid', 'operator'],
    ];
    await api.expectUnchanged(async () => {
      for (const [overrides, status, code, role] of cases) {
        const key = role === 'operator' ? api.keys.operator : api.keys.alice;
        const response = await api.call('POST', '/v1/withdrawals', { key, json: instruction(overrides) });
        expect(
          response.body?.error?.code,
          `${JSON.stringify(overrides)}: ${JSON.stringify(response.body)}`,
        ).toBe(code);
        expect(response.status).toBe(status);
      }
      expectCode(
        await api.call('POST', '/v1/withdrawals', { key: api.keys.alice, raw: '{"requestId":' }),
        400,
        'request_invalid',
      );
    });
    expect((await api.call('GET', '/v1/withdrawals', { key: api.keys.operator })).body.withdrawals).toEqual(
      [],
    );
  });

  it('refuses bad approvals, execution and cancellation with their codes and changes nothing', async () => {
    const target = await request();
    const other = await request({ amount: '0.1' });
    const aliceForOther = await signDigest(other.digest, parties.alice);
    expect((await approve(other.requestId, [aliceForOther])).status).toBe(200);
    const aliceSignature = await signDigest(target.digest, parties.alice);
    const denied = await request({ destination: OTHER_DESTINATION });
    const unknownId = newRequestId();
    await api.expectUnchanged(async () => {
      const cases: [Promise<CallResult>, number, string][] = [
        [approve(target.requestId, []), 400, 'request_invalid'],
        [approve(target.requestId, ['0x1234']), 400, 'signature_invalid'],
        [approve(target.requestId, [aliceSignature, aliceSignature]), 422, 'signature_duplicate_signer'],
        [
          approve(target.requestId, [await signDigest(target.digest, parties.bob)]),
          422,
          'signature_wrong_signer',
        ],
        [approve(target.requestId, [aliceForOther]), 422, 'approval_replayed'],
        [
          approve(target.requestId, [await signDigest(`0x${'11'.repeat(32)}`, parties.alice)]),
          422,
          'signature_signer_unknown',
        ],
        [
          approve(denied.requestId, [await signDigest(denied.digest, parties.alice)]),
          422,
          'withdrawal_not_awaiting_approvals',
        ],
        [approve(unknownId, [aliceSignature], api.keys.operator), 422, 'withdrawal_request_unknown'],
        [approve('0x12', [aliceSignature], api.keys.operator), 400, 'withdrawal_request_id_invalid'],
        [
          api.call('POST', `/v1/withdrawals/${denied.requestId}/execute`, { key: api.keys.operator }),
          422,
          'withdrawal_not_approved',
        ],
        [
          api.call('POST', `/v1/withdrawals/${denied.requestId}/cancel`, { key: api.keys.operator }),
          422,
          'withdrawal_not_cancellable',
        ],
        [
          api.call('POST', `/v1/withdrawals/${unknownId}/execute`, { key: api.keys.operator }),
          422,
          'withdrawal_request_unknown',
        ],
        [api.call('GET', `/v1/withdrawals/${unknownId}`, { key: api.keys.operator }), 404, 'not_found'],
        [
          api.call('GET', '/v1/withdrawals/nope', { key: api.keys.operator }),
          400,
          'withdrawal_request_id_invalid',
        ],
        [api.call('GET', '/v1/withdrawals?state=lost', { key: api.keys.operator }), 400, 'request_invalid'],
      ];
      for (const [pending, status, code] of cases) expectCode(await pending, status, code);
    });
  });

  it('refuses execution close to or past the expiry, and a request to the house vault as a sweep', async () => {
    const tight = await request({ expiresAt: new Date(api.nowMs + 30_000).toISOString() });
    const late = await request({ amount: '0.1' });
    await api.custody?.withdrawals.addAllowlistEntry(VAULT_ID, `0x${'d'.repeat(40)}`);
    const sweep = await request({ amount: '0.1', destination: `0x${'d'.repeat(40)}` });
    for (const view of [tight, late, sweep]) {
      const signatures = [
        await signDigest(view.digest, parties.alice),
        await signDigest(view.digest, parties.trustee),
      ];
      expect((await approve(view.requestId, signatures)).body.withdrawal.state).toBe('approved');
    }
    await api.expectUnchanged(async () => {
      const execute = (id: string) =>
        api.call('POST', `/v1/withdrawals/${id}/execute`, { key: api.keys.operator });
      expectCode(await execute(tight.requestId), 422, 'withdrawal_expiry_too_close');
      expectCode(await execute(sweep.requestId), 422, 'trustee_sweep_without_basis');
      api.nowMs += 3 * 3_600_000;
      expectCode(await execute(late.requestId), 422, 'withdrawal_request_expired');
    });
  });
});

describe.each(STORE_KINDS)('withdrawal routes with the chain down on %s', (kind) => {
  class DownExecutor extends FakeExecutor {
    override async readSafeNonce(): Promise<bigint> {
      throw new ChainUnreachableError('the local chain is stopped');
    }
  }
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind, { custody: true, executor: new DownExecutor() });
  });
  afterEach(async () => {
    await api.close();
  });

  it('answers 503 chain_unavailable and changes nothing', async () => {
    const created = await api.call('POST', '/v1/withdrawals', {
      key: api.keys.alice,
      json: {
        requestId: newRequestId(),
        vaultId: VAULT_ID,
        asset: 'BTC',
        amount: '0.1',
        destination: ALLOWED_DESTINATION,
        expiresAt: new Date(api.nowMs + 3_600_000).toISOString(),
      },
    });
    const view = created.body.withdrawal;
    const signatures = [
      await signDigest(view.digest, parties.alice),
      await signDigest(view.digest, parties.trustee),
    ];
    await api.call('POST', `/v1/withdrawals/${view.requestId}/approvals`, {
      key: api.keys.alice,
      json: { signatures },
    });
    await api.expectUnchanged(async () => {
      const response = await api.call('POST', `/v1/withdrawals/${view.requestId}/execute`, {
        key: api.keys.operator,
      });
      expect(response.status).toBe(503);
      expect(response.body.error.code).toBe('chain_unavailable');
    });
  });
});
