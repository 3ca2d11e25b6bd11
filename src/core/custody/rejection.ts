// The shape every custody rejection takes: data keyed by a stable snake_case code naming the broken rule,
// with a human message and JSON-friendly details (amounts as decimal strings of minor units).

/** A value that can sit in rejection details and survive JSON unchanged (bigints are passed as strings). */
export type DetailValue =
  | string
  | number
  | boolean
  | null
  | readonly DetailValue[]
  | { readonly [key: string]: DetailValue };

/** Structured details of a rejection or a decision. */
export type Details = Readonly<Record<string, DetailValue>>;

/** An expected refusal: the code is part of the API (docs/custody.md) and is never renamed. */
export interface CustodyRejection<Code extends string = string> {
  readonly code: Code;
  readonly message: string;
  readonly details: Details;
}

/** The failure half of every custody result. */
export interface Rejected<Code extends string = string> {
  readonly ok: false;
  readonly error: CustodyRejection<Code>;
}

/** Builds a rejection result. */
export function rejected<Code extends string>(
  code: Code,
  message: string,
  details: Details = {},
): Rejected<Code> {
  return { ok: false, error: { code, message, details } };
}
