// Proves the v2 full-tree check recomputes every parent of OKX's example tree (which OKX's own tool does not),
// finds the example customer's two leaves in it, fails every single-line change with the code naming what
// broke, and reads a streamed file the same as a whole one. An independent builder
// (test/fixtures/okx/build-okx-tree.ts) is first shown to rebuild OKX's example tree byte for byte.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildLevels,
  formatScale8,
  type Minor3,
  v2TreeText,
  v2UserInfo,
} from '../../../../test/fixtures/okx/build-okx-tree.ts';
import { OKX_ASSETS } from './okx-balances.ts';
import { formatOkxAmount, parseOkxAmount } from './okx-decimal.ts';
import {
  type OkxLiabilityTreeErrorCode,
  startOkxLiabilityTreeCheck,
  verifyOkxLiabilityTree,
} from './okx-liability-tree.ts';
import { type OkxUserLeaf, verifyOkxUserInfo } from './okx-user-info.ts';

const FIXTURES = resolve(import.meta.dirname, '../../../../test/fixtures/okx');
const TREE = readFileSync(resolve(FIXTURES, 'full-liabilities-merkle-tree.txt'), 'utf8');
const LINES = TREE.trimEnd().split('\n');
const USER_INFO = JSON.parse(readFileSync(resolve(FIXTURES, 'user_info_file.json'), 'utf8')) as unknown;

function userLeaves(): readonly OkxUserLeaf[] {
  const result = verifyOkxUserInfo(USER_INFO);
  if (!result.ok) throw new Error(result.error.message);
  return result.leaves;
}

/** The fixture with line `number` (1-based) replaced by `change(line)`; `null` deletes it. */
function withLine(number: number, change: (line: string) => string | null): string {
  const lines = [...LINES];
  const next = change(lines[number - 1]!);
  if (next === null) lines.splice(number - 1, 1);
  else lines[number - 1] = next;
  return lines.join('\n');
}

function errorOf(text: string, options = {}) {
  const result = verifyOkxLiabilityTree(text, options);
  return result.ok ? { code: 'ok' as const } : result.error;
}

const flipHash = (line: string) => (line.startsWith('0') ? '1' : '0') + line.slice(1);
const setUsdt = (usdt: string) => (line: string) => line.replace(/"USDT":"[^"]*"/, `"USDT":"${usdt}"`);
const bumpUsdt = (line: string) => {
  const usdt = /"USDT":"([^"]*)"/.exec(line)![1]!;
  return setUsdt(formatScale8(parseOkxAmount(usdt)!.minor + 1n))(line);
};

function toMinor3(json: string): Minor3 {
  const balances = JSON.parse(json) as Record<string, string>;
  const [btc, eth, usdt] = OKX_ASSETS.map((asset) => parseOkxAmount(balances[asset])!.minor);
  return [btc!, eth!, usdt!];
}

describe('the independent builder', () => {
  it('rebuilds OKX’s example tree byte for byte from its leaves', () => {
    const leafLines = LINES.filter((line) => line.split(',')[1] === '1').reverse();
    // Left to right, the last leaf is the padding copy; the builder adds its own.
    const leaves = leafLines.slice(0, -1).map((line) => {
      const [hash = '', , ...json] = line.split(',');
      return { hash, balances: toMinor3(json.join(',')) };
    });
    expect(v2TreeText(buildLevels(leaves))).toBe(TREE);
  });
});

describe('verifyOkxLiabilityTree on OKX’s example tree', () => {
  it('recomputes every parent up to the root and counts the leaves', () => {
    const result = verifyOkxLiabilityTree(TREE);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.format).toBe('okx-liability-tree-v2');
    expect(result.root.hash).toBe('9e98ebde32ef22ded88a5fb2d5e53d76ed57cb9c6b2c966f250721defe6ab041');
    expect(result.root.height).toBe(6);
    expect(OKX_ASSETS.map((asset) => formatOkxAmount(result.root.balances[asset]))).toEqual([
      '0.00005',
      '0.1',
      '1.42045977',
    ]);
    expect(result.leafCount).toBe(21);
    expect(result.weaknesses.map((weakness) => weakness.code)).toContain('leaf_balances_unbound');
  });

  it('finds the example customer’s two leaves', () => {
    const result = verifyOkxLiabilityTree(TREE, { userLeaves: userLeaves() });
    expect(result.ok && result.userLeaves.map((leaf) => leaf.hash)).toEqual(
      userLeaves().map((leaf) => leaf.hash),
    );
  });

  it('reads Windows line endings and a file fed line by line alike', () => {
    expect(verifyOkxLiabilityTree(TREE.replaceAll('\n', '\r\n')).ok).toBe(true);
    const check = startOkxLiabilityTreeCheck({ userLeaves: userLeaves() });
    for (const line of LINES) expect(check.addLine(line)).toBeNull();
    expect(check.finish()).toEqual(verifyOkxLiabilityTree(TREE, { userLeaves: userLeaves() }));
  });

  it('keeps returning its first failure once fed a bad line', () => {
    const check = startOkxLiabilityTreeCheck();
    check.addLine(LINES[0]!);
    const failure = check.addLine('not a line');
    expect(failure?.error.code).toBe('okx_tree_malformed');
    expect(check.addLine(LINES[1]!)).toBe(failure);
    expect(check.finish()).toBe(failure);
  });
});

