// Proves OKX files are recognised by shape (OKX's example files, and damaged ones so they reach their verifier)
// and that anything carrying a `format` field, as Ringfence's own files do, is never taken for OKX's.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectOkxFormat, isOkxLiabilityTreeText } from './okx-format.ts';

const FIXTURES = resolve(import.meta.dirname, '../../../../test/fixtures/okx');
const read = (name: string) => readFileSync(resolve(FIXTURES, name), 'utf8');

describe('detectOkxFormat', () => {
  it('recognises OKX’s example files', () => {
    expect(detectOkxFormat(JSON.parse(read('merkle_proof_file.json')))).toBe('okx-merkle-v1');
    expect(detectOkxFormat(JSON.parse(read('user_info_file.json')))).toBe('okx-user-info-v2');
  });

  it('recognises damaged OKX files by their top-level keys, so they get a precise error', () => {
    expect(detectOkxFormat({ self: null, path: 'x' })).toBe('okx-merkle-v1');
    expect(detectOkxFormat({ hash: 1, nodes: 2, nonce: 3, totalBalances: 4 })).toBe('okx-user-info-v2');
  });

  it('leaves files with a format field, and everything else, alone', () => {
    expect(detectOkxFormat({ format: 'ringfence-inclusion-proof-v1', self: {}, path: [] })).toBeNull();
    expect(detectOkxFormat({ format: 'ringfence-attestation-v1', body: {} })).toBeNull();
    expect(detectOkxFormat({ hash: 'a', nodes: [] })).toBeNull();
    for (const value of [null, undefined, 'okx', 42, [], [{ self: {}, path: [] }]]) {
      expect(detectOkxFormat(value)).toBeNull();
    }
  });
});

describe('isOkxLiabilityTreeText', () => {
  it('recognises the full tree file and nothing JSON', () => {
    expect(isOkxLiabilityTreeText(read('full-liabilities-merkle-tree.txt'))).toBe(true);
    expect(isOkxLiabilityTreeText(read('merkle_proof_file.json'))).toBe(false);
    expect(isOkxLiabilityTreeText('')).toBe(false);
  });
});
