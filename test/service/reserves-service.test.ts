// The reserves service end to end on both stores: publishing an audit of the standard book against a chain
// that reports the vaults' balances and owners, every customer's proof verifying against the signed
// attestation, proofs rebuilt after a restart and after later activity, and each refusal by its code.
//
// The book: alice 1.5 BTC + 2,000 USDC in derivatives and 300 USDC in spot; bob 0.25 BTC in spot; carol has
// accounts and nothing in them. Vault vault:derivatives holds exactly its share on chain; vault:spot holds
// 100 USDC less than the books say (coverage below one).

import { afterEach, describe, expect, it } from 'vitest';
import type { Address } from '../../src/core/custody/address.ts';
import { signPersonalMessage } from '../../src/core/reserves/personal-signature.ts';
import { verifyAttestation } from '../../src/core/reserves/verify-attestation.ts';
import { verifyInclusionProof } from '../../src/core/reserves/verify-inclusion-proof.ts';
import { LedgerService } from '../../src/service/ledger-service.ts';
import {
  type PersonalSigner,
  ReservesService,
  type ReservesServiceOptions,
} from '../../src/service/reserves/reserves-service.ts';
import { bookSetupCommands, bookVaults, deposit } from '../support/book.ts';
import {
  fakeReservesChain,
  PLATFORM_KEY,
  TRUSTEE_KEY,
  testPersonalSigner,
} from '../support/reserves-fixture.ts';
import { openTestStore, STORE_KINDS, type StoreKind } from '../support/stores.ts';

const BTC = (units: number) => BigInt(Math.round(units * 100)) * 1_000_000n;
const USDC = (units: number) => BigInt(units) * 1_000_000n;

const opened: LedgerService[] = [];
afterEach(async () => {
  for (const service of opened.splice(0)) await service.close();
});

const signer = testPersonalSigner;

const vaultAddress = (id: string) =>
  bookVaults()
    .find((vault) => vault.id === id)!
    .address.toLowerCase() as Address;

const CHAIN_BALANCES = new Map([
  [`${vaultAddress('vault:derivatives')}/BTC`, BTC(1.5)],
  [`${vaultAddress('vault:derivatives')}/USDC`, USDC(2_000)],
  [`${vaultAddress('vault:spot')}/BTC`, BTC(0.25)],
  [`${vaultAddress('vault:spot')}/USDC`, USDC(200)],
]);

async function openBook(kind: StoreKind) {
  const store = await openTestStore(kind);
  const ledger = await LedgerService.open(store, { clock: () => Date.UTC(2026, 10, 30, 12) });
  opened.push(ledger);
  const submit = async (commands: Parameters<LedgerService['submit']>[0]) => {
    for (const result of await ledger.submit(commands)) expect(result.ok).toBe(true);
  };
  await submit(bookSetupCommands());
  await submit([
    deposit('alice', 'derivatives', 'BTC', BTC(1.5)),
    deposit('alice', 'derivatives', 'USDC', USDC(2_000)),
    deposit('alice', 'spot', 'USDC', USDC(300)),
    deposit('bob', 'spot', 'BTC', BTC(0.25)),
  ]);
  const options = (overrides: Partial<ReservesServiceOptions> = {}): ReservesServiceOptions => ({
    chain: fakeReservesChain(CHAIN_BALANCES),
    platformSigner: signer(PLATFORM_KEY),
    controlSigners: [signer(PLATFORM_KEY), signer(TRUSTEE_KEY)],
    clock: () => Date.UTC(2026, 10, 30, 12),
    ...overrides,
  });
  return { ledger, submit, options, reserves: await ReservesService.open(ledger, options()) };
}

