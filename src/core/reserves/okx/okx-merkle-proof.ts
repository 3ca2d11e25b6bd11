// OKX's v1 Merkle proof file (Nov 2022 – Mar 2023, `merkle_proof_file.json`): reading it and recomputing the
// customer's leaf and every parent up to the published root, with OKX's own preimages and 8-decimal
// round-down sums; a pass also lists the format's known weaknesses (docs/proof-formats.md).

import {
  addOkxBalances,
  firstDifferingAsset,
  firstNegativeAsset,
  OKX_ZERO_BALANCES,
  type OkxBalances,
  type OkxBalancesRead,
  okxBalancesJson,
  okxSumsText,
  readOkxBalances,
} from './okx-balances.ts';
import { formatOkxAmount } from './okx-decimal.ts';
import { type OkxFailure, type OkxWeakness, okxFailure, okxWeaknesses } from './okx-failure.ts';
import { isOkxHash, sha256HexOfText } from './okx-hash.ts';
import { isJsonObject, isOkxNonce, OKX_NONCE_CHARS_MAX } from './okx-json.ts';

/** The format name a verified v1 proof reports. */
export const OKX_MERKLE_V1_FORMAT = 'okx-merkle-v1';
/** Most path nodes (siblings plus the root) a proof may hold: a tree of 2^63 leaves. */
export const OKX_PATH_NODES_MAX = 64;
/** The `type` numbers of OKX's path nodes: which side of its parent a node is on, or root, or padding. */
export const OKX_NODE_TYPE = { left: 1, right: 2, root: 3, padding: 4 } as const;

/**
 * The refusals, in the order they are checked; `okx_padding_invalid` is checked twice: a padding node's zero
 * balances with the structure, its copied hash last (a wrong node below it would make any copy differ).
 */
export type OkxMerkleProofErrorCode =
  | 'okx_proof_malformed'
  | 'okx_negative_balance'
  | 'okx_path_type_invalid'
  | 'okx_path_height_invalid'
  | 'okx_leaf_hash_mismatch'
  | 'okx_sibling_leaf_hash_mismatch'
  | 'okx_padding_invalid'
  | 'okx_root_sum_mismatch'
  | 'okx_root_hash_mismatch';

/** A v1 proof that recomputes to its root, with what it showed. */
export interface VerifiedOkxMerkleProof {
  readonly ok: true;
  readonly format: typeof OKX_MERKLE_V1_FORMAT;
  /** The file's `self.auditId`, when it has one. */
  readonly auditId: string | null;
  readonly root: { readonly hash: string; readonly height: number; readonly balances: OkxBalances };
  readonly self: {
    readonly hash: string;
    readonly nonce: string;
    readonly side: 'left' | 'right';
    readonly balances: OkxBalances;
  };
  readonly weaknesses: readonly OkxWeakness[];
}

/** The result of verifying a v1 proof file. */
export type OkxMerkleProofResult = VerifiedOkxMerkleProof | OkxFailure<OkxMerkleProofErrorCode>;

interface ProofNode {
  readonly field: string;
  readonly hash: string;
  readonly type: number;
  readonly height: number;
  readonly balances: OkxBalancesRead;
  readonly nonce: string | null;
}

interface ParsedProof {
  readonly ok: true;
  readonly auditId: string | null;
  readonly self: ProofNode & { readonly nonce: string };
  readonly siblings: readonly ProofNode[];
  readonly root: ProofNode;
}

type Malformed = OkxFailure<'okx_proof_malformed'>;

