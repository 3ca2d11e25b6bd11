// The resolution service end to end on both stores, on the worked example of test/support/resolution-book.ts
// (docs/resolution.md): two officers freeze the books, the ledger then refuses every command with
// `ledger_frozen` and changes nothing, the freeze survives a restart, the claims and distribution are checked
// to the minor unit (a shortfall in two estates at once, a deficit customer, 1,000 USDC split three ways by
// largest remainder: 333.333334 / 333.333333 / 333.333333 at USDC's six decimals),
// a recovered debt recomputes them, and the pack holds what regulators ask for. Every refusal is checked by
// its code with nothing changed.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EstateResolution } from '../../src/core/resolution/resolution.ts';
import type { LedgerService } from '../../src/service/ledger-service.ts';
import { packCsvChunks } from '../../src/service/resolution/pack-csv.ts';
import { writePackFiles } from '../../src/service/resolution/pack-files.ts';
import { packHtmlChunks } from '../../src/service/resolution/pack-html.ts';
import { packJsonChunks } from '../../src/service/resolution/pack-json.ts';
import type { ResolutionService } from '../../src/service/resolution/resolution-service.ts';
import { booksFingerprint, deposit, ids, leg, transfer } from '../support/book.ts';
import { BTC, D, openResolutionBook, type ResolutionBook, S, USDC } from '../support/resolution-book.ts';
import { STORE_KINDS } from '../support/stores.ts';

