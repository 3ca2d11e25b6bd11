// OKX's v2 full liability tree file (`full-liabilities-merkle-tree.txt`): one node per line,
// `hash,height,{"BTC":"…","ETH":"…","USDT":"…"}`, root first, each level listed right to left, an odd level
// padded on its right with a zero-balance copy of its last hash. Recomputes every parent from its two
// children (which OKX's own tool does not) and finds the customer's leaves; reads line by line, so a file too
// large for one string can be streamed, keeping one level in memory.

import {
  addOkxBalances,
  describeOkxBalances,
  firstDifferingAsset,
  firstNegativeAsset,
  OKX_ZERO_BALANCES,
  type OkxBalances,
  okxSumsText,
  readOkxBalances,
} from './okx-balances.ts';
import { type OkxFailure, type OkxWeakness, okxFailure, okxWeaknesses } from './okx-failure.ts';
import { sha256HexOfText } from './okx-hash.ts';
import type { OkxUserLeaf } from './okx-user-info.ts';

/** The format name a verified v2 full tree reports. */
export const OKX_LIABILITY_TREE_V2_FORMAT = 'okx-liability-tree-v2';
/** Highest root a tree file may have: 2^63 leaves. */
export const OKX_TREE_HEIGHT_MAX = 64;
/** Longest line accepted (a line is about 150 characters). */
export const OKX_TREE_LINE_CHARS_MAX = 512;

/** The refusals. Line-level checks come first, then each level against the one above it, then the leaves. */
export type OkxLiabilityTreeErrorCode =
  | 'okx_tree_malformed'
  | 'okx_negative_balance'
  | 'okx_tree_shape_invalid'
  | 'okx_tree_node_sum_mismatch'
  | 'okx_tree_node_hash_mismatch'
  | 'okx_tree_user_leaf_mismatch'
  | 'okx_tree_user_leaf_missing'
  | 'okx_tree_user_leaf_duplicated';

/** What a full tree showed once every parent recomputed. */
export interface VerifiedOkxLiabilityTree {
  readonly ok: true;
  readonly format: typeof OKX_LIABILITY_TREE_V2_FORMAT;
  /** The root: its hash, height and the total of every leaf (OKX's published liabilities). */
  readonly root: { readonly hash: string; readonly height: number; readonly balances: OkxBalances };
  /** Leaves, padding not counted. */
  readonly leafCount: number;
  /** The customer's leaves as found in the tree, in the order given (empty when none were given). */
  readonly userLeaves: readonly OkxUserLeaf[];
  readonly weaknesses: readonly OkxWeakness[];
}

/** The failure of a full-tree check. */
export type OkxLiabilityTreeFailure = OkxFailure<OkxLiabilityTreeErrorCode>;

/** The result of checking a full tree file. */
export type OkxLiabilityTreeResult = VerifiedOkxLiabilityTree | OkxLiabilityTreeFailure;

/** What to look for besides the tree's own consistency. */
export interface OkxLiabilityTreeOptions {
  /** The customer's leaves (from verifyOkxUserInfo): each must be a leaf of the tree exactly once, balances equal. */
  readonly userLeaves?: readonly OkxUserLeaf[];
}

/** A check fed one line at a time; after the first failure it returns that failure for every call. */
export interface OkxLiabilityTreeCheck {
  /** Reads the next line (with or without its line break); returns the failure once the file is known bad. */
  addLine(line: string): OkxLiabilityTreeFailure | null;
  /** Ends the file and gives the verdict. */
  finish(): OkxLiabilityTreeResult;
}

interface TreeNode {
  readonly hash: string;
  readonly balances: OkxBalances;
  readonly line: number;
  padding: boolean;
}

interface UserLeafTally {
  readonly leaf: OkxUserLeaf;
  readonly expected: number;
  found: number;
}

const LINE_PATTERN = /^([0-9a-f]{64}),([1-9][0-9]?),\{"BTC":"([^"]*)","ETH":"([^"]*)","USDT":"([^"]*)"\}$/;

/** Checks a whole tree file held in one string. */
export function verifyOkxLiabilityTree(
  text: string,
  options: OkxLiabilityTreeOptions = {},
): OkxLiabilityTreeResult {
  const check = startOkxLiabilityTreeCheck(options);
  for (const line of text.split('\n')) {
    if (check.addLine(line) !== null) break;
  }
  return check.finish();
}

