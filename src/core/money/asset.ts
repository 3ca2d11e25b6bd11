// The asset registry's value type and the validation of asset codes and scales.

/** An asset the ledger can hold: a code ("BTC") and the number of decimal places of its minor unit. */
export interface Asset {
  readonly code: string;
  readonly scale: number;
}

/** Asset codes are 2-16 upper-case letters, digits, '.', '_' or '-', starting with a letter. */
export const ASSET_CODE_PATTERN = /^[A-Z][A-Z0-9._-]{1,15}$/;

/** Scales run from 0 (whole units) to 18 (ETH's wei). */
export const ASSET_SCALE_MAX = 18;

/** True when `scale` is an integer in 0..18. */
export function isValidScale(scale: unknown): scale is number {
  return typeof scale === 'number' && Number.isInteger(scale) && scale >= 0 && scale <= ASSET_SCALE_MAX;
}
