// Field readers the offline verifiers share: each checks one JSON field's shape and reports the field's
// name through the caller's `read` callback, which throws the verifier's own "malformed" error.

import { isValidScale } from '../money/asset.ts';
import { TREE_ASSETS_MAX, type TreeAsset } from './tree-format.ts';

/** Throws a malformed-field error naming `field` unless `condition` holds. */
export type FieldReader = (condition: boolean, field: string) => void;

/** Why a file could not be read: a field is missing or malformed, or the file is of another format. */
export class FieldError extends Error {
  constructor(
    readonly kind: 'malformed' | 'format',
    message: string,
  ) {
    super(message);
  }
}

/** Reads a file with `reader`, turning the first FieldError into data; `label` names the file in messages. */
export function readFields<T>(
  label: string,
  reader: (read: FieldReader) => T,
):
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly kind: FieldError['kind']; readonly message: string } {
  const read: FieldReader = (condition, field) => {
    if (!condition) throw new FieldError('malformed', `${label} field ${field} is missing or malformed`);
  };
  try {
    return { ok: true, value: reader(read) };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, kind: error.kind, message: error.message };
    throw error;
  }
}

/** Amounts in proofs and attestations: an optional minus and up to 40 decimal digits (range is checked later). */
const AMOUNT_TEXT_PATTERN = /^-?(0|[1-9][0-9]{0,39})$/;

/** True for an integer minor-unit amount as the formats write it. */
export function isAmountText(text: unknown): text is string {
  return typeof text === 'string' && AMOUNT_TEXT_PATTERN.test(text);
}

/** True for `bytes` bytes of lower-case hex without 0x. */
export function isHexText(text: unknown, bytes: number): text is string {
  return typeof text === 'string' && text.length === bytes * 2 && /^[0-9a-f]*$/.test(text);
}

/** A JSON object (not an array, not null). */
export function readObject(value: unknown, field: string, read: FieldReader): Record<string, unknown> {
  read(value !== null && typeof value === 'object' && !Array.isArray(value), field);
  return value as Record<string, unknown>;
}

/** A JSON array. */
export function readArray(value: unknown, field: string, read: FieldReader): unknown[] {
  read(Array.isArray(value), field);
  return value as unknown[];
}

/** A string. */
export function readString(value: unknown, field: string, read: FieldReader): string {
  read(typeof value === 'string', field);
  return value as string;
}

/** A non-negative safe integer. */
export function readInteger(value: unknown, field: string, read: FieldReader): number {
  read(Number.isSafeInteger(value) && (value as number) >= 0, field);
  return value as number;
}

/** The assets list of a tree: 1 to 64 entries {code, scale}, codes unique and sorted. */
export function readTreeAssets(value: unknown, field: string, read: FieldReader): TreeAsset[] {
  const assets = readArray(value, field, read).map((item, index) => {
    const asset = readObject(item, `${field}[${index}]`, read);
    read(isValidScale(asset.scale), `${field}[${index}].scale`);
    return { code: readString(asset.code, `${field}[${index}].code`, read), scale: asset.scale as number };
  });
  const codes = assets.map((asset) => asset.code);
  read(
    assets.length >= 1 &&
      assets.length <= TREE_ASSETS_MAX &&
      new Set(codes).size === codes.length &&
      [...codes].sort().every((code, index) => code === codes[index]),
    field,
  );
  return assets;
}
