// Proves approval verification: viem-made signatures (raw digest and EIP-712 typed data) recover to the
// right registered signer, and each rejection code is returned for the one thing it names.

import { secp256k1 } from '@noble/curves/secp256k1.js';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import {
  parties,
  signRequest,
  testRegistry,
  testRequest,
  testVault,
  viemTypedData,
} from '../../../test/support/custody-core.ts';
import type { ApproverGroup } from './approver-groups.ts';
import { type ApprovalContext, approvalKey, recoverSignerAddress, verifyApprovals } from './signatures.ts';
import { withdrawalDigest } from './withdrawal-digest.ts';

const vault = testVault();
const request = testRequest(vault);
const groups: ApproverGroup[] = [
  { id: 'ops', threshold: 1, role: 'platform' },
  { id: 'trustee', threshold: 1, role: 'trustee' },
];
const context = (overrides: Partial<ApprovalContext> = {}): ApprovalContext => ({
  request,
  expectedNonce: 7n,
  registry: testRegistry(),
  approverGroups: groups,
  countedApprovals: new Map(),
  nowMs: 200_000,
  ...overrides,
});
const code = (result: ReturnType<typeof verifyApprovals>) => (result.ok ? 'ok' : result.error.code);

// Flips s to n - s and v to the other parity: the same signer, a second (malleable) encoding.
function highS(signature: string): string {
  const n = secp256k1.Point.CURVE().n;
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  const v = Number.parseInt(signature.slice(130), 16) === 27 ? '1c' : '1b';
  return `${signature.slice(0, 66)}${(n - s).toString(16).padStart(64, '0')}${v}`;
}

describe('verifyApprovals', () => {
  it('accepts a platform and a trustee signature and names their signers', async () => {
    const signatures = [
      await signRequest(request, parties.platform1),
      await signRequest(request, parties.trustee),
    ];
    const result = verifyApprovals(context(), signatures);
    expect(result.ok && result.approvals.map((a) => a.signer.role)).toEqual(['platform', 'trustee']);
  });

  it("accepts a signature made with viem's signTypedData (wallet flow)", async () => {
    const account = privateKeyToAccount(parties.trustee.key);
    const signature = await account.signTypedData(viemTypedData(request));
    const recovered = recoverSignerAddress(withdrawalDigest(request), signature);
    expect(recovered.ok && recovered.address).toBe(parties.trustee.address);
  });

  it('adds to approvals already verified', async () => {
    const first = verifyApprovals(context(), [await signRequest(request, parties.platform1)]);
    if (!first.ok) throw new Error(first.error.message);
    const second = verifyApprovals(context(), [await signRequest(request, parties.trustee)], first.approvals);
    expect(second.ok && second.approvals.length).toBe(2);
  });

  it('refuses with withdrawal_request_expired at the expiry second', async () => {
    const result = verifyApprovals(context({ nowMs: 3_600_000 }), [
      await signRequest(request, parties.trustee),
    ]);
    expect(code(result)).toBe('withdrawal_request_expired');
  });

  it('refuses with withdrawal_nonce_mismatch when the vault expects another nonce', async () => {
    const result = verifyApprovals(context({ expectedNonce: 8n }), [
      await signRequest(request, parties.trustee),
    ]);
    expect(code(result)).toBe('withdrawal_nonce_mismatch');
  });

  it('refuses with approvals_too_many beyond the limit', () => {
    expect(
      code(
        verifyApprovals(
          context(),
          Array.from({ length: 65 }, () => '0x'),
        ),
      ),
    ).toBe('approvals_too_many');
  });

  it('refuses with approval_replayed a signature counted for another request', async () => {
    const signature = await signRequest(request, parties.trustee);
    const counted = new Map([[approvalKey(signature), { requestId: `0x${'99'.repeat(32)}`, nonce: 6n }]]);
    const result = verifyApprovals(context({ countedApprovals: counted }), [signature]);
    expect(code(result)).toBe('approval_replayed');
    // The same signature counted for this very request is a retry, not a replay.
    const same = new Map([[approvalKey(signature), { requestId: request.requestId, nonce: request.nonce }]]);
    expect(code(verifyApprovals(context({ countedApprovals: same }), [signature]))).toBe('ok');
  });

  it('refuses with signature_invalid: wrong length, bad v, zero r, high s', async () => {
    const good = await signRequest(request, parties.trustee);
    expect(code(verifyApprovals(context(), [good.slice(0, 128)]))).toBe('signature_invalid');
    expect(code(verifyApprovals(context(), [`${good.slice(0, 130)}01`]))).toBe('signature_invalid');
    expect(code(verifyApprovals(context(), [`0x${'00'.repeat(32)}${good.slice(66)}`]))).toBe(
      'signature_invalid',
    );
    const malleable = highS(good);
    expect(code(verifyApprovals(context(), [malleable]))).toBe('signature_invalid');
    // The malleable twin really does recover the same key without the low-s rule: the refusal is the rule.
    const n = secp256k1.Point.CURVE().n;
    const sig = new secp256k1.Signature(
      BigInt(`0x${malleable.slice(2, 66)}`),
      BigInt(`0x${malleable.slice(66, 130)}`),
      Number.parseInt(malleable.slice(130), 16) - 27,
    );
    expect(sig.s > n / 2n).toBe(true);
    expect(sig.recoverPublicKey(withdrawalDigest(request)).toHex(false)).toBe(
      parties.trustee.publicKey.slice(2),
    );
  });

  it('refuses with signature_signer_unknown a key outside the registry', async () => {
    const stranger = { ...parties.trustee, key: `0x${'77'.repeat(32)}` as const };
    expect(code(verifyApprovals(context(), [await signRequest(request, stranger)]))).toBe(
      'signature_signer_unknown',
    );
  });

  it('refuses with signature_signer_unknown a signature over another request (wrong digest)', async () => {
    const other = testRequest(vault, { amountMinor: 2n });
    expect(code(verifyApprovals(context(), [await signRequest(other, parties.trustee)]))).toBe(
      'signature_signer_unknown',
    );
  });

  it('refuses with signature_duplicate_signer a second approval by the same signer', async () => {
    const signature = await signRequest(request, parties.trustee);
    const result = verifyApprovals(context(), [signature, signature]);
    expect(code(result)).toBe('signature_duplicate_signer');
    expect(!result.ok && result.error.details.index).toBe(1);
  });

  it('refuses with signature_wrong_signer a registered key in none of the required groups', async () => {
    expect(code(verifyApprovals(context(), [await signRequest(request, parties.recovery)]))).toBe(
      'signature_wrong_signer',
    );
    // A customer key counts only for that customer's own request.
    const customerGroups: ApproverGroup[] = [{ id: 'owner', threshold: 1, role: 'customer' }];
    const ctx = context({ approverGroups: customerGroups });
    expect(code(verifyApprovals(ctx, [await signRequest(request, parties.bob)]))).toBe(
      'signature_wrong_signer',
    );
    expect(code(verifyApprovals(ctx, [await signRequest(request, parties.alice)]))).toBe('ok');
  });
});
