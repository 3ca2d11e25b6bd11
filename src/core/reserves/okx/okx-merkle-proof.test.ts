// Proves the v1 verifier accepts OKX's own example proof (test/fixtures/okx, reproducing the published root),
// that every single-field change to it fails with the code naming what broke, that malformed input is refused
// as data without throwing, and that the format's digit-boundary weakness is real.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatScale8, sha256Hex } from '../../../../test/fixtures/okx/build-okx-tree.ts';
import { OKX_ASSETS } from './okx-balances.ts';
import { formatOkxAmount } from './okx-decimal.ts';
import { type OkxMerkleProofErrorCode, verifyOkxMerkleProof } from './okx-merkle-proof.ts';

const FIXTURES = resolve(import.meta.dirname, '../../../../test/fixtures/okx');
const ROOT_HASH = 'ac6b39d2a0aa8112bd1aadff5e7d4b5c2b91cd54d595262ba4367f5d2db4160d';

interface FixtureNode {
  balances: Record<string, string>;
  type: number;
  hash: string;
  height: number;
  nonce?: string;
  auditId?: string;
}
interface FixtureProof {
  self: FixtureNode;
  path: FixtureNode[];
}

const fixture = JSON.parse(readFileSync(resolve(FIXTURES, 'merkle_proof_file.json'), 'utf8')) as FixtureProof;

/** A copy of the fixture with the field at `keys` set to `value` (or `value(old)`), or deleted for `undefined`. */
function withField(keys: readonly (string | number)[], value: unknown): FixtureProof {
  const copy = structuredClone(fixture);
  let record = copy as unknown as Record<string | number, unknown>;
  for (const key of keys.slice(0, -1)) record = record[key] as Record<string | number, unknown>;
  const last = keys[keys.length - 1]!;
  const next = typeof value === 'function' ? (value as (old: unknown) => unknown)(record[last]) : value;
  if (next === undefined) delete record[last];
  else record[last] = next;
  return copy;
}

function mutated(change: (proof: FixtureProof) => void): FixtureProof {
  const copy = structuredClone(fixture);
  change(copy);
  return copy;
}

function codeOf(input: unknown): OkxMerkleProofErrorCode | 'ok' {
  const result = verifyOkxMerkleProof(input);
  return result.ok ? 'ok' : result.error.code;
}

/** The hash with its last hex digit changed. */
function flipHash(hash: unknown): string {
  const text = hash as string;
  return text.slice(0, -1) + (text.endsWith('0') ? '1' : '0');
}

/** A non-negative decimal with at most 8 decimals as units of 10^-8. */
function toMinor(text: string): bigint {
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole + fraction.padEnd(8, '0'));
}

/** The decimal with one more unit in its 8th place, written canonically. */
function bump(text: unknown): string {
  return formatScale8(toMinor(text as string) + 1n);
}

describe('verifyOkxMerkleProof on OKX’s example file', () => {
  it('recomputes the published root, balances and height', () => {
    const result = verifyOkxMerkleProof(fixture);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.format).toBe('okx-merkle-v1');
    expect(result.root.hash).toBe(ROOT_HASH);
    expect(result.root.height).toBe(24);
    expect(OKX_ASSETS.map((asset) => formatOkxAmount(result.root.balances[asset]))).toEqual([
      '95088.55505656',
      '939953.49090361',
      '3137909428.88369702',
    ]);
    expect(result.self.hash).toBe('461a101e9aa20e694e52cb95dae0d84d81787f532859f1385bae3f009926366c');
    expect(result.self.side).toBe('right');
    expect(formatOkxAmount(result.self.balances.USDT)).toBe('19398.33550812');
    expect(result.auditId).toBe('499930592');
  });

  it('reports the format’s known weaknesses with every pass', () => {
    const result = verifyOkxMerkleProof(fixture);
    expect(result.ok && result.weaknesses.map((weakness) => weakness.code)).toEqual([
      'sum_only_parent_preimage',
      'unseparated_preimage_fields',
      'no_range_proof',
      'sibling_leaf_disclosed',
      'completeness_unproven',
      'snapshot_only',
    ]);
  });

  it('compares root balances by value: the recomputed root hash does not depend on how they are written', () => {
    expect(codeOf(withField(['path', 23, 'balances', 'BTC'], '95088.555056560'))).toBe('ok');
  });

  it('accepts padding labelled as a left node: a copy of its sibling hashes alike on either side', () => {
    expect(codeOf(withField(['path', 21, 'type'], 1))).toBe('ok');
  });
});

