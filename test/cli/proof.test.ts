// Proves `ringfence proof` as a customer and an operator drive it. The real executable verifies a proof file
// offline (VERIFIED with the customer's balances; the venue's signer checked; a tampered file refused with the
// failed check's code and exit 1), OKX's published proof file with its weaknesses listed, and writes the
// offline page. Over HTTP, in-process against a started server: publish as the operator, list, and fetch the
// customer's own proof into a file that then verifies.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/api/server.ts';
import { ReservesService } from '../../src/service/reserves/reserves-service.ts';
import { type ApiHarness, openApiHarness } from '../api/harness.ts';
import {
  fakeReservesChain,
  PLATFORM_KEY,
  RECOVERY_KEY,
  signedFixture,
  TRUSTEE_KEY,
  testPersonalSigner,
} from '../support/reserves-fixture.ts';
import { runCli, runCliHere } from './cli-process.ts';

const ASSETS = [
  { code: 'BTC', scale: 8 },
  { code: 'USDC', scale: 6 },
];

function scratchDirectory(): string {
  return mkdtempSync(join(inject('ringfenceTestDirectory'), 'proof-cli-'));
}

describe('ringfence proof verify (offline, the real executable)', () => {
  it('verifies a proof, checks the signer, refuses a tampered copy by code, and reads OKX files', async () => {
    const fixture = await signedFixture(ASSETS, [
      { customerId: 'alice', balancesMinor: [150_000_000n, 2_500_000_000n] },
      { customerId: 'bob', balancesMinor: [1n, 0n] },
    ]);
    const directory = scratchDirectory();
    const proofFile = join(directory, 'alice.json');
    writeFileSync(proofFile, JSON.stringify(fixture.proofAt(0), null, 2));

    const verified = await runCli(['proof', 'verify', proofFile, '--signer', PLATFORM_KEY.address]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('VERIFIED: alice is included in audit');
    expect(verified.stdout).toMatch(/your BTC:\s+1\.5\n/);
    expect(verified.stdout).toMatch(/your USDC:\s+2500\n/);
    expect(verified.stdout).toContain('matches the address you gave');

    const wrongSigner = await runCli([
      'proof',
      'verify',
      proofFile,
      '--signer',
      RECOVERY_KEY.address,
      '--json',
    ]);
    expect(wrongSigner.code).toBe(1);
    expect(JSON.parse(wrongSigner.stdout)).toMatchObject({
      error: { code: 'attestation_signer_unexpected' },
    });

    const tampered = JSON.parse(readFileSync(proofFile, 'utf8'));
    tampered.leaf.balances[1] = '2500000001';
    const tamperedFile = join(directory, 'tampered.json');
    writeFileSync(tamperedFile, JSON.stringify(tampered));
    const refused = await runCli(['proof', 'verify', tamperedFile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('proof_leaf_hash_mismatch');

    const okx = await runCli(['proof', 'verify', 'test/fixtures/okx/merkle_proof_file.json', '--json']);
    expect(okx.code).toBe(0);
    const okxSummary = JSON.parse(okx.stdout);
    expect(okxSummary).toMatchObject({
      verified: true,
      kind: 'okx_merkle_v1',
      rootHash: 'ac6b39d2a0aa8112bd1aadff5e7d4b5c2b91cd54d595262ba4367f5d2db4160d',
    });
    expect(okxSummary.weaknesses.map((weakness: { code: string }) => weakness.code)).toContain(
      'sum_only_parent_preimage',
    );

    const page = join(directory, 'verify.html');
    const written = await runCli(['proof', 'page', '--out', page]);
    expect(written.code).toBe(0);
    const html = readFileSync(page, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain("default-src 'none'");
  }, 120_000);
});

describe('ringfence proof over HTTP', () => {
  let api: ApiHarness;
  let server: RunningServer;
  afterEach(async () => {
    await server.close();
    await api.close();
  });

  function cli(args: readonly string[], key: string) {
    return runCliHere(['proof', ...args, '--url', server.url, '--key', key]);
  }

  it('publishes as the operator, lists, and fetches the customer’s own proof, which verifies', async () => {
    api = await openApiHarness('sqlite');
    server = await startServer({
      service: api.service,
      port: 0,
      reserves: {
        service: await ReservesService.open(api.service, {
          chain: fakeReservesChain(new Map()),
          platformSigner: testPersonalSigner(PLATFORM_KEY),
          controlSigners: [testPersonalSigner(PLATFORM_KEY), testPersonalSigner(TRUSTEE_KEY)],
        }),
      },
    });
    const published = await cli(['publish'], api.keys.operator);
    expect(published.code).toBe(0);
    expect(published.stdout).toMatch(/BTC\s+5\s+0\s+0\.0000/);
    const listed = await cli(['audits', '--json'], api.keys.auditor);
    expect(JSON.parse(listed.stdout).audits).toHaveLength(1);
    const out = join(scratchDirectory(), 'mine.json');
    const fetched = await cli(['fetch', '--out', out], api.keys.alice);
    expect(fetched.code).toBe(0);
    const verify = await runCliHere(['proof', 'verify', out, '--json']);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ verified: true, customerId: 'alice' });
    const refused = await cli(['fetch', '--out', out], api.keys.operator);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('forbidden_role');
  });
});
