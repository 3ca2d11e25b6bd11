// Contagion scenarios for the books as they stand: the four built-in ones the CLI and the API run by name
// (each sized from the book, so it shows something on any book), and scenarios written as JSON with amounts as
// decimal strings at each asset's scale, converted to the core's minor units.

import { type Rejected, rejected } from '../../core/custody/rejection.ts';
import type { Vault } from '../../core/custody/vault.ts';
import { parseAmount } from '../../core/money/amount.ts';
import type {
  ContagionBook,
  ContagionEvent,
  ContagionScenario,
  HouseCreditor,
} from '../../core/resolution/contagion.ts';
import type { Ratio } from '../../core/resolution/distribution.ts';
import { compareText } from '../../core/segregation/statement.ts';

/** The built-in scenarios, by the name the CLI and the API take. */
export const BUILT_IN_SCENARIOS = {
  'house-loss':
    'The house loses on its own trading, in every asset, all it holds plus half of what customers hold',
  'hot-wallet-hack':
    'Thieves take half of every holding of the hot customer vaults (all customer vaults if none is hot)',
  'customer-default':
    'The largest customer of the first estate with two customers loses twice its equity to the next largest',
  'custodian-failure':
    'The custodian with the most customer vaults fails and half of every holding in its vaults is lost',
} as const;

/** A built-in scenario's name. */
export type BuiltInScenarioName = keyof typeof BUILT_IN_SCENARIOS;

/** The codes of scenario input (besides the amount codes and the core's contagion codes). */
export type ContagionInputErrorCode =
  | 'contagion_scenario_unknown'
  | 'contagion_scenario_not_applicable'
  | 'contagion_asset_unknown';

/** A scenario as JSON: amounts are decimal strings at the asset's scale, a lost share "n/d" or a decimal. */
export interface ScenarioJson {
  readonly name: string;
  readonly events: readonly ScenarioEventJson[];
  readonly houseCreditors?:
    | readonly {
        readonly creditorId: string;
        readonly asset: string;
        readonly claim: string;
      }[]
    | undefined;
}

/** One event as JSON. */
export type ScenarioEventJson =
  | { readonly type: 'house_trading_loss'; readonly asset: string; readonly amount: string }
  | {
      readonly type: 'hot_wallet_hack';
      readonly vaultId: string;
      readonly asset: string;
      readonly amount: string;
    }
  | {
      readonly type: 'customer_default';
      readonly customerId: string;
      readonly asset: string;
      readonly accountClass: string;
      readonly loss: string;
      readonly counterpartyId: string;
    }
  | { readonly type: 'custodian_failure'; readonly vaultIds: readonly string[]; readonly lostShare: string };

/** The core's scenario and house creditors, or the first input that does not convert. */
export type ScenarioFromJsonResult =
  | {
      readonly ok: true;
      readonly scenario: ContagionScenario;
      readonly houseCreditors: readonly HouseCreditor[];
    }
  | Rejected;

/**
 * Converts a JSON scenario: each amount is parsed at its asset's scale (`contagion_asset_unknown` for an
 * asset the registry does not know, then the amount codes with `details.field`), a lost share as "n/d" or a
 * decimal fraction; whether the events make sense for the book is the core's to check.
 */
export function scenarioFromJson(
  json: ScenarioJson,
  scales: ReadonlyMap<string, number>,
): ScenarioFromJsonResult {
  const amount = (asset: string, text: string, field: string): { ok: true; value: bigint } | Rejected => {
    const scale = scales.get(asset);
    if (scale === undefined)
      return rejected('contagion_asset_unknown', `no asset ${asset} is registered`, { asset, field });
    const parsed = parseAmount(text, scale);
    if (!parsed.ok) return rejected(parsed.error.code, parsed.error.message, { field });
    return parsed;
  };
  const events: ContagionEvent[] = [];
  for (const [index, event] of json.events.entries()) {
    switch (event.type) {
      case 'house_trading_loss': {
        const parsed = amount(event.asset, event.amount, `events.${index}.amount`);
        if (!parsed.ok) return parsed;
        events.push({ type: event.type, asset: event.asset, amountMinor: parsed.value });
        break;
      }
      case 'hot_wallet_hack': {
        const parsed = amount(event.asset, event.amount, `events.${index}.amount`);
        if (!parsed.ok) return parsed;
        events.push({
          type: event.type,
          vaultId: event.vaultId,
          asset: event.asset,
          amountMinor: parsed.value,
        });
        break;
      }
      case 'customer_default': {
        const parsed = amount(event.asset, event.loss, `events.${index}.loss`);
        if (!parsed.ok) return parsed;
        events.push({
          type: event.type,
          customerId: event.customerId,
          asset: event.asset,
          accountClass: event.accountClass,
          lossMinor: parsed.value,
          counterpartyId: event.counterpartyId,
        });
        break;
      }
      case 'custodian_failure': {
        const share = parseShare(event.lostShare);
        if (share === null) {
          return rejected('contagion_lost_share_invalid', 'the lost share is a fraction in (0, 1]', {
            field: `events.${index}.lostShare`,
            lostShare: event.lostShare,
          });
        }
        events.push({ type: event.type, vaultIds: [...event.vaultIds], lostShare: share });
        break;
      }
    }
  }
  const houseCreditors: HouseCreditor[] = [];
  for (const [index, creditor] of (json.houseCreditors ?? []).entries()) {
    const parsed = amount(creditor.asset, creditor.claim, `houseCreditors.${index}.claim`);
    if (!parsed.ok) return parsed;
    houseCreditors.push({ creditorId: creditor.creditorId, asset: creditor.asset, claimMinor: parsed.value });
  }
  return { ok: true, scenario: { name: json.name, events }, houseCreditors };
}

