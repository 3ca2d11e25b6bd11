// Proves the withdrawal flow on SQLite and PostgreSQL with a fake chain executor and the real trustee
// co-signer: the state machine and its ledger holds, idempotency, every refusal changing nothing (books
// fingerprint and custody events compared), timelock and cancellation, expiry, concurrent requests never
// overspending, and a reopened service reading the same states.

import { sign } from 'viem/accounts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bookVaults, ids } from '../../../test/support/book.ts';
import { parties, type TestParty } from '../../../test/support/custody-core.ts';
import { openTestStore, STORE_KINDS } from '../../../test/support/stores.ts';
import {
  ALICE_FUNDS_MINOR,
  ALLOWED_DESTINATION,
  keySigner,
  OTHER_DESTINATION,
  openWithdrawalHarness,
  standardPolicy,
  TIMELOCK_FROM_MINOR,
  TIMELOCK_SECONDS,
  VAULT_ID,
  type WithdrawalHarness,
} from '../../../test/support/withdrawals.ts';
import { buildSafeTransaction, encodeTokenTransfer } from '../../chain/index.ts';
import { postedOf } from '../../core/ledger/state.ts';
import { SegregationService } from '../segregation/segregation-service.ts';
import { TrusteeCosigner } from './trustee-cosigner.ts';
import { type WithdrawalResult, WithdrawalService } from './withdrawal-service.ts';
import type { WithdrawalView } from './withdrawal-view.ts';

function approve(view: WithdrawalView, who: TestParty): Promise<string> {
  return sign({ hash: view.digest, privateKey: who.key, to: 'hex' });
}

function ok(result: WithdrawalResult): WithdrawalView {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.withdrawal;
}

function codeOf(result: { ok: boolean; error?: { code: string } }): string | null {
  return result.ok ? null : (result.error?.code ?? null);
}

