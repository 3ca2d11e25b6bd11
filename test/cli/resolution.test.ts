// Proves `ringfence resolution` as officers, an auditor and a customer drive it against a started server
// (in-process): the contagion table for a built-in scenario and for a scenario file, the two-officer freeze,
// a customer's own statement, and the resolution pack written as pack.json, pack.csv and report.html with a
// progress bar when asked for.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/api/server.ts';
import { type ApiHarness, openApiHarness } from '../api/harness.ts';
import { runCliHere } from './cli-process.ts';

function scratchDirectory(): string {
  return mkdtempSync(join(inject('ringfenceTestDirectory'), 'resolution-cli-'));
}

describe('ringfence resolution over HTTP', () => {
  let api: ApiHarness;
  let server: RunningServer;
  afterEach(async () => {
    await server.close();
    await api.close();
  });

  async function start(): Promise<void> {
    api = await openApiHarness('sqlite', { resolution: true, segregation: true });
    server = await startServer({
      service: api.service,
      port: 0,
      segregation: api.segregation!,
      resolution: api.resolution!,
    });
  }

  function cli(args: readonly string[], key: string) {
    return runCliHere(['resolution', ...args, '--url', server.url, '--key', key]);
  }

  it('prints the contagion table for a built-in scenario and for a scenario file', async () => {
    await start();
    const builtIn = await cli(['simulate', '--scenario', 'house-loss'], api.keys.auditor);
    expect(builtIn.code, builtIn.stderr).toBe(0);
    expect(builtIn.stdout).toContain('Contagion scenario house-loss');
    // alice 2 and bob 3 BTC stay whole when segregated; the house's 12 BTC loss reaches them when commingled.
    expect(builtIn.stdout).toMatch(/^bob\s+BTC\s+3\.00000000\s+3\.00000000\s+100\.00/m);
    expect(builtIn.stdout).toMatch(/^all customers\s+BTC\s+5\.00000000\s+5\.00000000\s+100\.00/m);

    const file = join(scratchDirectory(), 'scenario.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'hack of the derivatives vault',
        events: [{ type: 'hot_wallet_hack', vaultId: 'vault:derivatives', asset: 'BTC', amount: '3' }],
      }),
    );
    const fromFile = await cli(['simulate', '--scenario', file, '--json'], api.keys.operator);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ scenario: 'hack of the derivatives vault' });

    const unknown = await cli(['simulate', '--scenario', 'nope'], api.keys.operator);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('usage_invalid');
  });

  it('freezes with two officers, shows a customer its claims, and writes the pack with a progress bar', async () => {
    await start();
    const early = await cli(['pack', '--out', scratchDirectory()], api.keys.auditor);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('error resolution_not_frozen');

    const requested = await cli(['freeze', '--reason', 'the house has failed'], api.keys.officer);
    expect(requested.code, requested.stderr).toBe(0);
    expect(requested.stdout).toMatch(/^status: +freeze_requested$/m);
    const same = await cli(['approve'], api.keys.officer);
    expect(same.code).toBe(1);
    expect(same.stderr).toContain('error freeze_approval_same_officer');
    const approved = await cli(['approve'], api.keys.officer2);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toMatch(/^status: +frozen$/m);
    expect(approved.stdout).toMatch(/^pinned at: +journal seq \d+/m);

    const claims = await cli(['claims', '--customer', 'alice'], api.keys.alice);
    expect(claims.code, claims.stderr).toBe(0);
    expect(claims.stdout).toMatch(/^USDC\s+spot\s+1000\s+1000\s+1000\s+0\s+0\s+0$/m);
    const other = await cli(['claims', '--customer', 'bob'], api.keys.alice);
    expect(other.stderr).toContain('error forbidden_not_own_account');

    const out = join(scratchDirectory(), 'pack');
    const pack = await cli(['pack', '--out', out, '--progress'], api.keys.auditor);
    expect(pack.code, pack.stderr).toBe(0);
    expect(pack.stdout).toMatch(/^ +customers: +2 \(3 positions\)$/m);
    expect(pack.stdout).toMatch(/^ +journal: +verified$/m);
    expect(pack.stderr).toMatch(/^pack +\[#{30}\] 100% 2\/2$/m);
    for (const name of ['pack.json', 'pack.csv', 'report.html'])
      expect(existsSync(join(out, name)), name).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'pack.json'), 'utf8')).format).toBe(
      'ringfence-resolution-pack-v1',
    );
    expect(readFileSync(join(out, 'pack.csv'), 'utf8')).toContain(
      'claims,alice,BTC,derivatives,2,2,2,0,0,0,0\n',
    );
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Resolution pack: Harness Futures LLC');
  });
});
