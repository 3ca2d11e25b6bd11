// Seeded random commands against the standard book: a mix of legitimate flows and attempts that break
// a rule (house sweeps, overdrafts, wrong instructions, replays), for property tests and the simulation.

import type { TransferKind } from '../../src/core/ledger/classes.ts';
import type { Command, Leg, TransferCommand } from '../../src/core/ledger/types.ts';
import { ACCOUNT_CLASSES, ASSETS, CUSTOMERS, ids, leg } from './book.ts';

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Generates commands; remembers what it issued so it can replay ids, post holds and reverse transfers. */
export class RandomOps {
  private counter = 0;
  private readonly issued: Command[] = [];
  private readonly holds: string[] = [];

  constructor(
    private readonly random: () => number,
    private readonly idPrefix = 'f',
  ) {}

  /** The next `count` commands, holds expiring relative to `nowMs`. */
  next(count: number, nowMs: number): Command[] {
    const commands: Command[] = [];
    for (let i = 0; i < count; i += 1) {
      const command = this.one(nowMs);
      commands.push(command);
      this.issued.push(command);
      if (command.type === 'transfer' && command.holdExpiresAtMs !== null) this.holds.push(command.id);
    }
    return commands;
  }

  private one(nowMs: number): Command {
    const roll = this.random();
    const asset = this.pick(ASSETS).code;
    const accountClass = this.pick(ACCOUNT_CLASSES);
    const customer = this.pick(CUSTOMERS);
    const other = this.pick(CUSTOMERS);
    const amount = this.amount();
    const mine = ids.customer(customer, accountClass, asset);
    const seg = ids.segregated(accountClass, asset);
    const ri = ids.residual(accountClass, asset);
    if (roll < 0.2) return this.transfer('deposit', [leg(seg, mine, asset, amount)]);
    if (roll < 0.3)
      return this.transfer(
        'withdrawal',
        [leg(mine, seg, asset, amount)],
        this.random() < 0.9 ? customer : other,
      );
    if (roll < 0.45)
      return this.transfer('trade_settlement', [
        leg(mine, ids.customer(other, accountClass, asset), asset, amount),
      ]);
    if (roll < 0.5)
      return this.transfer('trade_settlement', [
        this.random() < 0.5 ? leg(mine, ri, asset, amount) : leg(ri, mine, asset, amount),
      ]);
    if (roll < 0.55) return this.transfer('fee', [leg(mine, ri, asset, amount / 10n + 1n)]);
    if (roll < 0.6)
      return this.transfer('house_capital', [
        leg(ids.houseCustody(asset), ids.external(asset), asset, amount * 2n),
      ]);
    if (roll < 0.65) {
      const kind = this.random() < 0.5 ? 'residual_interest_deposit' : 'residual_interest_withdrawal';
      const legs =
        kind === 'residual_interest_deposit'
          ? [leg(seg, ids.houseCustody(asset), asset, amount), leg(ids.houseEquity(asset), ri, asset, amount)]
          : [
              leg(ids.houseCustody(asset), seg, asset, amount),
              leg(ri, ids.houseEquity(asset), asset, amount),
            ];
      // Sometimes only one leg: the pool identity must refuse it.
      return this.transfer(kind, this.random() < 0.2 ? legs.slice(0, 1) : legs);
    }
    if (roll < 0.7) {
      return this.transfer('insurance_fund_deposit', [
        leg(ids.insuranceCustody(asset), ids.houseCustody(asset), asset, amount),
        leg(ids.houseEquity(asset), ids.insuranceFund(asset), asset, amount),
      ]);
    }
    if (roll < 0.73) {
      return this.transfer('insurance_fund_payout', [
        leg(seg, ids.insuranceCustody(asset), asset, amount),
        leg(ids.insuranceFund(asset), mine, asset, amount),
      ]);
    }
    if (roll < 0.78) {
      // The forbidden sweeps: the house helping itself to customer claims or segregated coins.
      const kind = this.pick<TransferKind>([
        'house_transfer',
        'internal_transfer',
        'fee',
        'custody_rebalance',
      ]);
      const target =
        this.random() < 0.5
          ? leg(mine, ids.houseEquity(asset), asset, amount)
          : leg(ids.houseCustody(asset), seg, asset, amount);
      return this.transfer(kind, [target], kind === 'internal_transfer' ? customer : null);
    }
    if (roll < 0.86) {
      return {
        ...this.transfer('withdrawal', [leg(mine, seg, asset, amount)], customer),
        holdExpiresAtMs: nowMs + 1 + Math.floor(this.random() * 50),
      };
    }
    if (roll < 0.92 && this.holds.length > 0) {
      const holdId = this.pick(this.holds);
      if (this.random() < 0.5) return { type: 'void_hold', id: this.newId(), holdId };
      return {
        type: 'post_hold',
        id: this.newId(),
        holdId,
        amountMinor: this.random() < 0.5 ? null : amount / 2n + 1n,
      };
    }
    if (roll < 0.96 && this.issued.length > 0) {
      // Replays: identical content (a duplicate) or the same id with other content.
      const earlier = this.pick(this.issued);
      if (earlier.type !== 'transfer' || this.random() < 0.5) return earlier;
      return { ...earlier, reference: `${earlier.reference}-changed` };
    }
    const earlier = this.issued.filter((c) => c.type === 'transfer' && c.holdExpiresAtMs === null);
    if (earlier.length > 0) {
      const original = this.pick(earlier);
      if (original.type === 'transfer') {
        return this.transfer(
          'correction',
          original.legs.map((l) => leg(l.credit, l.debit, l.asset, l.amountMinor)),
          null,
          original.id,
        );
      }
    }
    return this.transfer('deposit', [leg(seg, mine, asset, amount)]);
  }

  private transfer(
    kind: TransferKind,
    legs: Leg[],
    instructedBy: string | null = null,
    reference = `${kind}-${this.counter}`,
  ): TransferCommand {
    return { type: 'transfer', id: this.newId(), kind, reference, instructedBy, legs, holdExpiresAtMs: null };
  }

  private newId(): string {
    this.counter += 1;
    return `${this.idPrefix}${this.counter.toString(16).padStart(31, '0')}`;
  }

  private amount(): bigint {
    // Mostly small amounts, sometimes large ones that overdraw.
    return BigInt(1 + Math.floor(this.random() * (this.random() < 0.9 ? 1_000 : 1_000_000)));
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }
}