describe.each(STORE_KINDS)('withdrawal service on %s', (kind) => {
  let h: WithdrawalHarness;

  beforeEach(async () => {
    h = await openWithdrawalHarness(await openTestStore(kind));
  });
  afterEach(async () => {
    await h.close();
  });

  const claimOf = (customer: string) =>
    h.ledger.read((engine) => {
      const account = engine.getAccount(ids.customer(customer, 'derivatives', 'USDC'))!;
      return postedOf('claim', account.debitsPostedMinor, account.creditsPostedMinor);
    });
  const holdStatus = (view: WithdrawalView) => h.ledger.read((engine) => engine.getHold(view.holdId)?.status);

  async function approved(amountMinor = 100_000_000n): Promise<WithdrawalView> {
    const requested = ok(await h.service.requestWithdrawal(h.instruction({ amountMinor })));
    return ok(
      await h.service.submitApprovals(requested.requestId, [
        await approve(requested, parties.alice),
        await approve(requested, parties.trustee),
      ]),
    );
  }

  it('runs instruction -> hold -> policy -> approvals -> quorum -> platform + trustee execution -> hold posted', async () => {
    const requested = ok(await h.service.requestWithdrawal(h.instruction()));
    expect(requested.state).toBe('awaiting_approvals');
    expect(requested.nonce).toBe(0n);
    expect(requested.decision).toMatchObject({ outcome: 'allow', code: null });
    expect(requested.decision?.explanation.matchedRule?.id).toBe('allowlisted');
    expect(requested.missingApprovals).toEqual([
      { groupId: 'customer', missing: 1 },
      { groupId: 'trustee', missing: 1 },
    ]);
    expect(await holdStatus(requested)).toBe('pending');

    const half = ok(
      await h.service.submitApprovals(requested.requestId, [await approve(requested, parties.alice)]),
    );
    expect(half.state).toBe('awaiting_approvals');
    expect(half.missingApprovals).toEqual([{ groupId: 'trustee', missing: 1 }]);
    const full = ok(
      await h.service.submitApprovals(requested.requestId, [await approve(requested, parties.trustee)]),
    );
    expect(full.state).toBe('approved');
    expect(full.approvals.map((approval) => approval.role)).toEqual(['customer', 'trustee']);

    const executed = ok(await h.service.executeWithdrawal(requested.requestId));
    expect(executed.state).toBe('executed');
    expect(executed.execution?.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await holdStatus(requested)).toBe('posted');
    expect(await claimOf('alice')).toBe(ALICE_FUNDS_MINOR - 100_000_000n);
    expect(executed.history.map((step) => step.state)).toEqual([
      'requested',
      'awaiting_approvals',
      'approved',
      'executing',
      'executed',
    ]);
    expect(h.executor.executed).toHaveLength(1);
    expect(h.service.nextNonce(VAULT_ID)).toBe(1n);
  });

  it('is idempotent: same request -> current state, other content -> conflict, counted approvals -> no-op', async () => {
    const instruction = h.instruction();
    const first = ok(await h.service.requestWithdrawal(instruction));
    const again = await h.service.requestWithdrawal(instruction);
    expect(again.ok && again.duplicate).toBe(true);
    expect(ok(again)).toEqual(first);
    const before = await h.snapshot();
    const conflict = await h.service.requestWithdrawal({ ...instruction, amountMinor: 1n });
    expect(codeOf(conflict)).toBe('withdrawal_request_conflict');
    const signatures = [await approve(first, parties.alice), await approve(first, parties.trustee)];
    ok(await h.service.submitApprovals(first.requestId, signatures));
    const afterApprovals = await h.snapshot();
    const repeat = await h.service.submitApprovals(first.requestId, signatures);
    expect(repeat.ok && repeat.duplicate).toBe(true);
    expect(await h.snapshot()).toBe(afterApprovals);
    expect(before).not.toBe(afterApprovals);
  });

  it('refuses bad approvals with codes and changes nothing', async () => {
    const target = ok(await h.service.requestWithdrawal(h.instruction()));
    const other = ok(await h.service.requestWithdrawal(h.instruction()));
    const aliceForOther = await approve(other, parties.alice);
    ok(await h.service.submitApprovals(other.requestId, [aliceForOther]));
    const aliceSignature = await approve(target, parties.alice);
    const highS = (() => {
      const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
      const s = BigInt(`0x${aliceSignature.slice(66, 130)}`);
      const v = aliceSignature.slice(130) === '1b' ? '1c' : '1b';
      return `${aliceSignature.slice(0, 66)}${(n - s).toString(16).padStart(64, '0')}${v}`;
    })();
    const before = await h.snapshot();
    const cases: [string[], string][] = [
      [['0x1234'], 'signature_invalid'],
      [[highS], 'signature_invalid'],
      [[aliceSignature, aliceSignature], 'signature_duplicate_signer'],
      [[await approve(target, parties.bob)], 'signature_wrong_signer'],
      [[await approve(target, parties.platform1)], 'signature_wrong_signer'],
      [[aliceForOther], 'approval_replayed'],
      [
        [await sign({ hash: `0x${'11'.repeat(32)}`, privateKey: parties.alice.key, to: 'hex' })],
        'signature_signer_unknown',
      ],
    ];
    for (const [signatures, code] of cases) {
      expect(codeOf(await h.service.submitApprovals(target.requestId, signatures)), code).toBe(code);
    }
    expect(await h.snapshot()).toBe(before);
    expect(h.service.getWithdrawal(target.requestId)?.state).toBe('awaiting_approvals');
  });

  it('refuses bad instructions with codes and changes nothing', async () => {
    const before = await h.snapshot();
    const cases: [Parameters<WithdrawalHarness['instruction']>[0], string][] = [
      [{ nonce: 5n }, 'withdrawal_nonce_mismatch'],
      [{ amountMinor: ALICE_FUNDS_MINOR + 1n }, 'segregation_customer_claim_negative'],
      [{ vaultId: 'vault:nowhere' }, 'custody_vault_unknown'],
      [{ requestId: '0x12' }, 'withdrawal_request_id_invalid'],
      [{ amountMinor: 0n }, 'withdrawal_amount_not_positive'],
      [{ asset: 'ETH' }, 'withdrawal_asset_not_in_vault'],
      [{ destination: '0x0000000000000000000000000000000000000000' }, 'withdrawal_destination_invalid'],
      [{ expiresAtSeconds: BigInt(Math.floor(h.clock.now / 1000) - 1) }, 'withdrawal_expiry_invalid'],
      [{ expiresAtSeconds: 1n << 62n }, 'withdrawal_expiry_invalid'],
      [{ customerId: 'nobody' }, 'withdrawal_claim_account_missing'],
      [{ vaultId: 'vault:spot' }, 'withdrawal_policy_missing'],
    ];
    for (const [overrides, code] of cases) {
      expect(codeOf(await h.service.requestWithdrawal(h.instruction(overrides))), code).toBe(code);
    }
    // The ledger remembers a failed hold id (so it stays failed); books, holds and custody events are as before.
    const after = JSON.parse(await h.snapshot());
    const expected = JSON.parse(before);
    expect(after.events).toEqual(expected.events);
    expect(after.books).toEqual(expected.books);
  });

  it('refuses a vault that no segregated custody account records', async () => {
    const unbacked = { ...bookVaults()[0]!, id: 'vault:unbacked', address: `0x${'f'.repeat(40)}` };
    expect((await h.ledger.submit([{ type: 'register_vault', vault: unbacked }]))[0]?.ok).toBe(true);
    expect((await h.service.installPolicy('vault:unbacked', standardPolicy())).ok).toBe(true);
    const before = await h.snapshot();
    const result = await h.service.requestWithdrawal(h.instruction({ vaultId: 'vault:unbacked' }));
    expect(codeOf(result)).toBe('withdrawal_custody_account_missing');
    expect(await h.snapshot()).toBe(before);
  });

  it('denies by policy with the matched rule and reason, voiding the hold', async () => {
    const denied = ok(await h.service.requestWithdrawal(h.instruction({ destination: OTHER_DESTINATION })));
    expect(denied.state).toBe('rejected');
    expect(denied.decision?.code).toBe('policy_rule_denied');
    expect(denied.decision?.explanation.matchedRule?.id).toBe('outside-allowlist');
    expect(denied.decision?.explanation.reason).toMatch(/denied by rule 0/);
    expect(await holdStatus(denied)).toBe('voided');
    expect(await claimOf('alice')).toBe(ALICE_FUNDS_MINOR);
    const before = await h.snapshot();
    expect(codeOf(await h.service.executeWithdrawal(denied.requestId))).toBe('withdrawal_not_approved');
    expect(
      codeOf(await h.service.submitApprovals(denied.requestId, [await approve(denied, parties.alice)])),
    ).toBe('withdrawal_not_awaiting_approvals');
    expect(codeOf(await h.service.cancelWithdrawal(denied.requestId, 'alice'))).toBe(
      'withdrawal_not_cancellable',
    );
    expect(await h.snapshot()).toBe(before);
  });

  it('refuses a platform-only attempt off-chain: no quorum, and no policy letting the platform alone', async () => {
    const requested = ok(await h.service.requestWithdrawal(h.instruction()));
    const before = await h.snapshot();
    expect(codeOf(await h.service.executeWithdrawal(requested.requestId))).toBe('quorum_not_reached');
    expect(
      codeOf(
        await h.service.submitApprovals(requested.requestId, [await approve(requested, parties.platform1)]),
      ),
    ).toBe('signature_wrong_signer');
    const platformOnly = standardPolicy({
      rules: [
        {
          id: 'ops-only',
          description: 'two ops keys',
          match: {},
          action: { type: 'allow', approverGroups: [{ id: 'ops', threshold: 2, role: 'platform' }] },
        },
      ],
    });
    expect(codeOf(await h.service.installPolicy(VAULT_ID, platformOnly))).toBe(
      'policy_platform_unilateral_quorum',
    );
    expect(await h.snapshot()).toBe(before);
  });

  it('times locks large withdrawals, lets them be cancelled while locked, and executes them after', async () => {
    const locked = ok(await h.service.requestWithdrawal(h.instruction({ amountMinor: TIMELOCK_FROM_MINOR })));
    expect(locked.decision?.outcome).toBe('timelock');
    expect(locked.decision?.executableAtMs).toBe(locked.createdAtMs + TIMELOCK_SECONDS * 1000);
    const signatures = [await approve(locked, parties.alice), await approve(locked, parties.trustee)];
    expect(ok(await h.service.submitApprovals(locked.requestId, signatures)).state).toBe('approved');
    const before = await h.snapshot();
    expect(codeOf(await h.service.executeWithdrawal(locked.requestId))).toBe('policy_timelock_pending');
    expect(await h.snapshot()).toBe(before);
    const cancelled = ok(await h.service.cancelWithdrawal(locked.requestId, 'alice'));
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.cancelledBy).toBe('alice');
    expect(await holdStatus(locked)).toBe('voided');
    expect(await claimOf('alice')).toBe(ALICE_FUNDS_MINOR);

    const second = ok(await h.service.requestWithdrawal(h.instruction({ amountMinor: TIMELOCK_FROM_MINOR })));
    ok(
      await h.service.submitApprovals(second.requestId, [
        await approve(second, parties.alice),
        await approve(second, parties.trustee),
      ]),
    );
    h.clock.now += TIMELOCK_SECONDS * 1000;
    const beforeLateCancel = await h.snapshot();
    expect(codeOf(await h.service.cancelWithdrawal(second.requestId, 'alice'))).toBe(
      'policy_timelock_elapsed',
    );
    expect(await h.snapshot()).toBe(beforeLateCancel);
    expect(ok(await h.service.executeWithdrawal(second.requestId)).state).toBe('executed');
    expect(await claimOf('alice')).toBe(ALICE_FUNDS_MINOR - TIMELOCK_FROM_MINOR);
  });

  it('expires requests with their holds, and refuses approvals and execution once expired or about to be', async () => {
    const pending = await approved();
    const tight = ok(
      await h.service.requestWithdrawal(
        h.instruction({ expiresAtSeconds: BigInt(Math.floor(h.clock.now / 1000) + 30) }),
      ),
    );
    ok(
      await h.service.submitApprovals(tight.requestId, [
        await approve(tight, parties.alice),
        await approve(tight, parties.trustee),
      ]),
    );
    const before = await h.snapshot();
    expect(codeOf(await h.service.executeWithdrawal(tight.requestId))).toBe('withdrawal_expiry_too_close');
    h.clock.now += 7_200_000;
    expect(codeOf(await h.service.executeWithdrawal(pending.requestId))).toBe('withdrawal_request_expired');
    expect(
      codeOf(await h.service.submitApprovals(pending.requestId, [await approve(pending, parties.bob)])),
    ).toBe('withdrawal_request_expired');
    expect(await h.snapshot()).toBe(before);
    const expired = await h.service.expireDueWithdrawals();
    expect(expired.map((view) => view.state)).toEqual(['expired', 'expired']);
    expect(await holdStatus(pending)).toBe('expired');
    expect(await claimOf('alice')).toBe(ALICE_FUNDS_MINOR);
  });

  it('voids the hold when the chain reverts', async () => {
    const view = await approved();
    h.executor.revertNext = {
      code: 'guard_destination_not_allowlisted',
      reason: 'DestinationNotAllowlisted',
    };
    const failed = ok(await h.service.executeWithdrawal(view.requestId));
    expect(failed.state).toBe('failed');
    expect(failed.failure?.code).toBe('guard_destination_not_allowlisted');
    expect(await holdStatus(view)).toBe('voided');
    expect(await claimOf('alice')).toBe(ALICE_FUNDS_MINOR);
  });

  it('never overspends when many requests race for the same balance', async () => {
    const amount = 70_000_000n;
    const results = await Promise.all(
      Array.from({ length: 30 }, () => h.service.requestWithdrawal(h.instruction({ amountMinor: amount }))),
    );
    const accepted = results.filter((result) => result.ok);
    const refused = results.filter((result) => !result.ok);
    expect(accepted).toHaveLength(Number(ALICE_FUNDS_MINOR / amount));
    expect(refused.every((result) => codeOf(result) === 'segregation_customer_claim_negative')).toBe(true);
    const pendingMinor = await h.ledger.read((engine) =>
      engine.listPendingHolds().reduce((sum, hold) => sum + hold.amountMinor, 0n),
    );
    expect(pendingMinor).toBe(amount * BigInt(accepted.length));
    expect(pendingMinor).toBeLessThanOrEqual(ALICE_FUNDS_MINOR);
    expect(new Set(accepted.map((result) => ok(result).nonce)).size).toBe(accepted.length);
  });

  it('reopens from the store with the same states', async () => {
    await approved();
    const executed = await approved();
    ok(await h.service.executeWithdrawal(executed.requestId));
    ok(await h.service.requestWithdrawal(h.instruction({ destination: OTHER_DESTINATION })));
    const reopened = await h.reopen();
    expect(reopened.listWithdrawals()).toEqual(h.service.listWithdrawals());
    expect(reopened.getPolicy(VAULT_ID)).toEqual(standardPolicy());
    expect(reopened.getAllowlist(VAULT_ID)).toEqual(h.service.getAllowlist(VAULT_ID));
    expect(reopened.nextNonce(VAULT_ID)).toBe(3n);
  });

  it('refuses setup mistakes with codes and changes nothing', async () => {
    const before = await h.snapshot();
    expect(codeOf(await h.service.registerSigners([], 'ops'))).toBe('custody_signers_already_registered');
    expect(codeOf(await h.service.installPolicy('vault:nowhere', standardPolicy()))).toBe(
      'custody_vault_unknown',
    );
    expect(codeOf(await h.service.addAllowlistEntry(VAULT_ID, '0xnot'))).toBe('allowlist_address_invalid');
    expect(codeOf(await h.service.addAllowlistEntry('vault:nowhere', ALLOWED_DESTINATION))).toBe(
      'custody_vault_unknown',
    );
    expect(codeOf(await h.service.executeWithdrawal(`0x${'ab'.repeat(32)}`))).toBe(
      'withdrawal_request_unknown',
    );
    const repeat = await h.service.addAllowlistEntry(VAULT_ID, ALLOWED_DESTINATION);
    expect(repeat.ok && repeat.duplicate).toBe(true);
    expect(
      codeOf(
        await h.trustee.cosignHouseRelease({
          sourceVaultId: 'vault:nowhere',
          destinationVaultId: 'vault:house',
          asset: 'USDC',
          amountMinor: 1n,
          releaseTransferId: null,
          transaction: buildSafeTransaction({ to: ALLOWED_DESTINATION, nonce: 0n }),
        }),
      ),
    ).toBe('custody_vault_unknown');
    expect(await h.snapshot()).toBe(before);
    // A service over a custody log with no signer registry refuses policies until one is set.
    const fresh = await openTestStore(kind);
    try {
      const unregistered = await WithdrawalService.open({
        ledger: h.ledger,
        store: fresh,
        executor: h.executor,
        platformSigner: keySigner(parties.platform1.key),
        trustee: h.trustee,
      });
      expect(codeOf(await unregistered.installPolicy(VAULT_ID, standardPolicy()))).toBe(
        'custody_signers_missing',
      );
      expect(await fresh.readCustodyEvents()).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});

describe.each(STORE_KINDS)('trustee co-signer on %s', (kind) => {
  let h: WithdrawalHarness;
  beforeEach(async () => {
    h = await openWithdrawalHarness(await openTestStore(kind));
  });
  afterEach(async () => {
    await h.close();
  });

  const token = `0x${'2'.padStart(40, 'a')}` as const;
  const houseVault = `0x${'d'.repeat(40)}` as const;

  it('refuses a client -> house sweep without booked basis and signs a booked release', async () => {
    const sweep = buildSafeTransaction({ to: token, data: encodeTokenTransfer(houseVault, 5n), nonce: 1n });
    const input = {
      sourceVaultId: VAULT_ID,
      destinationVaultId: 'vault:house',
      asset: 'USDC',
      amountMinor: 5n,
      releaseTransferId: null,
      transaction: sweep,
    };
    expect(codeOf(await h.trustee.cosignHouseRelease(input))).toBe('trustee_sweep_without_basis');
    expect(codeOf(await h.trustee.cosignHouseRelease({ ...input, releaseTransferId: 'f'.repeat(32) }))).toBe(
      'trustee_sweep_without_basis',
    );
    // Book fees as residual interest (10), then a residual-interest withdrawal of 5.
    const fee = {
      type: 'transfer',
      id: 'a'.repeat(32),
      kind: 'fee',
      reference: 'fee-schedule-1',
      instructedBy: null,
      legs: [
        {
          debit: ids.customer('alice', 'derivatives', 'USDC'),
          credit: ids.residual('derivatives', 'USDC'),
          asset: 'USDC',
          amountMinor: 10n,
        },
      ],
      holdExpiresAtMs: null,
    } as const;
    const release = {
      type: 'transfer',
      id: 'b'.repeat(32),
      kind: 'residual_interest_withdrawal',
      reference: 'release-1',
      instructedBy: null,
      legs: [
        {
          debit: ids.houseCustody('USDC'),
          credit: ids.segregated('derivatives', 'USDC'),
          asset: 'USDC',
          amountMinor: 5n,
        },
        {
          debit: ids.residual('derivatives', 'USDC'),
          credit: ids.houseEquity('USDC'),
          asset: 'USDC',
          amountMinor: 5n,
        },
      ],
      holdExpiresAtMs: null,
    } as const;
    const booked = await h.ledger.submit([fee, release]);
    expect(booked.every((result) => result.ok)).toBe(true);
    // Booked straight into the ledger, around the residual-interest gate: the trustee refuses it.
    expect(codeOf(await h.trustee.cosignHouseRelease({ ...input, releaseTransferId: release.id }))).toBe(
      'trustee_release_not_gated',
    );
    // Through the gate: today's statement finalised, then a withdrawal of 5 out of residual interest of 5
    // (over 25% of it, so two officers approve first).
    const segregation = await SegregationService.open(h.ledger, { clock: () => h.clock.now });
    const statement = await segregation.compute({ by: 'operator' });
    if (!statement.ok) throw new Error(statement.error.code);
    expect((await segregation.finalise(statement.value.id, 'officer-1')).ok).toBe(true);
    const requested = await segregation.requestWithdrawal({
      asset: 'USDC',
      accountClass: 'derivatives',
      amountMinor: 5n,
      residualInterestAccountId: ids.residual('derivatives', 'USDC'),
      houseEquityAccountId: ids.houseEquity('USDC'),
      segregatedCustodyAccountId: ids.segregated('derivatives', 'USDC'),
      houseCustodyAccountId: ids.houseCustody('USDC'),
      reason: 'fees earned',
      recipient: 'house treasury',
      by: 'operator',
    });
    if (!requested.ok) throw new Error(requested.error.code);
    await segregation.approveWithdrawal(requested.value.request.id, 'officer-1');
    const gated = await segregation.approveWithdrawal(requested.value.request.id, 'officer-2');
    expect(gated.ok && gated.value.status).toBe('executed');
    const releaseTransferId = requested.value.request.transferId;
    const signed = await h.trustee.cosignHouseRelease({ ...input, releaseTransferId });
    expect(signed.ok).toBe(true);
    // One booking backs one release.
    expect(codeOf(await h.trustee.cosignHouseRelease({ ...input, releaseTransferId }))).toBe(
      'trustee_sweep_without_basis',
    );
    expect(codeOf(await h.trustee.cosignHouseRelease({ ...input, amountMinor: 6n, releaseTransferId }))).toBe(
      'trustee_transaction_mismatch',
    );
  });

  it('refuses customer withdrawals it cannot verify for itself', async () => {
    const requested = ok(await h.service.requestWithdrawal(h.instruction()));
    const transaction = buildSafeTransaction({
      to: token,
      data: encodeTokenTransfer(ALLOWED_DESTINATION, requested.amountMinor),
      nonce: 1n,
    });
    const cosign = (overrides: Partial<Parameters<TrusteeCosigner['cosignWithdrawal']>[0]> = {}) =>
      h.trustee.cosignWithdrawal({
        requestId: requested.requestId,
        safeAddress: requested.vault,
        transaction,
        ...overrides,
      });
    expect(codeOf(await cosign({ requestId: `0x${'cd'.repeat(32)}` }))).toBe('trustee_request_unknown');
    expect(codeOf(await cosign())).toBe('trustee_request_not_approved');
    ok(
      await h.service.submitApprovals(requested.requestId, [
        await approve(requested, parties.alice),
        await approve(requested, parties.trustee),
      ]),
    );
    const stolen = buildSafeTransaction({
      to: token,
      data: encodeTokenTransfer(OTHER_DESTINATION, 1n),
      nonce: 1n,
    });
    expect(codeOf(await cosign({ transaction: stolen }))).toBe('trustee_transaction_mismatch');
    expect((await cosign()).ok).toBe(true);
    // A trustee with a fresh view of the ledger but a hold voided behind its back refuses (no basis).
    await h.ledger.submit([{ type: 'void_hold', id: 'c'.repeat(32), holdId: requested.holdId }]);
    expect(codeOf(await cosign())).toBe('trustee_hold_not_pending');
    // A policy replaced after approval no longer backs the approvals.
    const stricter = standardPolicy({ id: 'stricter' });
    expect((await h.service.installPolicy(VAULT_ID, stricter)).ok).toBe(true);
    const independent = new TrusteeCosigner({
      store: h.store,
      ledger: h.ledger,
      signer: keySigner(parties.trustee.key),
    });
    expect(
      codeOf(
        await independent.cosignWithdrawal({
          requestId: requested.requestId,
          safeAddress: requested.vault,
          transaction,
        }),
      ),
    ).toBe('trustee_policy_changed');
  });

  it('refuses a customer withdrawal to the house vault as a sweep', async () => {
    await h.service.addAllowlistEntry(VAULT_ID, houseVault);
    const view = ok(await h.service.requestWithdrawal(h.instruction({ destination: houseVault })));
    ok(
      await h.service.submitApprovals(view.requestId, [
        await approve(view, parties.alice),
        await approve(view, parties.trustee),
      ]),
    );
    const before = await h.snapshot();
    expect(codeOf(await h.service.executeWithdrawal(view.requestId))).toBe('trustee_sweep_without_basis');
    expect(await h.snapshot()).toBe(before);
  });
});