function value<T>(result: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}`);
  return result.value;
}

function codeOf(result: { ok: boolean; error?: { code: string } }): string | null {
  return result.ok ? null : result.error!.code;
}

function estate(estates: readonly EstateResolution[], asset: string, accountClass: string): EstateResolution {
  const found = estates.find((e) => e.asset === asset && e.accountClass === accountClass);
  expect(found, `${asset} / ${accountClass}`).toBeDefined();
  return found!;
}

function payouts(estate: EstateResolution): [string, bigint, bigint][] {
  return estate.payouts.map((p) => [p.customerId, p.payoutMinor, p.unpaidMinor]);
}

/** Everything the resolution service and the ledger hold: equal fingerprints mean nothing changed. */
async function fingerprint(ledger: LedgerService): Promise<string> {
  return JSON.stringify(
    {
      books: await ledger.read(booksFingerprint),
      head: await ledger.store.readHeadSeq(),
      events: await ledger.store.readResolutionEvents(),
    },
    (_key, item) => (typeof item === 'bigint' ? item.toString() : item),
  );
}

async function expectUnchanged(ledger: LedgerService, action: () => Promise<void>): Promise<void> {
  const before = await fingerprint(ledger);
  await action();
  expect(await fingerprint(ledger)).toBe(before);
}

async function freeze(book: ResolutionBook, resolution: ResolutionService = book.resolution): Promise<void> {
  value(await resolution.requestFreeze({ reason: 'the house has failed', by: 'officer-1' }));
  value(await resolution.approveFreeze({ by: 'officer-2' }));
}

describe.each(STORE_KINDS)('resolution service on %s', (kind) => {
  it('freezes with two distinct officers; before approval the ledger trades, after it refuses with ledger_frozen', async () => {
    const book = await openResolutionBook(kind);
    const { resolution, ledger } = book;
    expect(resolution.status().status).toBe('open');
    const requested = value(
      await resolution.requestFreeze({ reason: 'the house has failed', by: 'officer-1' }),
    );
    expect(resolution.status().status).toBe('freeze_requested');
    // Requested but not approved: the ledger still takes commands, here a deposit and a withdrawal hold that
    // expires in a second.
    const before = await ledger.submit([
      deposit('alice', D, 'BTC', 1n),
      transfer(
        'withdrawal',
        [leg(ids.customer('alice', D, 'BTC'), ids.segregated(D, 'BTC'), 'BTC', BTC(1))],
        {
          instructedBy: 'alice',
          holdExpiresAtMs: book.clock.nowMs + 1_000,
        },
      ),
    ]);
    expect(before.map((result) => result.ok)).toEqual([true, true]);
    const headBefore = await ledger.read((engine) => ({ seq: engine.headSeq, hash: engine.headHash }));

    const approved = value(await resolution.approveFreeze({ by: 'officer-2' }));
    expect(approved.requestId).toBe(requested.requestId);
    const status = resolution.status();
    expect(status.status).toBe('frozen');
    expect(status.freeze?.approval?.pin).toMatchObject({
      seq: headBefore.seq,
      headHash: headBefore.hash,
      shortfalls: [
        { asset: 'BTC', accountClass: D, amountMinor: BTC(1.3) },
        { asset: 'USDC', accountClass: S, amountMinor: USDC(500) },
      ],
      marks: [
        { customerId: 'alice', asset: 'BTC', accountClass: D, unrealisedPnlMinor: BTC(1.5) },
        { customerId: 'carol', asset: 'BTC', accountClass: D, unrealisedPnlMinor: -BTC(1.5) },
      ],
    });

    await expectUnchanged(ledger, async () => {
      const [refused] = await ledger.submit([deposit('bob', D, 'BTC', BTC(1))]);
      expect(refused).toMatchObject({ ok: false, error: { code: 'ledger_frozen' } });
      // Hold expiry is a write too: the hold, now past its expiry, stays pending while frozen, whether the
      // expiry is asked for directly or by an empty request.
      book.clock.nowMs += 5_000;
      await ledger.expireDueHolds();
      expect(await ledger.submit([])).toEqual([]);
    });
  });

  it('refuses each freeze step out of order by its code, changing nothing', async () => {
    const book = await openResolutionBook(kind);
    const { resolution, ledger } = book;
    await expectUnchanged(ledger, async () => {
      expect(codeOf(await resolution.approveFreeze({ by: 'officer-2' }))).toBe('freeze_not_requested');
      expect(codeOf(await resolution.requestFreeze({ reason: '   ', by: 'officer-1' }))).toBe(
        'resolution_text_invalid',
      );
      expect(codeOf(await resolution.resolution())).toBe('resolution_not_frozen');
      expect(codeOf(await resolution.customerStatement('alice'))).toBe('resolution_not_frozen');
      expect(
        codeOf(
          await resolution.recordRecovery({
            customerId: 'carol',
            asset: 'BTC',
            accountClass: D,
            amountMinor: BTC(0.1),
            reference: 'wire 1',
            by: 'operator',
          }),
        ),
      ).toBe('resolution_not_frozen');
    });
    value(await resolution.requestFreeze({ reason: 'the house has failed', by: 'officer-1' }));
    await expectUnchanged(ledger, async () => {
      expect(codeOf(await resolution.requestFreeze({ reason: 'again', by: 'officer-2' }))).toBe(
        'freeze_already_requested',
      );
      expect(codeOf(await resolution.approveFreeze({ by: 'officer-1' }))).toBe(
        'freeze_approval_same_officer',
      );
    });
    expect(resolution.status().status).toBe('freeze_requested');
    value(await resolution.approveFreeze({ by: 'officer-2' }));
    await expectUnchanged(ledger, async () => {
      expect(codeOf(await resolution.approveFreeze({ by: 'officer-3' }))).toBe('freeze_already_frozen');
      expect(codeOf(await resolution.requestFreeze({ reason: 'again', by: 'officer-3' }))).toBe(
        'freeze_already_frozen',
      );
      expect(codeOf(await resolution.customerStatement('nobody'))).toBe('resolution_customer_unknown');
    });
  });

  it('distributes each estate to the minor unit: shortfalls in two estates, a deficit customer, 1,000 / 3 by largest remainder', async () => {
    const book = await openResolutionBook(kind);
    await freeze(book);
    const computed = value(await book.resolution.resolution());
    expect(computed.simulated).toBe(false);
    const btc = estate(computed.resolution.estates, 'BTC', D);
    // 6.5 BTC on the books less the 1.3 break; claims 3.5 + 3 (carol's -0.5 is her debt, never netted).
    expect(btc).toMatchObject({
      heldMinor: BTC(5.2),
      recoveredMinor: 0n,
      propertyMinor: BTC(5.2),
      totalClaimsMinor: BTC(6.5),
      distributedMinor: BTC(5.2),
      shortfallMinor: BTC(1.3),
      surplusMinor: 0n,
      ratio: { numerator: 4n, denominator: 5n },
    });
    expect(payouts(btc)).toEqual([
      ['alice', BTC(2.8), BTC(0.7)],
      ['bob', BTC(2.4), BTC(0.6)],
    ]);
    expect(btc.debts).toEqual([
      { customerId: 'carol', debtMinor: BTC(0.5), recoveredMinor: 0n, outstandingMinor: BTC(0.5) },
    ]);
    const usdc = estate(computed.resolution.estates, 'USDC', S);
    expect(usdc.ratio).toEqual({ numerator: 2n, denominator: 3n });
    expect(payouts(usdc)).toEqual([
      ['alice', 333_333_334n, 166_666_666n],
      ['bob', 333_333_333n, 166_666_667n],
      ['carol', 333_333_333n, 166_666_667n],
    ]);
    expect(usdc.distributedMinor).toBe(USDC(1000));
    // Estates with accounts but no money: nothing claimed, nothing held.
    expect(estate(computed.resolution.estates, 'USDC', D)).toMatchObject({
      totalClaimsMinor: 0n,
      heldMinor: 0n,
    });
    expect(computed.resolution.unsecuredClaims).toEqual([
      { customerId: 'alice', asset: 'BTC', amountMinor: BTC(0.7) },
      { customerId: 'alice', asset: 'USDC', amountMinor: 166_666_666n },
      { customerId: 'bob', asset: 'BTC', amountMinor: BTC(0.6) },
      { customerId: 'bob', asset: 'USDC', amountMinor: 166_666_667n },
      { customerId: 'carol', asset: 'USDC', amountMinor: 166_666_667n },
    ]);

    const carol = value(await book.resolution.customerStatement('carol'));
    expect(carol).toEqual({
      customerId: 'carol',
      estates: [
        {
          asset: 'BTC',
          accountClass: D,
          netEquity: '-0.5',
          claim: '0',
          payout: '0',
          unpaid: '0',
          debt: '0.5',
          recovered: '0',
          outstanding: '0.5',
        },
        {
          asset: 'USDC',
          accountClass: S,
          netEquity: '500',
          claim: '500',
          payout: '333.333333',
          unpaid: '166.666667',
          debt: '0',
          recovered: '0',
          outstanding: '0',
        },
      ],
      unsecured: [{ asset: 'USDC', amount: '166.666667' }],
    });
  });

  it('recomputes the distribution with a recovered debt, refuses bad recoveries, and keeps all after a restart', async () => {
    const book = await openResolutionBook(kind);
    await freeze(book);
    const recovery = {
      customerId: 'carol',
      asset: 'BTC',
      accountClass: D,
      amountMinor: BTC(0.2),
      reference: 'wire 2026-12-01 #1',
      by: 'officer-1',
    };
    const recomputed = value(await book.resolution.recordRecovery(recovery));
    const btc = estate(recomputed.resolution.estates, 'BTC', D);
    // Property 5.4 over claims 6.5, ratio 54/65: alice 290,769,230.77 sat and bob 249,230,769.23 sat floored;
    // the one remainder unit goes to alice's larger fraction.
    expect(btc.propertyMinor).toBe(BTC(5.4));
    expect(btc.ratio).toEqual({ numerator: 54n, denominator: 65n });
    expect(payouts(btc)).toEqual([
      ['alice', 290_769_231n, BTC(3.5) - 290_769_231n],
      ['bob', 249_230_769n, BTC(3) - 249_230_769n],
    ]);
    expect(btc.debts[0]).toEqual({
      customerId: 'carol',
      debtMinor: BTC(0.5),
      recoveredMinor: BTC(0.2),
      outstandingMinor: BTC(0.3),
    });
    // The USDC estate is untouched by a BTC recovery.
    expect(payouts(estate(recomputed.resolution.estates, 'USDC', S))[0]).toEqual([
      'alice',
      333_333_334n,
      166_666_666n,
    ]);

    await expectUnchanged(book.ledger, async () => {
      expect(codeOf(await book.resolution.recordRecovery({ ...recovery, amountMinor: BTC(0.4) }))).toBe(
        'resolution_recovery_exceeds_debt',
      );
      expect(codeOf(await book.resolution.recordRecovery({ ...recovery, customerId: 'bob' }))).toBe(
        'resolution_recovery_without_debt',
      );
      expect(codeOf(await book.resolution.recordRecovery({ ...recovery, amountMinor: 0n }))).toBe(
        'resolution_recovery_not_positive',
      );
      expect(codeOf(await book.resolution.recordRecovery({ ...recovery, reference: '' }))).toBe(
        'resolution_text_invalid',
      );
    });

    const restarted = await book.restart();
    expect(restarted.resolution.status().status).toBe('frozen');
    const [refused] = await restarted.ledger.submit([deposit('alice', S, 'USDC', USDC(1))]);
    expect(refused).toMatchObject({ ok: false, error: { code: 'ledger_frozen' } });
    const again = value(await restarted.resolution.resolution());
    expect(payouts(estate(again.resolution.estates, 'BTC', D))).toEqual(payouts(btc));
    expect(again.recoveries.map((record) => record.reference)).toEqual(['wire 2026-12-01 #1']);
  });

  it('produces the pack: JSON that parses back, CSV sections, a readable report', async () => {
    const book = await openResolutionBook(kind);
    await freeze(book);
    const computed = value(await book.resolution.resolution());
    const pack = await book.resolution.pack(computed, { firmName: 'Failed Futures LLC' });
    const json = JSON.parse([...packJsonChunks(pack)].join(''));
    expect(json).toMatchObject({
      format: 'ringfence-resolution-pack-v1',
      firm: 'Failed Futures LLC',
      simulated: false,
      freeze: { reason: 'the house has failed', requestedBy: 'officer-1', approvedBy: 'officer-2' },
      pinned: { seq: computed.journal.seq, headHash: computed.journal.headHash },
      journal: {
        verified: true,
        headSeq: computed.journal.seq,
        accountMismatches: 0,
        invariantViolations: 0,
      },
      summary: { customers: 3, claimLines: 6, estatesShort: 2 },
      shortfalls: [
        { asset: 'BTC', accountClass: D, amount: '1.3' },
        { asset: 'USDC', accountClass: S, amount: '500' },
      ],
      unsecuredTotals: [
        { asset: 'BTC', amount: '1.3', claimants: 2 },
        { asset: 'USDC', amount: '500', claimants: 3 },
      ],
    });
    expect(
      json.estates.find(
        (e: { asset: string; accountClass: string }) => e.asset === 'BTC' && e.accountClass === D,
      ),
    ).toMatchObject({
      held: '5.2',
      totalClaims: '6.5',
      distributed: '5.2',
      ratio: '4/5',
      paidPercent: '80.00',
      claimants: 2,
      debtors: 1,
      debtsOutstanding: '0.5',
    });
    expect(json.customers.map((c: { customerId: string }) => c.customerId)).toEqual([
      'alice',
      'bob',
      'carol',
    ]);
    expect(json.customers[0].estates[0]).toEqual({
      asset: 'BTC',
      accountClass: D,
      netEquity: '3.5',
      claim: '3.5',
      payout: '2.8',
      unpaid: '0.7',
      debt: '0',
      recovered: '0',
      outstanding: '0',
    });
    // The vault register with acknowledgments, and the reconciliation that found the breaks.
    expect(
      json.vaults.map((v: { id: string; acknowledgmentReference: string | null }) => [
        v.id,
        v.acknowledgmentReference,
      ]),
    ).toEqual([
      ['vault:derivatives', 'ack-letter-1'],
      ['vault:spot', 'ack-letter-1'],
      ['vault:house', null],
      ['vault:insurance', null],
    ]);
    expect(json.segregation.reconciliations).toHaveLength(1);
    expect(json.segregation.reconciliations[0].source).toBe('custodian');
    expect(json.segregation.latestStatement).toBeNull();
    expect(json.custody).toBeNull();

    const csv = [...packCsvChunks(pack)].join('');
    expect(csv).toContain(
      'section,customer_id,asset,account_class,net_equity,claim,payout,unpaid,debt,recovered,outstanding\n',
    );
    expect(csv).toContain('claims,alice,USDC,spot,500,500,333.333334,166.666666,0,0,0\n');
    expect(csv).toContain('claims,carol,BTC,derivatives,-0.5,0,0,0,0.5,0,0.5\n');
    expect(csv).toContain('unsecured_claims,bob,USDC,166.666667\n');
    expect(csv).toContain('estates,USDC,spot,1000,0,1000,1500,1000,500,0,2/3,66.66,3,0,0,0\n');
    expect(csv).toContain('pack,journal_verified,true\n');
    const claimsOnly = [...packCsvChunks(pack, { section: 'claims' })].join('');
    expect(claimsOnly.split('\n')[0]).toBe(
      'customer_id,asset,account_class,net_equity,claim,payout,unpaid,debt,recovered,outstanding',
    );
    expect(claimsOnly.split('\n')).toHaveLength(8);

    // The one-pass file writer gives byte for byte what the streamed formats give.
    const directory = mkdtempSync(join(tmpdir(), 'resolution-pack-'));
    const paths = {
      json: join(directory, 'p.json'),
      csv: join(directory, 'p.csv'),
      html: join(directory, 'p.html'),
    };
    writePackFiles(pack, paths);
    expect(readFileSync(paths.json, 'utf8')).toBe([...packJsonChunks(pack)].join(''));
    expect(readFileSync(paths.csv, 'utf8')).toBe(csv);
    expect(readFileSync(paths.html, 'utf8')).toBe([...packHtmlChunks(pack)].join(''));
    rmSync(directory, { recursive: true });

    const html = [...packHtmlChunks(pack)].join('');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('Resolution pack: Failed Futures LLC');
    expect(html).toContain('VERIFIED');
    expect(html).toContain('<td class="amount">333.333334</td>');
    expect(html).not.toContain('SIMULATED');
  });

  it('runs a dry run at the head without freezing, and simulates contagion against the current books', async () => {
    const book = await openResolutionBook(kind, { reconcile: false });
    const dryRun = await book.resolution.simulatedResolution();
    expect(dryRun.simulated).toBe(true);
    expect(book.resolution.status().status).toBe('open');
    // Without the breaks every estate is whole: the BTC estate holds 6.5 against 6.5 of claims.
    expect(estate(dryRun.resolution.estates, 'BTC', D)).toMatchObject({
      propertyMinor: BTC(6.5),
      totalClaimsMinor: BTC(6.5),
      shortfallMinor: 0n,
    });
    const pack = await book.resolution.pack(dryRun, { firmName: 'Demo', verify: false });
    expect(pack.simulated).toBe(true);
    expect(pack.freeze).toBeNull();
    expect([...packHtmlChunks(pack)].join('')).toContain('SIMULATED');
    const [accepted] = await book.ledger.submit([deposit('alice', S, 'USDC', USDC(1))]);
    expect(accepted!.ok).toBe(true);

    // The house holds 10 - 0.5 = 9.5 BTC; a house loss of 9.5 + half the 6.5 customers hold leaves segregated
    // customers whole and costs commingled customers part of their claims.
    const { report } = value(await book.resolution.simulate({ builtIn: 'house-loss' }));
    const btc = report.assets.find((asset) => asset.asset === 'BTC')!;
    expect(btc.tradingLossMinor).toBe(BTC(9.5) + BTC(3.25));
    expect(btc.customersSegregatedMinor).toBe(btc.customerClaimsMinor);
    expect(btc.customersCommingledMinor).toBeLessThan(btc.customerClaimsMinor);
    expect(codeOf(await book.resolution.simulate({ builtIn: 'meteor-strike' }))).toBe(
      'contagion_scenario_unknown',
    );
    for (const name of ['hot-wallet-hack', 'customer-default', 'custodian-failure']) {
      expect(codeOf(await book.resolution.simulate({ builtIn: name })), name).toBeNull();
    }
  });
});