describe('single-field changes fail with the code naming the broken rule', () => {
  const cases: [string, (string | number)[], unknown, OkxMerkleProofErrorCode][] = [
    ['self balance', ['self', 'balances', 'BTC'], '1.00007', 'okx_leaf_hash_mismatch'],
    ['self balance written differently', ['self', 'balances', 'BTC'], '1.0000690', 'okx_leaf_hash_mismatch'],
    ['self nonce', ['self', 'nonce'], flipHash, 'okx_leaf_hash_mismatch'],
    ['self hash', ['self', 'hash'], flipHash, 'okx_leaf_hash_mismatch'],
    ['neighbour leaf balance', ['path', 0, 'balances', 'USDT'], bump, 'okx_sibling_leaf_hash_mismatch'],
    ['neighbour leaf nonce', ['path', 0, 'nonce'], flipHash, 'okx_sibling_leaf_hash_mismatch'],
    ['path node hash', ['path', 5, 'hash'], flipHash, 'okx_root_hash_mismatch'],
    ['path node balance', ['path', 5, 'balances', 'BTC'], bump, 'okx_root_sum_mismatch'],
    ['path node side', ['path', 5, 'type'], 1, 'okx_root_hash_mismatch'],
    ['path node typed root', ['path', 5, 'type'], 3, 'okx_path_type_invalid'],
    ['path node type out of range', ['path', 5, 'type'], 0, 'okx_path_type_invalid'],
    ['self on the neighbour’s side', ['self', 'type'], 1, 'okx_path_type_invalid'],
    ['self typed root', ['self', 'type'], 3, 'okx_path_type_invalid'],
    ['root typed left', ['path', 23, 'type'], 1, 'okx_path_type_invalid'],
    ['padding with a balance', ['path', 21, 'balances', 'USDT'], '1', 'okx_padding_invalid'],
    ['padding hash', ['path', 21, 'hash'], flipHash, 'okx_root_hash_mismatch'],
    ['path node height', ['path', 5, 'height'], 7, 'okx_path_height_invalid'],
    ['self height', ['self', 'height'], 2, 'okx_path_height_invalid'],
    ['root height', ['path', 23, 'height'], 25, 'okx_path_height_invalid'],
    ['root hash', ['path', 23, 'hash'], flipHash, 'okx_root_hash_mismatch'],
    ['root balance', ['path', 23, 'balances', 'ETH'], bump, 'okx_root_sum_mismatch'],
    ['negative path balance', ['path', 5, 'balances', 'BTC'], '-0.00001874', 'okx_negative_balance'],
    ['negative self balance', ['self', 'balances', 'ETH'], '-1', 'okx_negative_balance'],
  ];
  it.each(cases)('%s', (_name, keys, value, code) => {
    expect(codeOf(withField(keys, value))).toBe(code);
  });

  it('a changed neighbour balance whose nonce is withheld fails at the root sum', () => {
    const proof = mutated((p) => {
      delete p.path[0]!.nonce;
      p.path[0]!.balances.USDT = bump(p.path[0]!.balances.USDT);
    });
    expect(codeOf(proof)).toBe('okx_root_sum_mismatch');
  });

  it('a removed path node fails on heights', () => {
    expect(codeOf(mutated((p) => p.path.splice(3, 1)))).toBe('okx_path_height_invalid');
  });

  it('refuses padding that is not a copy of its sibling even when the root is recomputed around it', () => {
    const forged = mutated((p) => {
      const [padding, lastSibling, root] = [p.path[21]!, p.path[22]!, p.path[23]!];
      const below = padding.hash;
      padding.hash = flipHash(padding.hash);
      // The node at height 22 carries root − path[22]; padding adds nothing; path[22] is the left sibling.
      const sums = OKX_ASSETS.map((asset) =>
        formatScale8(toMinor(root.balances[asset]!) - toMinor(lastSibling.balances[asset]!)),
      );
      const node23 = sha256Hex(`${below}${padding.hash}${sums.join('')}23`);
      const rootSums = OKX_ASSETS.map((asset) => root.balances[asset]!).join('');
      root.hash = sha256Hex(`${lastSibling.hash}${node23}${rootSums}24`);
    });
    expect(codeOf(forged)).toBe('okx_padding_invalid');
  });

  it('no change to any one hash, balance or side of any node verifies', () => {
    const nodes: (string | number)[][] = [['self'], ...fixture.path.map((_, index) => ['path', index])];
    for (const node of nodes) {
      const original = node.length === 1 ? fixture.self : fixture.path[node[1] as number]!;
      const changes: [string, unknown][] = [
        ['hash', flipHash],
        ...OKX_ASSETS.map((asset): [string, unknown] => [`balances.${asset}`, bump]),
        // Padding (type 4) copies its sibling's hash, so it hashes alike on either side and is left out here.
        ...(original.type === 4 ? [] : [['type', 3 - original.type] as [string, unknown]]),
      ];
      for (const [field, value] of changes) {
        const result = verifyOkxMerkleProof(withField([...node, ...field.split('.')], value));
        expect(result.ok, `${node.join('.')}.${field}`).toBe(false);
      }
    }
  });
});