function value<T>(result: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}`);
  return result.value;
}

describe.each(STORE_KINDS)('reserves service on %s', (kind) => {
  it('publishes a signed attestation: liabilities from the books, reserves from proven vaults, coverage', async () => {
    const book = await openBook(kind);
    const audit = value(await book.reserves.publish('operator-key'));
    const verified = verifyAttestation(JSON.parse(JSON.stringify(audit.attestation)), {
      expectedSigner: PLATFORM_KEY.address,
    });
    expect(verified.ok).toBe(true);
    const { body } = audit.attestation;
    expect(body.liabilities.assets.map((asset) => asset.code)).toEqual(['BTC', 'USDC']);
    expect(body.liabilities.customers).toBe(3);
    expect(body.liabilities.totals).toEqual([BTC(1.75).toString(), USDC(2_300).toString()]);
    expect(body.liabilities.deficits).toEqual(['0', '0']);
    // Only the two customer vaults (acknowledged, customer kind) count; house and insurance vaults never do.
    expect(body.reserves.vaults.map((vault) => [vault.vaultId, vault.controlProven])).toEqual([
      ['vault:derivatives', true],
      ['vault:spot', true],
    ]);
    expect(body.reserves.totals).toEqual([BTC(1.75).toString(), USDC(2_200).toString()]);
    // 2,200 / 2,300 = 0.95652..., rounded down to 0.9565.
    expect(body.coverage).toEqual([
      { asset: 'BTC', ratio: '1.0000', covered: true },
      { asset: 'USDC', ratio: '0.9565', covered: false },
    ]);
    expect(body.journal.seq).toBe(await book.ledger.read((engine) => engine.headSeq));
  });

  it("gives every customer a proof that verifies offline and shows that customer's balances", async () => {
    const book = await openBook(kind);
    const audit = value(await book.reserves.publish('operator-key'));
    const expected = { alice: [BTC(1.5), USDC(2_300)], bob: [BTC(0.25), 0n], carol: [0n, 0n] };
    for (const [customerId, balances] of Object.entries(expected)) {
      const proof = value(await book.reserves.proofFor(audit.auditId, customerId));
      const result = verifyInclusionProof(JSON.parse(JSON.stringify(proof)), {
        expectedSigner: PLATFORM_KEY.address,
      });
      expect(result.ok && result.verified.customerId).toBe(customerId);
      expect(result.ok && result.verified.balancesMinor).toEqual(balances);
    }
  });

  it('rebuilds the same proofs after a restart and after later deposits', async () => {
    const book = await openBook(kind);
    const audit = value(await book.reserves.publish('operator-key'));
    const before = value(await book.reserves.proofFor(audit.auditId, 'alice'));
    await book.submit([deposit('carol', 'spot', 'USDC', USDC(5))]);
    const reopened = await ReservesService.open(book.ledger, book.options());
    expect(reopened.list().map((entry) => entry.auditId)).toEqual([audit.auditId]);
    expect(value(await reopened.proofFor(audit.auditId, 'alice'))).toEqual(before);
    // A second audit sees carol's deposit, under fresh salts.
    const second = value(await reopened.publish('operator-key'));
    const carol = value(await reopened.proofFor(second.auditId, 'carol'));
    expect(carol.leaf.balances).toEqual(['0', USDC(5).toString()]);
    const aliceAgain = value(await reopened.proofFor(second.auditId, 'alice'));
    expect(aliceAgain.leaf.salt).not.toBe(before.leaf.salt);
  });

  it('does not count a vault as reserves when fewer owners than its threshold sign', async () => {
    const book = await openBook(kind);
    const reserves = await ReservesService.open(
      book.ledger,
      book.options({ controlSigners: [signer(PLATFORM_KEY)] }),
    );
    const audit = value(await reserves.publish('operator-key'));
    expect(audit.attestation.body.reserves.vaults.every((vault) => !vault.controlProven)).toBe(true);
    expect(audit.attestation.body.reserves.totals).toEqual(['0', '0']);
    expect(audit.attestation.body.coverage.map((line) => line.ratio)).toEqual(['0.0000', '0.0000']);
    expect(verifyAttestation(JSON.parse(JSON.stringify(audit.attestation))).ok).toBe(true);
  });

  it('refuses by code: no signer, no chain, unknown audit, customer not in the audit; nothing stored', async () => {
    const book = await openBook(kind);
    const noSigner = await ReservesService.open(book.ledger, book.options({ platformSigner: null }));
    expect(await noSigner.publish('operator-key')).toMatchObject({
      ok: false,
      error: { code: 'reserves_signer_unavailable' },
    });
    const noChain = await ReservesService.open(book.ledger, book.options({ chain: null }));
    expect(await noChain.publish('operator-key')).toMatchObject({
      ok: false,
      error: { code: 'reserves_chain_unavailable' },
    });
    expect(await book.ledger.store.readReservesEvents()).toEqual([]);
    expect(await book.reserves.proofFor('0'.repeat(32), 'alice')).toMatchObject({
      ok: false,
      error: { code: 'proof_audit_unknown' },
    });
    const audit = value(await book.reserves.publish('operator-key'));
    expect(await book.reserves.proofFor(audit.auditId, 'mallory')).toMatchObject({
      ok: false,
      error: { code: 'proof_customer_not_in_audit' },
    });
  });
});
