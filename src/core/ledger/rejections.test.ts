// One test per engine rejection code: each builds the standard book, funds it, submits the one command
// that breaks the rule, and asserts the code and that nothing in the books changed.

import { describe, expect, it } from 'vitest';
import {
  applyAll,
  bookSetupCommands,
  booksFingerprint,
  bookVaults,
  deposit,
  houseCapital,
  ids,
  leg,
  nextId,
  residualInterestDeposit,
  transfer,
  vaultIds,
} from '../../../test/support/book.ts';
import { AMOUNT_MINOR_MAX } from '../money/amount.ts';
import type { SegregationClass } from './classes.ts';
import { LedgerEngine } from './engine.ts';
import { TRANSFER_LEGS_MAX } from './limits.ts';
import type { Command, TransferCommand } from './types.ts';

const D = 'derivatives';
const BTC = 'BTC';
const NOW_MS = 10_000;

/** A funded book: alice 5 BTC, bob 3 BTC (derivatives), 1 BTC residual interest, 2 BTC insurance fund. */
function fundedEngine(): LedgerEngine {
  const engine = new LedgerEngine();
  applyAll(engine, bookSetupCommands(), 1_000);
  applyAll(
    engine,
    [
      deposit('alice', D, BTC, 500n),
      deposit('bob', D, BTC, 300n),
      houseCapital(BTC, 1_000n),
      residualInterestDeposit(D, BTC, 100n),
      transfer('insurance_fund_deposit', [
        leg(ids.insuranceCustody(BTC), ids.houseCustody(BTC), BTC, 200n),
        leg(ids.houseEquity(BTC), ids.insuranceFund(BTC), BTC, 200n),
      ]),
    ],
    2_000,
  );
  return engine;
}

const alice = ids.customer('alice', D, BTC);
const bob = ids.customer('bob', D, BTC);
const seg = ids.segregated(D, BTC);
const ri = ids.residual(D, BTC);

function openCustody(
  id: string,
  segregationClass: SegregationClass,
  accountClass: string | null,
  vaultId: string | null,
): Command {
  return {
    type: 'open_account',
    id,
    owner: { type: 'house' },
    asset: BTC,
    segregationClass,
    accountClass,
    vaultId,
  };
}

function withdrawal(amountMinor: bigint, extra: Partial<TransferCommand> = {}): TransferCommand {
  return transfer('withdrawal', [leg(alice, seg, BTC, amountMinor)], { instructedBy: 'alice', ...extra });
}

interface Case {
  readonly code: string;
  /** Accepted commands that prepare the state the rule needs. */
  readonly before?: (engine: LedgerEngine) => Command[];
  readonly command: (engine: LedgerEngine) => Command;
}

const holdFor = (id: string, amountMinor = 100n) =>
  withdrawal(amountMinor, { id, holdExpiresAtMs: NOW_MS + 60_000 });
const fixedIds = { hold: 'aa'.repeat(16), original: 'bb'.repeat(16), failed: 'cc'.repeat(16) };