describe('malformed input', () => {
  const cases: [string, unknown][] = [
    ['null', null],
    ['a string', 'merkle'],
    ['an array', [fixture]],
    ['an empty object', {}],
    ['no path', { self: fixture.self }],
    ['a path with only the root', { self: fixture.self, path: fixture.path.slice(-1) }],
    ['a path of 65 nodes', { self: fixture.self, path: Array.from({ length: 65 }, () => fixture.path[0]) }],
    ['a null path node', withField(['path', 4], null)],
    ['an upper-case hash', withField(['path', 4, 'hash'], (old: string) => old.toUpperCase())],
    ['a 0x hash', withField(['path', 4, 'hash'], (old: string) => `0x${old.slice(2)}`)],
    ['a numeric balance', withField(['path', 4, 'balances', 'BTC'], 0.1)],
    ['an exponent balance', withField(['path', 4, 'balances', 'BTC'], '1e-8')],
    ['an asset OKX does not hash', withField(['path', 4, 'balances', 'SOL'], '1')],
    ['a missing asset', withField(['path', 4, 'balances', 'USDT'], undefined)],
    ['no self nonce', withField(['self', 'nonce'], undefined)],
    ['an empty nonce', withField(['self', 'nonce'], '')],
    ['a string type', withField(['self', 'type'], '2')],
    ['a fractional height', withField(['path', 2, 'height'], 3.5)],
  ];
  it.each(cases)('%s gives okx_proof_malformed', (_name, input) => {
    const result = verifyOkxMerkleProof(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('okx_proof_malformed');
  });

  it('names the offending field', () => {
    const result = verifyOkxMerkleProof(withField(['path', 4, 'balances', 'BTC'], '1e-8'));
    expect(!result.ok && result.error.field).toBe('path[4].balances.BTC');
  });
});

describe('the unseparated parent preimage (a documented weakness)', () => {
  it('lets one root hash stand for different per-asset totals', () => {
    // "95088.55505656" + "939953.49090361" and "95088.5550565" + "6939953.49090361" are the same digits:
    // moving 6e-8 BTC out of the last sibling and 6,000,000 ETH into it leaves every hash unchanged.
    const reread = mutated((p) => {
      p.path[22]!.balances.BTC = '58243.50077957';
      p.path[22]!.balances.ETH = '6619793.15336917';
      p.path[23]!.balances.BTC = '95088.5550565';
      p.path[23]!.balances.ETH = '6939953.49090361';
    });
    const result = verifyOkxMerkleProof(reread);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.root.hash).toBe(ROOT_HASH);
    expect(formatOkxAmount(result.root.balances.ETH)).toBe('6939953.49090361');
    expect(result.weaknesses.some((weakness) => weakness.code === 'unseparated_preimage_fields')).toBe(true);
  });
});
