// The failure half of every OKX verifier's result, and the known weaknesses its success half reports, so a
// pass is never read as proving more than OKX's formats can prove.

/** An expected refusal: a stable snake_case code, a message, and where in the file it was found. */
export interface OkxError<Code extends string> {
  readonly code: Code;
  readonly message: string;
  /** Tree height the check failed at (leaves are height 1). */
  readonly height?: number;
  /** JSON path of the offending field, e.g. "path[3].balances.BTC". */
  readonly field?: string;
  /** 1-based line of a full-tree text file. */
  readonly line?: number;
}

/** `{ ok: false, error }` for one of a verifier's codes. */
export interface OkxFailure<Code extends string> {
  readonly ok: false;
  readonly error: OkxError<Code>;
}

/** Where a failure was found; every property optional. */
export interface OkxErrorLocation {
  readonly height?: number;
  readonly field?: string;
  readonly line?: number;
}

/** Builds a failure result. */
export function okxFailure<Code extends string>(
  code: Code,
  message: string,
  location: OkxErrorLocation = {},
): OkxFailure<Code> {
  return { ok: false, error: { code, message, ...location } };
}

/** What a weakness code means; the text is shown to the person verifying. */
export const OKX_WEAKNESS_MESSAGES = {
  sum_only_parent_preimage:
    'A parent hash commits to its children’s hashes and their summed balances, not to each child’s balances, ' +
    'so the exchange can show different customers inconsistent sibling values (the Maxwell attack; Hu, Zhang ' +
    'and Guo, ePrint 2018/1139) and no single proof can detect it.',
  unseparated_preimage_fields:
    'Sums (and the height) are concatenated into the preimage without separators, so one hash fits several ' +
    'readings of the digits: the root hash does not bind the per-asset totals.',
  no_range_proof:
    'Only the balances shown in this file are checked for being non-negative; a negative balance hidden inside ' +
    'a sibling subtree lowers the totals undetected.',
  sibling_leaf_disclosed:
    'The first path node is another customer’s leaf, disclosed with its exact balances (and nonce).',
  leaf_balances_unbound:
    'Leaf hashes in the full tree cannot be recomputed from the file (they hide the owner’s hash), so only each ' +
    'owner can tell whether their leaf’s balances are right; anyone else must trust them.',
  inclusion_not_checked:
    'This file alone is checked only for being self-consistent; inclusion needs the full liability tree file.',
  completeness_unproven:
    'A pass shows these balances are in the tree; it does not show that every customer is, nor that reserves ' +
    'cover the total.',
  snapshot_only: 'The proof covers one snapshot; balances before or after it are not covered.',
} as const;

/** The code of a known weakness of an OKX format. */
export type OkxWeaknessCode = keyof typeof OKX_WEAKNESS_MESSAGES;

/** A known weakness of the verified format, reported with every pass. */
export interface OkxWeakness {
  readonly code: OkxWeaknessCode;
  readonly message: string;
}

/** The weaknesses for `codes`, with their messages, in the order given. */
export function okxWeaknesses(codes: readonly OkxWeaknessCode[]): readonly OkxWeakness[] {
  return codes.map((code) => ({ code, message: OKX_WEAKNESS_MESSAGES[code] }));
}