const CASES: Case[] = [
  { code: 'transfer_id_invalid', command: () => ({ ...deposit('alice', D, BTC, 1n), id: 'XYZ' }) },
  { code: 'transfer_legs_empty', command: () => transfer('deposit', []) },
  {
    code: 'transfer_legs_too_many',
    command: () =>
      transfer(
        'deposit',
        Array.from({ length: TRANSFER_LEGS_MAX + 1 }, () => leg(seg, alice, BTC, 1n)),
      ),
  },
  { code: 'transfer_same_account', command: () => transfer('deposit', [leg(alice, alice, BTC, 1n)]) },
  {
    code: 'transfer_reference_invalid',
    command: () => ({ ...deposit('alice', D, BTC, 1n), reference: 'x'.repeat(257) }),
  },
  { code: 'amount_not_positive', command: () => deposit('alice', D, BTC, 0n) },
  { code: 'amount_overflow', command: () => deposit('alice', D, BTC, AMOUNT_MINOR_MAX + 1n) },
  {
    code: 'hold_must_have_one_leg',
    command: () => ({ ...residualInterestDeposit(D, BTC, 1n), holdExpiresAtMs: NOW_MS + 1 }),
  },
  { code: 'hold_expiry_not_in_future', command: () => withdrawal(1n, { holdExpiresAtMs: NOW_MS }) },
  { code: 'asset_unknown', command: () => transfer('deposit', [leg(seg, alice, 'DOGE', 1n)]) },
  {
    code: 'account_not_found',
    command: () => transfer('deposit', [leg(seg, 'nobody:derivatives:BTC', BTC, 1n)]),
  },
  {
    code: 'transfer_asset_mismatch',
    command: () => transfer('deposit', [leg(seg, ids.customer('alice', D, 'USDC'), BTC, 1n)]),
  },
  {
    code: 'segregation_customer_debit_requires_instruction',
    command: () => withdrawal(1n, { instructedBy: null }),
  },
  { code: 'customer_not_found', command: () => withdrawal(1n, { instructedBy: 'mallory' }) },
  {
    code: 'segregation_instruction_customer_mismatch',
    command: () => withdrawal(1n, { instructedBy: 'bob' }),
  },
  {
    code: 'segregation_trade_requires_counterparty_reference',
    command: () => transfer('trade_settlement', [leg(alice, bob, BTC, 1n)], { reference: '' }),
  },
  {
    code: 'segregation_fee_requires_basis',
    command: () => transfer('fee', [leg(alice, ri, BTC, 1n)], { reference: '' }),
  },
  {
    code: 'transfer_reference_required',
    command: () => ({ ...deposit('alice', D, BTC, 1n), reference: '' }),
  },
  {
    code: 'correction_reference_unknown',
    command: () => transfer('correction', [leg(alice, seg, BTC, 1n)], { reference: 'dd'.repeat(16) }),
  },
  // The FTX pattern: the house pays itself from a customer's claim.
  {
    code: 'segregation_customer_to_house_forbidden',
    command: () => transfer('house_transfer', [leg(alice, ids.houseEquity(BTC), BTC, 1n)]),
  },
  {
    code: 'segregation_custody_exit_forbidden',
    command: () => transfer('house_transfer', [leg(ids.houseCustody(BTC), seg, BTC, 1n)]),
  },
  {
    code: 'segregation_pool_mixing_forbidden',
    command: () => transfer('house_transfer', [leg(ids.insuranceFund(BTC), ids.houseEquity(BTC), BTC, 1n)]),
  },
  {
    code: 'transfer_leg_not_allowed_for_kind',
    command: () => transfer('deposit', [leg(alice, bob, BTC, 1n)]),
  },
  {
    code: 'segregation_account_class_mixing_forbidden',
    command: () => transfer('trade_settlement', [leg(alice, ids.customer('bob', 'spot', BTC), BTC, 1n)]),
  },
  {
    code: 'correction_already_reversed',
    before: () => [
      { ...deposit('carol', D, BTC, 10n), id: fixedIds.original },
      transfer('correction', [leg(ids.customer('carol', D, BTC), seg, BTC, 10n)], {
        reference: fixedIds.original,
      }),
    ],
    command: () =>
      transfer('correction', [leg(ids.customer('carol', D, BTC), seg, BTC, 10n)], {
        reference: fixedIds.original,
      }),
  },
  {
    code: 'correction_not_exact_reversal',
    before: () => [{ ...deposit('carol', D, BTC, 10n), id: fixedIds.original }],
    command: () =>
      transfer('correction', [leg(ids.customer('carol', D, BTC), seg, BTC, 9n)], {
        reference: fixedIds.original,
      }),
  },
  { code: 'account_balance_overflow', command: () => deposit('alice', D, BTC, AMOUNT_MINOR_MAX) },
  { code: 'segregation_customer_claim_negative', command: () => withdrawal(501n) },
  {
    code: 'custody_balance_negative',
    command: () => transfer('house_capital', [leg(ids.external(BTC), ids.houseCustody(BTC), BTC, 701n)]),
  },
  {
    code: 'segregation_residual_interest_negative',
    command: () => transfer('trade_settlement', [leg(ri, alice, BTC, 101n)]),
  },
  {
    code: 'insurance_fund_negative',
    command: () =>
      transfer('insurance_fund_withdrawal', [
        leg(ids.insuranceFund(BTC), ids.houseEquity(BTC), BTC, 201n),
        leg(ids.houseCustody(BTC), ids.insuranceCustody(BTC), BTC, 201n),
      ]),
  },
  // Only the coins leave: custody 900 - 150 < claims 800, whatever residual interest says.
  {
    code: 'segregation_custody_below_customer_claims',
    command: () => transfer('residual_interest_withdrawal', [leg(ids.houseCustody(BTC), seg, BTC, 150n)]),
  },
  // Only the claim moves: residual interest rises with no coins behind it.
  {
    code: 'segregation_pool_unbalanced',
    command: () => transfer('residual_interest_deposit', [leg(ids.houseEquity(BTC), ri, BTC, 50n)]),
  },
  {
    code: 'idempotency_id_reused_with_different_content',
    before: () => [{ ...deposit('carol', D, BTC, 10n), id: fixedIds.original }],
    command: () => ({ ...deposit('carol', D, BTC, 11n), id: fixedIds.original }),
  },
  {
    code: 'idempotency_id_already_failed',
    before: (engine) => {
      const failing = { ...withdrawal(10_000n), id: fixedIds.failed };
      const outcome = engine.executeBatch([failing], NOW_MS - 1);
      expect(outcome.results[0]).toMatchObject({
        ok: false,
        error: { code: 'segregation_customer_claim_negative' },
      });
      return [];
    },
    command: () => ({ ...withdrawal(1n), id: fixedIds.failed }),
  },
  {
    code: 'hold_not_found',
    command: () => ({ type: 'post_hold', id: nextId(), holdId: fixedIds.hold, amountMinor: null }),
  },
  {
    code: 'hold_already_posted',
    before: () => [
      holdFor(fixedIds.hold),
      { type: 'post_hold', id: nextId(), holdId: fixedIds.hold, amountMinor: null },
    ],
    command: () => ({ type: 'void_hold', id: nextId(), holdId: fixedIds.hold }),
  },
  {
    code: 'hold_already_voided',
    before: () => [holdFor(fixedIds.hold), { type: 'void_hold', id: nextId(), holdId: fixedIds.hold }],
    command: () => ({ type: 'post_hold', id: nextId(), holdId: fixedIds.hold, amountMinor: null }),
  },
  {
    code: 'hold_expired',
    before: (engine) => {
      applyAll(
        engine,
        [{ ...withdrawal(100n), id: fixedIds.hold, holdExpiresAtMs: NOW_MS - 5 }],
        NOW_MS - 10,
      );
      // A batch past the expiry (even an empty one) writes the expiry entry and releases the hold.
      expect(engine.executeBatch([], NOW_MS - 2).batch?.entries).toMatchObject([{ type: 'expire_hold' }]);
      expect(engine.getHold(fixedIds.hold)?.status).toBe('expired');
      return [];
    },
    command: () => ({ type: 'post_hold', id: nextId(), holdId: fixedIds.hold, amountMinor: null }),
  },
  {
    code: 'hold_post_amount_exceeds_pending',
    before: () => [holdFor(fixedIds.hold, 100n)],
    command: () => ({ type: 'post_hold', id: nextId(), holdId: fixedIds.hold, amountMinor: 101n }),
  },
  { code: 'asset_code_invalid', command: () => ({ type: 'register_asset', code: 'btc', scale: 8 }) },
  { code: 'asset_scale_invalid', command: () => ({ type: 'register_asset', code: 'SOL', scale: 19 }) },
  { code: 'asset_already_exists', command: () => ({ type: 'register_asset', code: 'BTC', scale: 6 }) },
  { code: 'account_class_invalid', command: () => ({ type: 'add_account_class', code: 'Spot Class' }) },
  { code: 'customer_id_invalid', command: () => ({ type: 'create_customer', id: 'Bad Id', name: 'x' }) },
  { code: 'customer_name_invalid', command: () => ({ type: 'create_customer', id: 'dave', name: '' }) },
  {
    code: 'customer_already_exists',
    command: () => ({ type: 'create_customer', id: 'alice', name: 'Someone Else' }),
  },
  {
    code: 'account_id_invalid',
    command: () => ({
      type: 'open_account',
      id: 'Bad Id',
      owner: { type: 'house' },
      asset: BTC,
      segregationClass: 'house_equity',
      accountClass: null,
      vaultId: null,
    }),
  },
  {
    code: 'segregation_class_unknown',
    command: () => ({
      type: 'open_account',
      id: 'x1',
      owner: { type: 'house' },
      asset: BTC,
      segregationClass: 'fiat_at' as never,
      accountClass: null,
      vaultId: null,
    }),
  },
  // A customer claim owned by the house is the FTX "fiat@" shape: refused at account opening.
  {
    code: 'account_owner_not_allowed_for_class',
    command: () => ({
      type: 'open_account',
      id: 'x2',
      owner: { type: 'house' },
      asset: BTC,
      segregationClass: 'customer_collateral',
      accountClass: D,
      vaultId: null,
    }),
  },
  {
    code: 'account_class_required',
    command: () => ({
      type: 'open_account',
      id: 'x3',
      owner: { type: 'house' },
      asset: BTC,
      segregationClass: 'segregated_custody',
      accountClass: null,
      vaultId: null,
    }),
  },
  {
    code: 'account_class_not_applicable',
    command: () => ({
      type: 'open_account',
      id: 'x4',
      owner: { type: 'house' },
      asset: BTC,
      segregationClass: 'house_equity',
      accountClass: D,
      vaultId: null,
    }),
  },
  {
    code: 'account_class_unknown',
    command: () => ({
      type: 'open_account',
      id: 'x5',
      owner: { type: 'customer', customerId: 'alice' },
      asset: BTC,
      segregationClass: 'customer_collateral',
      accountClass: 'options',
      vaultId: null,
    }),
  },
  {
    code: 'account_already_exists',
    command: () => ({
      type: 'open_account',
      id: alice,
      owner: { type: 'customer', customerId: 'bob' },
      asset: BTC,
      segregationClass: 'customer_collateral',
      accountClass: D,
      vaultId: null,
    }),
  },
  // Vaults: every custody account records one registered vault, the right kind, holding the asset, once.
  {
    code: 'vault_already_exists',
    command: () => ({ type: 'register_vault', vault: { ...bookVaults()[0]!, custodian: 'Someone Else' } }),
  },
  {
    code: 'vault_address_already_registered',
    command: () => ({ type: 'register_vault', vault: { ...bookVaults()[0]!, id: 'vault:copy' } }),
  },
  // A customer vault without the custodian's no-set-off acknowledgment cannot even be registered.
  {
    code: 'vault_acknowledgment_missing',
    command: () => ({
      type: 'register_vault',
      vault: {
        ...bookVaults()[0]!,
        id: 'vault:unacknowledged',
        address: `0x${'f'.repeat(40)}`,
        acknowledgment: null,
      },
    }),
  },
  {
    code: 'account_vault_not_applicable',
    command: () => openCustody('x6', 'house_equity', null, vaultIds.house),
  },
  { code: 'account_vault_required', command: () => openCustody('x7', 'house_custody', null, null) },
  { code: 'vault_not_found', command: () => openCustody('x8', 'house_custody', null, 'vault:nowhere') },
  { code: 'vault_kind_mismatch', command: () => openCustody('x9', 'segregated_custody', D, vaultIds.house) },
  {
    code: 'vault_account_class_mismatch',
    command: () => openCustody('x10', 'segregated_custody', 'spot', vaultIds.customer(D)),
  },
  {
    code: 'vault_asset_not_supported',
    before: () => [{ type: 'register_asset', code: 'ETH', scale: 18 }],
    command: () => ({ ...openCustody('x11', 'house_custody', null, vaultIds.house), asset: 'ETH' }),
  },
  {
    code: 'vault_asset_already_recorded',
    command: () => openCustody('x12', 'segregated_custody', D, vaultIds.customer(D)),
  },
  {
    code: 'vault_acknowledgment_not_effective',
    before: () => [
      {
        type: 'register_vault',
        vault: {
          ...bookVaults()[0]!,
          id: 'vault:later',
          address: `0x${'9'.repeat(40)}`,
          acknowledgment: { acknowledgedAtMs: NOW_MS + 1, documentReference: 'letter-dated-tomorrow' },
        },
      },
    ],
    command: () => openCustody('x13', 'segregated_custody', D, 'vault:later'),
  },
  {
    code: 'vault_customer_mismatch',
    before: () => [
      {
        type: 'register_vault',
        vault: {
          ...bookVaults()[0]!,
          id: 'vault:alice',
          address: `0x${'8'.repeat(40)}`,
          kind: 'customer_individual',
          customerId: 'alice',
        },
      },
      openCustody('seg:alice:BTC', 'segregated_custody', D, 'vault:alice'),
    ],
    // Bob's deposit booked into Alice's own vault.
    command: () => transfer('deposit', [leg('seg:alice:BTC', bob, BTC, 1n)]),
  },
];