/** Verifies a parsed OKX v1 `merkle_proof_file.json`; never throws on bad input. */
export function verifyOkxMerkleProof(input: unknown): OkxMerkleProofResult {
  const parsed = readProof(input);
  if (!parsed.ok) return parsed;
  const { self, siblings, root } = parsed;

  for (const node of [self, ...siblings, root]) {
    const asset = firstNegativeAsset(node.balances.values);
    if (asset !== null) {
      return okxFailure(
        'okx_negative_balance',
        `${node.field}.balances.${asset} is negative (${node.balances.text[asset]}); OKX's tool accepts it, ` +
          'but a negative balance lowers the totals',
        { field: `${node.field}.balances.${asset}`, height: node.height },
      );
    }
  }

  const typeFailure = checkTypes(self, siblings, root);
  if (typeFailure !== null) return typeFailure;
  const heightFailure = checkHeights(self, siblings, root);
  if (heightFailure !== null) return heightFailure;
  for (const sibling of siblings) {
    if (
      sibling.type === OKX_NODE_TYPE.padding &&
      firstDifferingAsset(sibling.balances.values, OKX_ZERO_BALANCES) !== null
    ) {
      return okxFailure(
        'okx_padding_invalid',
        `${sibling.field} is padding (type 4) but has a non-zero balance`,
        {
          field: `${sibling.field}.balances`,
          height: sibling.height,
        },
      );
    }
  }

  if (leafHash(self.nonce, self.balances) !== self.hash) {
    return okxFailure(
      'okx_leaf_hash_mismatch',
      'self.hash is not SHA-256(nonce + balances JSON): the nonce or a balance differs from what was hashed',
      { field: 'self.hash', height: 1 },
    );
  }
  // OKX discloses the neighbouring leaf's nonce; when it does, that leaf can be recomputed too.
  const neighbour = siblings[0]!;
  if (neighbour.nonce !== null && leafHash(neighbour.nonce, neighbour.balances) !== neighbour.hash) {
    return okxFailure(
      'okx_sibling_leaf_hash_mismatch',
      'path[0].hash is not SHA-256(nonce + balances JSON) of the neighbouring leaf',
      { field: 'path[0].hash', height: 1 },
    );
  }

  let hash = self.hash;
  let balances = self.balances.values;
  let paddingNotCopied: ProofNode | null = null;
  for (const [index, sibling] of siblings.entries()) {
    // OKX pads an odd level with a copy of the last node's hash (checked below, once the root matches).
    if (sibling.type === OKX_NODE_TYPE.padding && sibling.hash !== hash) paddingNotCopied ??= sibling;
    const siblingOnLeft = sibling.type === OKX_NODE_TYPE.left;
    const parentHeight = index + 2;
    balances = addOkxBalances(balances, sibling.balances.values);
    hash = parentHash(
      siblingOnLeft ? sibling.hash : hash,
      siblingOnLeft ? hash : sibling.hash,
      balances,
      parentHeight,
    );
  }

  const asset = firstDifferingAsset(balances, root.balances.values);
  if (asset !== null) {
    return okxFailure(
      'okx_root_sum_mismatch',
      `the path sums to ${asset} ${formatOkxAmount(balances[asset])} but the root says ${root.balances.text[asset]}`,
      { field: `${root.field}.balances.${asset}`, height: root.height },
    );
  }
  if (hash !== root.hash) {
    return okxFailure(
      'okx_root_hash_mismatch',
      `the path hashes to root ${hash}, not the published ${root.hash} (a path hash, side or balance differs)`,
      { field: `${root.field}.hash`, height: root.height },
    );
  }
  // Only now is a padding hash that is not a copy the fault: with a wrong node below it, no copy could match.
  if (paddingNotCopied !== null) {
    return okxFailure(
      'okx_padding_invalid',
      `${paddingNotCopied.field} is padding but not a copy of its sibling's hash`,
      {
        field: `${paddingNotCopied.field}.hash`,
        height: paddingNotCopied.height,
      },
    );
  }

  return {
    ok: true,
    format: OKX_MERKLE_V1_FORMAT,
    auditId: parsed.auditId,
    root: { hash: root.hash, height: root.height, balances },
    self: {
      hash: self.hash,
      nonce: self.nonce,
      side: self.type === OKX_NODE_TYPE.left ? 'left' : 'right',
      balances: self.balances.values,
    },
    weaknesses: okxWeaknesses([
      'sum_only_parent_preimage',
      'unseparated_preimage_fields',
      'no_range_proof',
      ...(neighbour.type === OKX_NODE_TYPE.padding ? [] : (['sibling_leaf_disclosed'] as const)),
      'completeness_unproven',
      'snapshot_only',
    ]),
  };
}

/** A v1 leaf: SHA-256(nonce + `{"BTC":"…","ETH":"…","USDT":"…"}`), the strings exactly as the file has them. */
function leafHash(nonce: string, balances: OkxBalancesRead): string {
  return sha256HexOfText(nonce + okxBalancesJson(balances.text));
}

/** A v1 parent: SHA-256(left + right + ΣBTC + ΣETH + ΣUSDT + height), sums canonical, nothing between fields. */
function parentHash(left: string, right: string, sums: OkxBalances, height: number): string {
  return sha256HexOfText(`${left}${right}${okxSumsText(sums)}${height}`);
}

