// The asset triple every OKX Merkle file carries (BTC, ETH, USDT, always in that order): reading it from parsed
// JSON, the JSON text OKX hashes into a leaf, and the per-asset sums its parent nodes carry.

import {
  addOkxAmounts,
  formatOkxAmount,
  type OkxAmount,
  okxAmountsEqual,
  parseOkxAmount,
} from './okx-decimal.ts';

/** The assets OKX's Merkle formats carry, in the order every preimage writes them. */
export const OKX_ASSETS = ['BTC', 'ETH', 'USDT'] as const;

/** One of BTC, ETH, USDT. */
export type OkxAsset = (typeof OKX_ASSETS)[number];

/** One amount per asset. */
export type OkxBalances = { readonly [asset in OkxAsset]: OkxAmount };

/** Balances as a file wrote them (the strings OKX hashes verbatim) and their exact values. */
export interface OkxBalancesRead {
  readonly text: { readonly [asset in OkxAsset]: string };
  readonly values: OkxBalances;
}

/** Reading a balances object either gives both forms or says which field is wrong. */
export type ReadOkxBalancesResult =
  | { readonly ok: true; readonly balances: OkxBalancesRead }
  | { readonly ok: false; readonly field: string; readonly message: string };

/** Zero of every asset. */
export const OKX_ZERO_BALANCES: OkxBalances = {
  BTC: { minor: 0n, scale: 8 },
  ETH: { minor: 0n, scale: 8 },
  USDT: { minor: 0n, scale: 8 },
};

/** Reads `{"BTC": "…", "ETH": "…", "USDT": "…"}`; any other key is refused, since OKX would silently drop it. */
export function readOkxBalances(value: unknown, field: string): ReadOkxBalancesResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, field, message: `${field} must be an object {"BTC","ETH","USDT"}` };
  }
  const record = value as Record<string, unknown>;
  const extra = Object.keys(record).find((key) => !(OKX_ASSETS as readonly string[]).includes(key));
  if (extra !== undefined) {
    return {
      ok: false,
      field: `${field}.${extra}`,
      message: `${field} has "${extra}", which OKX does not hash`,
    };
  }
  const text: Partial<Record<OkxAsset, string>> = {};
  const values: Partial<Record<OkxAsset, OkxAmount>> = {};
  for (const asset of OKX_ASSETS) {
    const amount = parseOkxAmount(record[asset]);
    if (amount === null) {
      return {
        ok: false,
        field: `${field}.${asset}`,
        message: `${field}.${asset} must be a plain decimal string with at most 18 decimals`,
      };
    }
    text[asset] = record[asset] as string;
    values[asset] = amount;
  }
  return { ok: true, balances: { text: text as OkxBalancesRead['text'], values: values as OkxBalances } };
}

/** The leaf balances JSON exactly as OKX writes it into a leaf preimage, from the strings as given. */
export function okxBalancesJson(text: OkxBalancesRead['text']): string {
  return `{"BTC":"${text.BTC}","ETH":"${text.ETH}","USDT":"${text.USDT}"}`;
}

/** Per-asset sum of two nodes, each truncated toward zero to 8 decimals as OKX does. */
export function addOkxBalances(a: OkxBalances, b: OkxBalances): OkxBalances {
  return {
    BTC: addOkxAmounts(a.BTC, b.BTC),
    ETH: addOkxAmounts(a.ETH, b.ETH),
    USDT: addOkxAmounts(a.USDT, b.USDT),
  };
}

/** The sums as a parent preimage writes them: canonical decimals concatenated with no separator. */
export function okxSumsText(balances: OkxBalances): string {
  return OKX_ASSETS.map((asset) => formatOkxAmount(balances[asset])).join('');
}

/** The first asset whose values differ, or null when all three are equal. */
export function firstDifferingAsset(a: OkxBalances, b: OkxBalances): OkxAsset | null {
  return OKX_ASSETS.find((asset) => !okxAmountsEqual(a[asset], b[asset])) ?? null;
}

/** The first asset below zero, or null. */
export function firstNegativeAsset(balances: OkxBalances): OkxAsset | null {
  return OKX_ASSETS.find((asset) => balances[asset].minor < 0n) ?? null;
}

/** Balances printed for messages: "BTC 1.5, ETH 0, USDT 2". */
export function describeOkxBalances(balances: OkxBalances): string {
  return OKX_ASSETS.map((asset) => `${asset} ${formatOkxAmount(balances[asset])}`).join(', ');
}