describe('engine rejections', () => {
  it.each(CASES.map((c) => [c.code, c] as const))(
    '%s: rejected with its code, books unchanged',
    (code, testCase) => {
      const engine = fundedEngine();
      const before = testCase.before?.(engine) ?? [];
      if (before.length > 0) applyAll(engine, before, NOW_MS - 1);
      const fingerprint = booksFingerprint(engine);
      const outcome = engine.executeBatch([testCase.command(engine)], NOW_MS);
      expect(outcome.results[0]).toMatchObject({ ok: false, error: { code } });
      expect(outcome.batch).toBeNull();
      expect(booksFingerprint(engine)).toBe(fingerprint);
    },
  );

  it('covers every code the engine can return', async () => {
    const { readFile } = await import('node:fs/promises');
    const sources = await Promise.all(
      ['engine.ts', 'transfer-rules.ts'].map((file) => readFile(new URL(file, import.meta.url), 'utf8')),
    );
    const codes = new Set<string>();
    for (const source of sources) {
      for (const match of source.matchAll(/(?:rejected|reject)\(\s*'([a-z_]+)'/g)) codes.add(match[1]!);
    }
    const classes = await readFile(new URL('classes.ts', import.meta.url), 'utf8');
    for (const match of classes.matchAll(/negativeCode: '([a-z_]+)'/g)) codes.add(match[1]!);
    codes.add('idempotency_id_reused_with_different_content');
    const tested = new Set(CASES.map((c) => c.code));
    expect(codes.size).toBeGreaterThan(40);
    expect([...codes].filter((code) => !tested.has(code))).toEqual([]);
  });
});

describe('idempotency', () => {
  it('a repeated id with identical content returns the original result and posts nothing', () => {
    const engine = fundedEngine();
    const command = deposit('carol', D, BTC, 10n);
    const first = engine.executeBatch([command], NOW_MS);
    expect(first.results[0]).toEqual({ ok: true, seq: 3, duplicate: false });
    const fingerprint = booksFingerprint(engine);
    const again = engine.executeBatch([command], NOW_MS + 1);
    expect(again.results[0]).toEqual({ ok: true, seq: 3, duplicate: true });
    expect(again.batch).toBeNull();
    expect(booksFingerprint(engine)).toBe(fingerprint);
  });

  it('a failed id stays failed even after the state would allow it', () => {
    const engine = fundedEngine();
    const command = withdrawal(600n);
    expect(engine.executeBatch([command], NOW_MS).results[0]).toMatchObject({
      ok: false,
      error: { code: 'segregation_customer_claim_negative' },
    });
    applyAll(engine, [deposit('alice', D, BTC, 1_000n)], NOW_MS + 1);
    const retry = engine.executeBatch([command], NOW_MS + 2);
    expect(retry.results[0]).toMatchObject({
      ok: false,
      error: { code: 'segregation_customer_claim_negative', details: { repeated: true } },
    });
    expect(retry.batch).toBeNull();
  });

  it('input errors are not remembered, so a corrected request may reuse the id', () => {
    const engine = fundedEngine();
    const bad = { ...deposit('carol', D, BTC, 0n) };
    expect(engine.executeBatch([bad], NOW_MS).failed).toEqual([]);
    const good = { ...bad, legs: [leg(seg, ids.customer('carol', D, BTC), BTC, 5n)] };
    expect(engine.executeBatch([good], NOW_MS + 1).results[0]).toMatchObject({ ok: true });
  });
});