function checkTypes(
  self: ProofNode,
  siblings: readonly ProofNode[],
  root: ProofNode,
): OkxFailure<'okx_path_type_invalid'> | null {
  const fail = (field: string, message: string) => okxFailure('okx_path_type_invalid', message, { field });
  if (self.type !== OKX_NODE_TYPE.left && self.type !== OKX_NODE_TYPE.right) {
    return fail('self.type', `self.type is ${self.type}; a leaf is 1 (left) or 2 (right)`);
  }
  if (root.type !== OKX_NODE_TYPE.root) {
    return fail(
      `${root.field}.type`,
      `${root.field}.type is ${root.type}; the last path node is the root (3)`,
    );
  }
  for (const sibling of siblings) {
    if (
      sibling.type !== OKX_NODE_TYPE.left &&
      sibling.type !== OKX_NODE_TYPE.right &&
      sibling.type !== OKX_NODE_TYPE.padding
    ) {
      return fail(
        `${sibling.field}.type`,
        `${sibling.field}.type is ${sibling.type}; a sibling is 1 (left), 2 (right) or 4 (padding, on the right)`,
      );
    }
  }
  // A leaf and its sibling sit on opposite sides; padding only ever fills a right-hand slot.
  const neighbour = siblings[0]!;
  if ((self.type === OKX_NODE_TYPE.left) === (neighbour.type === OKX_NODE_TYPE.left)) {
    return fail(
      'path[0].type',
      `self.type ${self.type} and path[0].type ${neighbour.type} put both on one side`,
    );
  }
  return null;
}

function checkHeights(
  self: ProofNode,
  siblings: readonly ProofNode[],
  root: ProofNode,
): OkxFailure<'okx_path_height_invalid'> | null {
  const expected: [ProofNode, number][] = [
    [self, 1],
    ...siblings.map((sibling, index): [ProofNode, number] => [sibling, index + 1]),
    [root, siblings.length + 1],
  ];
  for (const [node, height] of expected) {
    if (node.height !== height) {
      return okxFailure(
        'okx_path_height_invalid',
        `${node.field}.height is ${node.height} but that node sits at height ${height} (leaves are 1)`,
        { field: `${node.field}.height`, height },
      );
    }
  }
  return null;
}

function readProof(input: unknown): ParsedProof | Malformed {
  if (!isJsonObject(input)) return malformed('', 'a proof file is a JSON object {"self": …, "path": […]}');
  const self = readNode(input.self, 'self');
  if (!('hash' in self)) return self;
  if (self.nonce === null) return malformed('self.nonce', 'self.nonce must be a non-empty string');
  const path = input.path;
  if (!Array.isArray(path) || path.length < 2 || path.length > OKX_PATH_NODES_MAX) {
    return malformed(
      'path',
      `path must be an array of 2 to ${OKX_PATH_NODES_MAX} nodes: siblings, then the root`,
    );
  }
  const nodes: ProofNode[] = [];
  for (const [index, item] of path.entries()) {
    const node = readNode(item, `path[${index}]`);
    if (!('hash' in node)) return node;
    nodes.push(node);
  }
  const auditId =
    isJsonObject(input.self) && typeof input.self.auditId === 'string' ? input.self.auditId : null;
  return {
    ok: true,
    auditId,
    self: { ...self, nonce: self.nonce },
    siblings: nodes.slice(0, -1),
    root: nodes[nodes.length - 1]!,
  };
}

function readNode(value: unknown, field: string): ProofNode | Malformed {
  if (!isJsonObject(value)) return malformed(field, `${field} must be an object`);
  if (!isOkxHash(value.hash))
    return malformed(`${field}.hash`, `${field}.hash must be 64 lower-case hex digits`);
  if (!Number.isSafeInteger(value.type))
    return malformed(`${field}.type`, `${field}.type must be an integer`);
  if (!Number.isSafeInteger(value.height))
    return malformed(`${field}.height`, `${field}.height must be an integer`);
  const nonce = value.nonce;
  if (nonce !== undefined && !isOkxNonce(nonce)) {
    return malformed(
      `${field}.nonce`,
      `${field}.nonce must be a string of 1 to ${OKX_NONCE_CHARS_MAX} characters`,
    );
  }
  const balances = readOkxBalances(value.balances, `${field}.balances`);
  if (!balances.ok) return malformed(balances.field, balances.message);
  return {
    field,
    hash: value.hash,
    type: value.type as number,
    height: value.height as number,
    balances: balances.balances,
    nonce: isOkxNonce(nonce) ? nonce : null,
  };
}

function malformed(field: string, message: string): Malformed {
  return okxFailure('okx_proof_malformed', message, field === '' ? {} : { field });
}
