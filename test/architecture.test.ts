// Enforces the house architecture (STYLE.md): dependencies point one way (core <- store, chain <- service
// <- api, cli, web), nothing imports cli, only cli (the composition root that serves the API) imports api,
// and core stays pure: no clock, no randomness, no I/O, and no outside package but node:crypto and the
// audited noble hash and curve libraries.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

/** Which top-level folders of src/ each folder may import from. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: ['core'],
  store: ['core', 'store'],
  chain: ['core', 'chain'],
  service: ['core', 'store', 'chain', 'service'],
  api: ['core', 'store', 'chain', 'service', 'api'],
  // The CLI is the composition root: it serves the API and writes the web verifier page.
  cli: ['core', 'store', 'chain', 'service', 'api', 'web', 'cli'],
  web: ['core', 'service', 'web'],
};

/**
 * The only packages core may import: hashing and secp256k1, which custody needs for digests and signatures
 * (tiny-secp256k1 is libsecp256k1 compiled to WebAssembly, for fast signer recovery).
 */
const CORE_PACKAGES: readonly RegExp[] = [
  /^node:crypto$/,
  /^@noble\/curves(\/|$)/,
  /^@noble\/hashes(\/|$)/,
  /^tiny-secp256k1$/,
];

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [
    ...source.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g),
    ...source.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
}

describe('architecture', () => {
  const files = sourceFiles(SRC);

  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it('keeps every dependency pointing inward', () => {
    const violations: string[] = [];
    for (const file of files) {
      const layer = relative(SRC, file).split('/')[0]!;
      const allowed = ALLOWED[layer];
      expect(allowed, `unknown layer ${layer}`).toBeDefined();
      for (const specifier of importsOf(file)) {
        if (!specifier.startsWith('.')) continue;
        const target = relative(SRC, resolve(file, '..', specifier)).split('/')[0]!;
        if (!allowed!.includes(target)) violations.push(`${relative(SRC, file)} imports ${specifier}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('keeps core pure: no clock, randomness, I/O or outer packages', () => {
    const violations: string[] = [];
    for (const file of files.filter((f) => relative(SRC, f).startsWith('core/'))) {
      const source = readFileSync(file, 'utf8');
      for (const pattern of [
        /Date\.now\(/,
        /new Date\(/,
        /Math\.random\(/,
        /random(Bytes|UUID|Int)\(/,
        /performance\.now\(/,
        /parseFloat\(/,
        /\.toFixed\(/,
      ]) {
        if (pattern.test(source)) violations.push(`${relative(SRC, file)} uses ${pattern}`);
      }
      for (const specifier of importsOf(file)) {
        if (specifier.startsWith('.')) continue;
        if (!CORE_PACKAGES.some((pattern) => pattern.test(specifier)))
          violations.push(`${relative(SRC, file)} imports ${specifier}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
