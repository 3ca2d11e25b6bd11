// Proof of reserves over HTTP on both stores: an operator publishes, a customer downloads only their own proof
// and it verifies offline, the latest attestation is public, and each refusal answers with its code and
// changes nothing.

import { afterEach, describe, expect, it } from 'vitest';
import type { Address } from '../../src/core/custody/address.ts';
import { verifyAttestation } from '../../src/core/reserves/verify-attestation.ts';
import { verifyInclusionProof } from '../../src/core/reserves/verify-inclusion-proof.ts';
import { createApiKey } from '../../src/service/api-keys.ts';
import { ReservesService } from '../../src/service/reserves/reserves-service.ts';
import { bookVaults } from '../support/book.ts';
import {
  fakeReservesChain,
  PLATFORM_KEY,
  TRUSTEE_KEY,
  testPersonalSigner,
} from '../support/reserves-fixture.ts';
import { STORE_KINDS } from '../support/stores.ts';
import { type ApiHarness, openApiHarness } from './harness.ts';

const address = (id: string) =>
  bookVaults()
    .find((vault) => vault.id === id)!
    .address.toLowerCase() as Address;

/** The harness book's customer vaults hold exactly its customer deposits and residual interest on chain. */
const CHAIN_BALANCES = new Map([
  [`${address('vault:derivatives')}/BTC`, 6_00000000n],
  [`${address('vault:spot')}/USDC`, 1000_000000n],
]);

const PAGE = '<!doctype html><title>verify</title>';

function harness(kind: (typeof STORE_KINDS)[number], signer = true): Promise<ApiHarness> {
  return openApiHarness(kind, {
    reserves: async (ledger) => ({
      service: await ReservesService.open(ledger, {
        chain: fakeReservesChain(CHAIN_BALANCES),
        platformSigner: signer ? testPersonalSigner(PLATFORM_KEY) : null,
        controlSigners: [testPersonalSigner(PLATFORM_KEY), testPersonalSigner(TRUSTEE_KEY)],
      }),
      verifierPage: async () => PAGE,
    }),
  });
}

describe.each(STORE_KINDS)('reserves API on %s', (kind) => {
  let api: ApiHarness;
  afterEach(async () => {
    await api.close();
  });

  it('publishes (operator), lists, and serves the attestation to keys and publicly', async () => {
    api = await harness(kind);
    const created = await api.call('POST', '/v1/reserves/audits', { key: api.keys.operator });
    expect(created.status).toBe(201);
    expect(verifyAttestation(created.body.attestation, { expectedSigner: PLATFORM_KEY.address }).ok).toBe(
      true,
    );
    // alice 2 BTC + bob 3 BTC in derivatives, alice 1,000 USDC in spot; the vault also holds 1 BTC of RI.
    expect(created.body.attestation.body.liabilities.totals).toEqual(['500000000', '1000000000']);
    expect(created.body.attestation.body.coverage).toEqual([
      { asset: 'BTC', ratio: '1.2000', covered: true },
      { asset: 'USDC', ratio: '1.0000', covered: true },
    ]);
    const listed = await api.call('GET', '/v1/reserves/audits', { key: api.keys.alice });
    expect(listed.body.audits.map((audit: { auditId: string }) => audit.auditId)).toEqual([
      created.body.auditId,
    ]);
    const byKey = await api.call('GET', `/v1/reserves/audits/${created.body.auditId}/attestation`, {
      key: api.keys.auditor,
    });
    const publicLatest = await api.call('GET', '/reserves/attestations/latest');
    expect(publicLatest.status).toBe(200);
    expect(publicLatest.body).toEqual(created.body.attestation);
    expect(byKey.body).toEqual(created.body.attestation);
  });

  it("gives each customer key that customer's proof, which verifies offline; other roles are refused", async () => {
    api = await harness(kind);
    await api.call('POST', '/v1/reserves/audits', { key: api.keys.operator });
    for (const [customer, key, balances] of [
      ['alice', api.keys.alice, [200000000n, 1000000000n]],
      ['bob', api.keys.bob, [300000000n, 0n]],
    ] as const) {
      const proof = await api.call('GET', '/v1/reserves/audits/latest/proof', { key });
      expect(proof.status).toBe(200);
      const verified = verifyInclusionProof(proof.body, { expectedSigner: PLATFORM_KEY.address });
      expect(verified.ok && verified.verified.customerId).toBe(customer);
      expect(verified.ok && verified.verified.balancesMinor).toEqual(balances);
    }
    for (const key of [api.keys.operator, api.keys.auditor, api.keys.officer]) {
      const refused = await api.call('GET', '/v1/reserves/audits/latest/proof', { key });
      expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden_role' } } });
    }
  });

  it('refuses by code and changes nothing', async () => {
    api = await harness(kind, false);
    await api.expectUnchanged(async () => {
      const noSigner = await api.call('POST', '/v1/reserves/audits', { key: api.keys.operator });
      expect(noSigner).toMatchObject({
        status: 503,
        body: { error: { code: 'reserves_signer_unavailable' } },
      });
      const auditor = await api.call('POST', '/v1/reserves/audits', { key: api.keys.auditor });
      expect(auditor).toMatchObject({ status: 403, body: { error: { code: 'forbidden_role' } } });
      const unknown = await api.call('GET', `/v1/reserves/audits/${'0'.repeat(32)}/attestation`, {
        key: api.keys.auditor,
      });
      expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'proof_audit_unknown' } } });
      const none = await api.call('GET', '/reserves/attestations/latest');
      expect(none).toMatchObject({ status: 404, body: { error: { code: 'proof_audit_unknown' } } });
    });
  });

  it('answers 404 proof_customer_not_in_audit for a customer with no account at the audit', async () => {
    api = await harness(kind);
    await api.call('POST', '/v1/reserves/audits', { key: api.keys.operator });
    const late = await createApiKey(api.store, 'customer', 'dave');
    const refused = await api.call('GET', '/v1/reserves/audits/latest/proof', { key: late.secret });
    expect(refused).toMatchObject({ status: 404, body: { error: { code: 'proof_customer_not_in_audit' } } });
  });

  it('serves the offline verifier page without a key; 503 reserves_unavailable without the services', async () => {
    api = await harness(kind);
    const page = await api.call('GET', '/verify');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.body).toBe(PAGE);
    await api.close();
    api = await openApiHarness(kind);
    const missing = await api.call('GET', '/v1/reserves/audits', { key: api.keys.auditor });
    expect(missing).toMatchObject({ status: 503, body: { error: { code: 'reserves_unavailable' } } });
    expect((await api.call('GET', '/verify')).status).toBe(404);
  });
});
