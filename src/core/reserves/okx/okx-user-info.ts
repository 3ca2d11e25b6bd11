// OKX's v2 user-info file (from Mar 2023, `user_info_file.json`): each customer's balances split at random into
// leaves. Checks what the file alone can show: the customer hash, each leaf hash, and that the leaves add up to
// the total. Inclusion in the tree needs the full tree file (okx-liability-tree.ts).

import {
  addOkxBalances,
  describeOkxBalances,
  firstDifferingAsset,
  firstNegativeAsset,
  type OkxBalances,
  type OkxBalancesRead,
  okxBalancesJson,
  readOkxBalances,
} from './okx-balances.ts';
import { type OkxFailure, type OkxWeakness, okxFailure, okxWeaknesses } from './okx-failure.ts';
import { isOkxHash, sha256HexOfText } from './okx-hash.ts';
import { isJsonObject, isOkxNonce, OKX_NONCE_CHARS_MAX } from './okx-json.ts';

/** The format name a verified v2 user-info file reports. */
export const OKX_USER_INFO_V2_FORMAT = 'okx-user-info-v2';
/** Most leaves one customer's balances may be split into (OKX uses 2). */
export const OKX_USER_LEAVES_MAX = 16;

/** The refusals, in the order they are checked. */
export type OkxUserInfoErrorCode =
  | 'okx_proof_malformed'
  | 'okx_negative_balance'
  | 'okx_user_hash_mismatch'
  | 'okx_leaf_hash_mismatch'
  | 'okx_leaves_sum_mismatch';

/** One of a customer's leaves: its hash and the balances it carries. */
export interface OkxUserLeaf {
  readonly hash: string;
  readonly balances: OkxBalances;
}

/** A self-consistent v2 user-info file, with what it showed. */
export interface VerifiedOkxUserInfo {
  readonly ok: true;
  readonly format: typeof OKX_USER_INFO_V2_FORMAT;
  /** SHA-256(nonce + total balances JSON): the customer's hash, prefixed to every leaf preimage. */
  readonly userHash: string;
  readonly nonce: string;
  readonly totalBalances: OkxBalances;
  /** The leaves to look for in the full tree (pass them to verifyOkxLiabilityTree). */
  readonly leaves: readonly OkxUserLeaf[];
  readonly weaknesses: readonly OkxWeakness[];
}

/** The result of verifying a v2 user-info file. */
export type OkxUserInfoResult = VerifiedOkxUserInfo | OkxFailure<OkxUserInfoErrorCode>;

interface ParsedUserInfo {
  readonly ok: true;
  readonly userHash: string;
  readonly nonce: string;
  readonly total: OkxBalancesRead;
  readonly nodes: readonly { readonly hash: string; readonly balances: OkxBalancesRead }[];
}

type Malformed = OkxFailure<'okx_proof_malformed'>;

/** Verifies a parsed OKX v2 `user_info_file.json` on its own; never throws on bad input. */
export function verifyOkxUserInfo(input: unknown): OkxUserInfoResult {
  const parsed = readUserInfo(input);
  if (!parsed.ok) return parsed;
  const { userHash, nonce, total, nodes } = parsed;

  const named = [
    { field: 'totalBalances', balances: total },
    ...nodes.map((node, index) => ({ field: `nodes[${index}].balances`, balances: node.balances })),
  ];
  for (const { field, balances } of named) {
    const asset = firstNegativeAsset(balances.values);
    if (asset !== null) {
      return okxFailure('okx_negative_balance', `${field}.${asset} is negative (${balances.text[asset]})`, {
        field: `${field}.${asset}`,
      });
    }
  }

  if (sha256HexOfText(nonce + okxBalancesJson(total.text)) !== userHash) {
    return okxFailure(
      'okx_user_hash_mismatch',
      'hash is not SHA-256(nonce + totalBalances JSON): the nonce or a total differs from what was hashed',
      { field: 'hash' },
    );
  }
  for (const [index, node] of nodes.entries()) {
    if (leafHash(userHash, node.balances) !== node.hash) {
      return okxFailure(
        'okx_leaf_hash_mismatch',
        `nodes[${index}].hash is not SHA-256(hash + BTC + ETH + USDT) of its balances`,
        { field: `nodes[${index}].hash`, height: 1 },
      );
    }
  }
  // OKX's tool starts from the first leaf and adds the others with 8-decimal round-down; so does this.
  const sum = nodes
    .slice(1)
    .reduce((acc, node) => addOkxBalances(acc, node.balances.values), nodes[0]!.balances.values);
  const asset = firstDifferingAsset(sum, total.values);
  if (asset !== null) {
    return okxFailure(
      'okx_leaves_sum_mismatch',
      `the leaves add up to ${describeOkxBalances(sum)}, not totalBalances (${asset} differs)`,
      { field: `totalBalances.${asset}` },
    );
  }

  return {
    ok: true,
    format: OKX_USER_INFO_V2_FORMAT,
    userHash,
    nonce,
    totalBalances: total.values,
    leaves: nodes.map((node) => ({ hash: node.hash, balances: node.balances.values })),
    weaknesses: okxWeaknesses([
      'inclusion_not_checked',
      'sum_only_parent_preimage',
      'unseparated_preimage_fields',
      'completeness_unproven',
      'snapshot_only',
    ]),
  };
}

/** A v2 leaf: SHA-256(customer hash + BTC + ETH + USDT), the strings as the file has them, nothing between. */
function leafHash(userHash: string, balances: OkxBalancesRead): string {
  return sha256HexOfText(userHash + balances.text.BTC + balances.text.ETH + balances.text.USDT);
}

function readUserInfo(input: unknown): ParsedUserInfo | Malformed {
  if (!isJsonObject(input)) {
    return malformed('', 'a user-info file is a JSON object {"hash", "nodes", "nonce", "totalBalances"}');
  }
  if (!isOkxHash(input.hash)) return malformed('hash', 'hash must be 64 lower-case hex digits');
  if (!isOkxNonce(input.nonce)) {
    return malformed('nonce', `nonce must be a string of 1 to ${OKX_NONCE_CHARS_MAX} characters`);
  }
  const total = readOkxBalances(input.totalBalances, 'totalBalances');
  if (!total.ok) return malformed(total.field, total.message);
  const nodes = input.nodes;
  if (!Array.isArray(nodes) || nodes.length < 1 || nodes.length > OKX_USER_LEAVES_MAX) {
    return malformed('nodes', `nodes must be an array of 1 to ${OKX_USER_LEAVES_MAX} leaves`);
  }
  const leaves: ParsedUserInfo['nodes'][number][] = [];
  for (const [index, node] of nodes.entries()) {
    const field = `nodes[${index}]`;
    if (!isJsonObject(node)) return malformed(field, `${field} must be an object`);
    if (!isOkxHash(node.hash))
      return malformed(`${field}.hash`, `${field}.hash must be 64 lower-case hex digits`);
    const balances = readOkxBalances(node.balances, `${field}.balances`);
    if (!balances.ok) return malformed(balances.field, balances.message);
    leaves.push({ hash: node.hash, balances: balances.balances });
  }
  return { ok: true, userHash: input.hash, nonce: input.nonce, total: total.balances, nodes: leaves };
}

function malformed(field: string, message: string): Malformed {
  return okxFailure('okx_proof_malformed', message, field === '' ? {} : { field });
}
