// Proves the v2 user-info verifier accepts OKX's example file (customer hash and both split leaves recompute,
// the leaves add up to the total), that each single-field change fails with the code naming what broke, and
// that malformed input is refused as data without throwing.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { v2LeafHash } from '../../../../test/fixtures/okx/build-okx-tree.ts';
import { formatOkxAmount } from './okx-decimal.ts';
import { type OkxUserInfoErrorCode, verifyOkxUserInfo } from './okx-user-info.ts';

const FIXTURES = resolve(import.meta.dirname, '../../../../test/fixtures/okx');

interface FixtureUserInfo {
  hash: string;
  nodes: { balances: Record<string, string>; hash: string }[];
  nonce: string;
  totalBalances: Record<string, string>;
}

const fixture = JSON.parse(readFileSync(resolve(FIXTURES, 'user_info_file.json'), 'utf8')) as FixtureUserInfo;

function mutated(change: (file: FixtureUserInfo) => void): FixtureUserInfo {
  const copy = structuredClone(fixture);
  change(copy);
  return copy;
}

function codeOf(input: unknown): OkxUserInfoErrorCode | 'ok' {
  const result = verifyOkxUserInfo(input);
  return result.ok ? 'ok' : result.error.code;
}

function flipHash(hash: string): string {
  return hash.slice(0, -1) + (hash.endsWith('0') ? '1' : '0');
}

describe('verifyOkxUserInfo on OKX’s example file', () => {
  it('recomputes the customer hash and both leaves, which add up to the total', () => {
    const result = verifyOkxUserInfo(fixture);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.format).toBe('okx-user-info-v2');
    expect(result.userHash).toBe('cd7b0c79c62f3c680cdd8e536604b7db1d6e7752dd1111ae4d778103adfec4b9');
    expect(result.leaves.map((leaf) => leaf.hash)).toEqual([
      '9efbc1a68c383bd8627b73d9a4be6fd552e5a61dc0afb6d217d26e558e96307c',
      'ea62bdc3456fd45f2bc49cbd9f076d8b5ecd6407090258e51c45c03c15c4b863',
    ]);
    expect(formatOkxAmount(result.totalBalances.BTC)).toBe('0.00005');
    expect(result.weaknesses.map((weakness) => weakness.code)).toContain('inclusion_not_checked');
  });
});

describe('single-field changes fail with the code naming the broken rule', () => {
  const cases: [string, (file: FixtureUserInfo) => void, OkxUserInfoErrorCode][] = [
    ['a total', (f) => Object.assign(f.totalBalances, { BTC: '0.00006' }), 'okx_user_hash_mismatch'],
    ['the nonce', (f) => Object.assign(f, { nonce: flipHash(f.nonce) }), 'okx_user_hash_mismatch'],
    ['the customer hash', (f) => Object.assign(f, { hash: flipHash(f.hash) }), 'okx_user_hash_mismatch'],
    [
      'a leaf balance',
      (f) => Object.assign(f.nodes[0]!.balances, { BTC: '0.0000488' }),
      'okx_leaf_hash_mismatch',
    ],
    [
      'a leaf hash',
      (f) => Object.assign(f.nodes[1]!, { hash: flipHash(f.nodes[1]!.hash) }),
      'okx_leaf_hash_mismatch',
    ],
    ['a leaf removed', (f) => f.nodes.pop(), 'okx_leaves_sum_mismatch'],
    ['a negative total', (f) => Object.assign(f.totalBalances, { ETH: '-1' }), 'okx_negative_balance'],
    ['a negative leaf', (f) => Object.assign(f.nodes[1]!.balances, { USDT: '-0.1' }), 'okx_negative_balance'],
  ];
  it.each(cases)('%s', (_name, change, code) => {
    expect(codeOf(mutated(change))).toBe(code);
  });

  it('refuses leaves that hash correctly but do not add up to the total', () => {
    const file = mutated((f) => {
      f.nodes[1]!.balances.BTC = '0.0000014';
      f.nodes[1]!.hash = v2LeafHash(f.hash, [140n, 0n, 0n]);
    });
    const result = verifyOkxUserInfo(file);
    expect(!result.ok && result.error).toMatchObject({
      code: 'okx_leaves_sum_mismatch',
      field: 'totalBalances.BTC',
    });
  });
});

describe('malformed input', () => {
  const cases: [string, unknown][] = [
    ['null', null],
    ['an array', [fixture]],
    ['an empty object', {}],
    ['no nodes', mutated((f) => Object.assign(f, { nodes: [] }))],
    ['a null node', mutated((f) => Object.assign(f, { nodes: [null] }))],
    ['17 nodes', mutated((f) => Object.assign(f, { nodes: Array.from({ length: 17 }, () => f.nodes[0]) }))],
    ['an upper-case hash', mutated((f) => Object.assign(f, { hash: f.hash.toUpperCase() }))],
    ['no nonce', mutated((f) => Object.assign(f, { nonce: undefined }))],
    ['a numeric total', mutated((f) => Object.assign(f.totalBalances, { BTC: 0.00005 }))],
    ['an extra asset', mutated((f) => Object.assign(f.nodes[0]!.balances, { SOL: '0' }))],
    ['a leaf without balances', mutated((f) => Object.assign(f.nodes[0]!, { balances: undefined }))],
  ];
  it.each(cases)('%s gives okx_proof_malformed', (_name, input) => {
    expect(codeOf(input)).toBe('okx_proof_malformed');
  });
});