/** "n/d" or a decimal such as "0.25"; null when neither (the core checks the range). */
export function parseShare(text: string): Ratio | null {
  const fraction = /^(\d{1,30})\/(\d{1,30})$/.exec(text);
  if (fraction !== null) return { numerator: BigInt(fraction[1]!), denominator: BigInt(fraction[2]!) };
  const decimal = /^(\d{1,30})(?:\.(\d{1,30}))?$/.exec(text);
  if (decimal === null) return null;
  const digits = decimal[2] ?? '';
  return { numerator: BigInt(decimal[1]! + digits), denominator: 10n ** BigInt(digits.length) };
}

/** One half, the share the built-in hack and custodian failure lose. */
const HALF: Ratio = { numerator: 1n, denominator: 2n };

/** Builds a built-in scenario for `book`, or says why it cannot (unknown name, nothing to apply it to). */
export function builtInScenario(
  name: string,
  book: ContagionBook,
  vaults: readonly Vault[],
): { readonly ok: true; readonly scenario: ContagionScenario } | Rejected {
  if (!Object.hasOwn(BUILT_IN_SCENARIOS, name)) {
    return rejected('contagion_scenario_unknown', `no built-in scenario ${name}`, {
      scenario: name,
      known: Object.keys(BUILT_IN_SCENARIOS),
    });
  }
  const events = builtInEvents(name as BuiltInScenarioName, book, vaults);
  if (events.length === 0) {
    return rejected(
      'contagion_scenario_not_applicable',
      `the books hold nothing the ${name} scenario could apply to`,
      { scenario: name },
    );
  }
  return { ok: true, scenario: { name, events } };
}

function builtInEvents(
  name: BuiltInScenarioName,
  book: ContagionBook,
  vaults: readonly Vault[],
): ContagionEvent[] {
  switch (name) {
    case 'house-loss': {
      const house = new Map<string, bigint>();
      const customers = new Map<string, bigint>();
      for (const holding of book.holdings) {
        const totals = holding.pool.type === 'house' ? house : customers;
        totals.set(holding.asset, (totals.get(holding.asset) ?? 0n) + holding.amountMinor);
      }
      const assets = [...new Set([...house.keys(), ...customers.keys()])].sort(compareText);
      return assets.flatMap((asset) => {
        // The loss wipes out the house and half as much again as customers hold (rounded up).
        const amountMinor = (house.get(asset) ?? 0n) + ((customers.get(asset) ?? 0n) + 1n) / 2n;
        return amountMinor > 0n ? [{ type: 'house_trading_loss' as const, asset, amountMinor }] : [];
      });
    }
    case 'hot-wallet-hack': {
      const customerVaults = new Set(
        book.holdings.filter((holding) => holding.pool.type === 'customer').map((holding) => holding.vaultId),
      );
      const hot = new Set(vaults.filter((vault) => vault.temperature === 'hot').map((vault) => vault.id));
      const targets = [...customerVaults].some((id) => hot.has(id))
        ? new Set([...customerVaults].filter((id) => hot.has(id)))
        : customerVaults;
      return book.holdings.flatMap((holding) => {
        const amountMinor = (holding.amountMinor + 1n) / 2n;
        return targets.has(holding.vaultId) && amountMinor > 0n
          ? [
              {
                type: 'hot_wallet_hack' as const,
                vaultId: holding.vaultId,
                asset: holding.asset,
                amountMinor,
              },
            ]
          : [];
      });
    }
    case 'customer-default': {
      const estates = new Map<string, { asset: string; accountClass: string; equity: Map<string, bigint> }>();
      for (const entry of book.netEquity) {
        const key = `${entry.asset}\u0000${entry.accountClass}`;
        let estate = estates.get(key);
        if (estate === undefined) {
          estate = { asset: entry.asset, accountClass: entry.accountClass, equity: new Map() };
          estates.set(key, estate);
        }
        estate.equity.set(
          entry.customerId,
          (estate.equity.get(entry.customerId) ?? 0n) + entry.netEquityMinor,
        );
      }
      const ordered = [...estates.values()].sort(
        (a, b) => compareText(a.asset, b.asset) || compareText(a.accountClass, b.accountClass),
      );
      for (const estate of ordered) {
        const ranked = [...estate.equity.entries()]
          .filter(([, equity]) => equity > 0n)
          .sort(([idA, a], [idB, b]) => (a === b ? compareText(idA, idB) : a > b ? -1 : 1));
        if (ranked.length < 2) continue;
        const [defaulter, equity] = ranked[0]!;
        return [
          {
            type: 'customer_default',
            customerId: defaulter,
            asset: estate.asset,
            accountClass: estate.accountClass,
            lossMinor: 2n * equity,
            counterpartyId: ranked[1]![0],
          },
        ];
      }
      return [];
    }
    case 'custodian-failure': {
      const held = new Set(
        book.holdings.filter((holding) => holding.pool.type === 'customer').map((holding) => holding.vaultId),
      );
      const byCustodian = new Map<string, string[]>();
      for (const vault of vaults) {
        if (!held.has(vault.id)) continue;
        byCustodian.set(vault.custodian, [...(byCustodian.get(vault.custodian) ?? []), vault.id]);
      }
      const largest = [...byCustodian.entries()].sort(
        ([a, idsA], [b, idsB]) => idsB.length - idsA.length || compareText(a, b),
      )[0];
      return largest === undefined
        ? []
        : [{ type: 'custodian_failure', vaultIds: largest[1].sort(compareText), lostShare: HALF }];
    }
  }
}