/** Starts a line-by-line check of a tree file, for files streamed from disk. */
export function startOkxLiabilityTreeCheck(options: OkxLiabilityTreeOptions = {}): OkxLiabilityTreeCheck {
  const tallies = new Map<string, UserLeafTally>();
  for (const leaf of options.userLeaves ?? []) {
    const tally = tallies.get(leaf.hash);
    // A customer whose split happens to give two equal leaves has two leaves with one hash.
    tallies.set(leaf.hash, { leaf, expected: (tally?.expected ?? 0) + 1, found: 0 });
  }

  let failure: OkxLiabilityTreeFailure | null = null;
  let lineNumber = 0;
  let root: (TreeNode & { readonly height: number }) | null = null;
  /** Height of the level being read. */
  let height = 0;
  /** The level above, in file order (right to left), its padding (if any) first. */
  let parents: TreeNode[] = [];
  let parentIndex = 0;
  /** Nodes of this level read so far, kept (above the leaves) to check the level below against. */
  let level: TreeNode[] = [];
  /** The right child of the pair being read (a level lists each pair right child first). */
  let pendingRight: TreeNode | null = null;
  let pairIndex = 0;
  let leafCount = 0;

  function fail(code: OkxLiabilityTreeErrorCode, message: string, where: { line: number; height?: number }) {
    failure = okxFailure(code, message, where);
    return failure;
  }

  function startLevel(next: number): void {
    parents = level;
    parentIndex = parents[0]?.padding === true ? 1 : 0;
    level = [];
    height = next;
    pendingRight = null;
    pairIndex = 0;
  }

  /** Checks the level just finished accounts for every node above it. */
  function endLevel(): OkxLiabilityTreeFailure | null {
    if (root === null || height === root.height) return null;
    if (pendingRight !== null) {
      return fail('okx_tree_shape_invalid', `height ${height} has an odd number of nodes`, {
        line: pendingRight.line,
        height,
      });
    }
    if (parentIndex !== parents.length) {
      return fail(
        'okx_tree_shape_invalid',
        `height ${height} has too few nodes: ${parents.length - parentIndex} node(s) at height ${height + 1} lack children`,
        { line: parents[parentIndex]!.line, height: height + 1 },
      );
    }
    return null;
  }

  function addPair(right: TreeNode, left: TreeNode): OkxLiabilityTreeFailure | null {
    // Padding copies its left neighbour's hash with zero balances, and only ever ends a level (file-first pair).
    right.padding =
      pairIndex === 0 &&
      right.hash === left.hash &&
      firstDifferingAsset(right.balances, OKX_ZERO_BALANCES) === null;
    pairIndex += 1;
    const parent = parents[parentIndex];
    if (parent === undefined) {
      return fail(
        'okx_tree_shape_invalid',
        `height ${height} has more nodes than height ${height + 1} has room for`,
        {
          line: left.line,
          height,
        },
      );
    }
    parentIndex += 1;
    const sums = addOkxBalances(left.balances, right.balances);
    const asset = firstDifferingAsset(sums, parent.balances);
    if (asset !== null) {
      return fail(
        'okx_tree_node_sum_mismatch',
        `the node on line ${parent.line} says ${describeOkxBalances(parent.balances)} but its children (lines ` +
          `${right.line}, ${left.line}) add up to ${describeOkxBalances(sums)}`,
        { line: parent.line, height: height + 1 },
      );
    }
    const hash = sha256HexOfText(`${left.hash}${right.hash}${okxSumsText(sums)}${height + 1}`);
    if (hash !== parent.hash) {
      return fail(
        'okx_tree_node_hash_mismatch',
        `the node on line ${parent.line} is not SHA-256 of its children (lines ${right.line}, ${left.line}) ` +
          `and their sums at height ${height + 1}`,
        { line: parent.line, height: height + 1 },
      );
    }
    if (height > 1) {
      level.push(right, left);
      return null;
    }
    leafCount += right.padding ? 1 : 2;
    for (const leaf of right.padding ? [left] : [right, left]) {
      const tally = tallies.get(leaf.hash);
      if (tally === undefined) continue;
      if (firstDifferingAsset(leaf.balances, tally.leaf.balances) !== null) {
        return fail(
          'okx_tree_user_leaf_mismatch',
          `your leaf ${leaf.hash} is in the tree with ${describeOkxBalances(leaf.balances)}, not ` +
            describeOkxBalances(tally.leaf.balances),
          { line: leaf.line, height: 1 },
        );
      }
      tally.found += 1;
      if (tally.found > tally.expected) {
        return fail('okx_tree_user_leaf_duplicated', `your leaf ${leaf.hash} is in the tree more than once`, {
          line: leaf.line,
          height: 1,
        });
      }
    }
    return null;
  }

  function readLine(raw: string): OkxLiabilityTreeFailure | null {
    lineNumber += 1;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text === '') return null;
    const match = text.length <= OKX_TREE_LINE_CHARS_MAX ? LINE_PATTERN.exec(text) : null;
    if (match === null) {
      return fail(
        'okx_tree_malformed',
        `line ${lineNumber} is not hash,height,{"BTC":"…","ETH":"…","USDT":"…"}`,
        {
          line: lineNumber,
        },
      );
    }
    const [, hash = '', heightText = '', btc, eth, usdt] = match;
    const read = readOkxBalances({ BTC: btc, ETH: eth, USDT: usdt }, `line ${lineNumber}`);
    if (!read.ok) return fail('okx_tree_malformed', read.message, { line: lineNumber });
    const nodeHeight = Number(heightText);
    const negative = firstNegativeAsset(read.balances.values);
    if (negative !== null) {
      return fail('okx_negative_balance', `line ${lineNumber} has a negative ${negative} balance`, {
        line: lineNumber,
        height: nodeHeight,
      });
    }
    const node: TreeNode = { hash, balances: read.balances.values, line: lineNumber, padding: false };

    if (root === null) {
      if (nodeHeight < 2 || nodeHeight > OKX_TREE_HEIGHT_MAX) {
        return fail(
          'okx_tree_malformed',
          `the first line is the root, at height 2 to ${OKX_TREE_HEIGHT_MAX}`,
          {
            line: lineNumber,
          },
        );
      }
      root = { ...node, height: nodeHeight };
      level = [node];
      height = nodeHeight;
      return null;
    }
    if (nodeHeight === height - 1) {
      const ended = endLevel();
      if (ended !== null) return ended;
      startLevel(nodeHeight);
    } else if (nodeHeight !== height) {
      return fail(
        'okx_tree_malformed',
        `line ${lineNumber} is at height ${nodeHeight} after height ${height}`,
        {
          line: lineNumber,
        },
      );
    } else if (height === root.height) {
      return fail('okx_tree_shape_invalid', `line ${lineNumber} is a second node at the root's height`, {
        line: lineNumber,
        height,
      });
    }
    if (pendingRight === null) {
      pendingRight = node;
      return null;
    }
    const right = pendingRight;
    pendingRight = null;
    return addPair(right, node);
  }

  function finish(): OkxLiabilityTreeResult {
    if (failure !== null) return failure;
    if (root === null) return fail('okx_tree_malformed', 'the file has no lines', { line: lineNumber });
    if (height !== 1) {
      return fail('okx_tree_shape_invalid', `the file ends at height ${height}, above the leaves`, {
        line: lineNumber,
        height,
      });
    }
    const ended = endLevel();
    if (ended !== null) return ended;
    for (const tally of tallies.values()) {
      if (tally.found < tally.expected) {
        return fail('okx_tree_user_leaf_missing', `your leaf ${tally.leaf.hash} is not a leaf of this tree`, {
          line: lineNumber,
          height: 1,
        });
      }
    }
    return {
      ok: true,
      format: OKX_LIABILITY_TREE_V2_FORMAT,
      root: { hash: root.hash, height: root.height, balances: root.balances },
      leafCount,
      userLeaves: options.userLeaves ?? [],
      weaknesses: okxWeaknesses([
        'sum_only_parent_preimage',
        'leaf_balances_unbound',
        'unseparated_preimage_fields',
        'completeness_unproven',
        'snapshot_only',
      ]),
    };
  }

  return {
    addLine(line: string): OkxLiabilityTreeFailure | null {
      return failure ?? readLine(line);
    },
    finish(): OkxLiabilityTreeResult {
      return failure ?? finish();
    },
  };
}