describe('changes fail with the code naming the broken rule', () => {
  // Lines: 1 root (height 6); 2–3 height 5; 4–7 height 4; 8–13 height 3; 14–25 height 2; 26–47 leaves, each
  // level right to left with its padding (lines 4, 14, 26) first.
  const cases: [
    string,
    string,
    Partial<{ code: OkxLiabilityTreeErrorCode; line: number; height: number }>,
  ][] = [
    ['a leaf balance', withLine(30, bumpUsdt), { code: 'okx_tree_node_sum_mismatch', height: 2, line: 17 }],
    ['a leaf hash', withLine(30, flipHash), { code: 'okx_tree_node_hash_mismatch', height: 2, line: 17 }],
    ['an inner hash', withLine(9, flipHash), { code: 'okx_tree_node_hash_mismatch', height: 4 }],
    ['the root hash', withLine(1, flipHash), { code: 'okx_tree_node_hash_mismatch', height: 6, line: 1 }],
    ['a root balance', withLine(1, bumpUsdt), { code: 'okx_tree_node_sum_mismatch', height: 6, line: 1 }],
    ['a padding balance', withLine(26, setUsdt('0.1')), { code: 'okx_tree_node_sum_mismatch', height: 2 }],
    ['the last leaf removed', withLine(47, () => null), { code: 'okx_tree_shape_invalid', line: 46 }],
    [
      'the last two leaves removed',
      LINES.slice(0, -2).join('\n'),
      { code: 'okx_tree_shape_invalid', height: 2, line: 25 },
    ],
    ['two leaves added', [...LINES, LINES[46], LINES[46]].join('\n'), { code: 'okx_tree_shape_invalid' }],
    ['a second root', withLine(2, () => LINES[0]!), { code: 'okx_tree_shape_invalid', line: 2 }],
    [
      'a height skipped',
      withLine(2, (line) => line.replace(',5,', ',4,')),
      { code: 'okx_tree_malformed', line: 2 },
    ],
    ['a root at height 1', LINES[46]!, { code: 'okx_tree_malformed', line: 1 }],
    ['only the root', LINES[0]!, { code: 'okx_tree_shape_invalid', height: 6 }],
    ['an empty file', '', { code: 'okx_tree_malformed' }],
    ['a garbage line', withLine(20, () => 'hash,2,{}'), { code: 'okx_tree_malformed', line: 20 }],
    [
      'an upper-case hash',
      withLine(20, (line) => line.toUpperCase()),
      { code: 'okx_tree_malformed', line: 20 },
    ],
    ['a balance in exponent form', withLine(20, setUsdt('1e-8')), { code: 'okx_tree_malformed', line: 20 }],
    ['a negative balance', withLine(40, setUsdt('-0.1')), { code: 'okx_negative_balance', line: 40 }],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(errorOf(text)).toMatchObject(expected);
  });

  it('swapping a left and a right node breaks their parent', () => {
    const lines = [...LINES];
    [lines[27], lines[28]] = [lines[28]!, lines[27]!]; // lines 28 and 29 form one pair
    expect(errorOf(lines.join('\n'))).toMatchObject({ code: 'okx_tree_node_hash_mismatch', height: 2 });
  });

  it('no change to any one line’s hash or balance verifies', () => {
    for (let number = 1; number <= LINES.length; number += 1) {
      expect(verifyOkxLiabilityTree(withLine(number, flipHash)).ok, `hash of line ${number}`).toBe(false);
      expect(verifyOkxLiabilityTree(withLine(number, bumpUsdt)).ok, `USDT of line ${number}`).toBe(false);
    }
  });
});

describe('the customer’s leaves', () => {
  it('must carry the balances the customer was shown', () => {
    const [first, second] = userLeaves();
    const changed = { ...second!, balances: { ...second!.balances, USDT: { minor: 1n, scale: 8 } } };
    expect(errorOf(TREE, { userLeaves: [first!, changed] })).toMatchObject({
      code: 'okx_tree_user_leaf_mismatch',
      height: 1,
    });
  });

  it('must each be in the tree', () => {
    const [first] = userLeaves();
    const absent = { ...first!, hash: '0'.repeat(64) };
    expect(errorOf(TREE, { userLeaves: [first!, absent] })).toMatchObject({
      code: 'okx_tree_user_leaf_missing',
    });
  });

  it('must each be in the tree once, unless the customer has two equal leaves', () => {
    const customer = v2UserInfo('ab'.repeat(32), [
      [5n, 0n, 7n],
      [5n, 0n, 7n],
    ]);
    const [leaf] = customer.leaves;
    const other = { hash: 'cd'.repeat(32), balances: [1n, 2n, 3n] as Minor3 };
    const text = v2TreeText(buildLevels([leaf!, other, leaf!]));
    const verified = verifyOkxUserInfo(customer.file);
    if (!verified.ok) throw new Error(verified.error.message);
    expect(verifyOkxLiabilityTree(text, { userLeaves: verified.leaves }).ok).toBe(true);
    expect(errorOf(text, { userLeaves: verified.leaves.slice(0, 1) })).toMatchObject({
      code: 'okx_tree_user_leaf_duplicated',
    });
  });
});
