// Proves `ringfence segregation` as a user drives it. With --db, the real executable (a child process) on the
// seeded demo book of both stores: compute, finalise, show as printable HTML into a file with the seal
// verified, list, import a custodian statement that finds a vault short, breaks, resolve the break (recorded
// as "cli"), the top-ups it clears, and the subcommands --db refuses. Over HTTP, the CLI's dispatcher
// in-process against a started server with the segregation services: the statement, a target, and a
// residual-interest withdrawal approved by two officers.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/api/server.ts';
import { type ApiHarness, openApiHarness } from '../api/harness.ts';
import { ids } from '../support/book.ts';
import { STORE_KINDS } from '../support/stores.ts';
import { runCli, runCliHere } from './cli-process.ts';
import { seedDatabase } from './seeded-database.ts';

const BUSINESS_DATE = '2030-06-28';
/** Nine runs of the executable, each a full start of Node and tsx and a replay of the demo book. */
const DB_FLOW_TIMEOUT_MS = 240_000;

function scratchDirectory(): string {
  return mkdtempSync(join(inject('ringfenceTestDirectory'), 'segregation-cli-'));
}

describe.each(STORE_KINDS)('ringfence segregation --db on %s', (kind) => {
  it(
    'computes, finalises, prints, lists, imports a statement, and resolves the break it finds',
    async () => {
      const seeded = await seedDatabase(kind);
      const db = ['--db', seeded.db];
      const directory = scratchDirectory();

      const computed = await runCli([
        'segregation',
        'compute',
        '--business-date',
        BUSINESS_DATE,
        '--cutoff-seq',
        String(seeded.summary.headSeq),
        ...db,
        '--json',
      ]);
      expect(computed.code, computed.stderr).toBe(0);
      const draft = JSON.parse(computed.stdout);
      expect(draft).toMatchObject({
        id: `seg-${BUSINESS_DATE}-1`,
        status: 'draft',
        computedBy: 'cli',
        cutoff: { seq: seeded.summary.headSeq },
      });
      expect(draft.segments.length).toBeGreaterThan(0);

      const finalised = await runCli(['segregation', 'finalise', draft.id, ...db]);
      expect(finalised.code, finalised.stderr).toBe(0);
      expect(finalised.stdout).toMatch(/^status: +final$/m);
      expect(finalised.stdout).toMatch(/^seal: +verified$/m);
      const hash = /^hash: +([0-9a-f]{64})$/m.exec(finalised.stdout)?.[1];
      expect(hash).toBeDefined();

      const out = join(directory, 'statement.html');
      const shown = await runCli([
        'segregation',
        'show',
        draft.id,
        '--format',
        'html',
        '--out',
        out,
        '--verify',
        ...db,
      ]);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain(`wrote statement ${draft.id} (html) to ${out}`);
      expect(shown.stdout).toContain('seal verified');
      const html = readFileSync(out, 'utf8');
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).toContain(hash!);
      expect(html).toContain('Ringfence venue');

      const listed = await runCli(['segregation', 'list', ...db]);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toMatch(/^STATEMENT +BUSINESS DATE +STATUS/);
      expect(listed.stdout).toMatch(new RegExp(`^${draft.id} +${BUSINESS_DATE} +final `, 'm'));

      // The custodian reports nothing in vault:derivatives:cold's USDC: the whole book balance is a break.
      const statement = join(directory, 'custodian.csv');
      writeFileSync(
        statement,
        'custodian,statement_date,vault_id,asset,balance\nAcme Trust,2030-06-28,vault:derivatives:cold,USDC,0\n',
      );
      const imported = await runCli(['segregation', 'import-statement', statement, ...db, '--json']);
      expect(imported.code, imported.stderr).toBe(0);
      const run = JSON.parse(imported.stdout);
      expect(run).toMatchObject({ id: 'rec-1', by: 'cli', source: 'custodian' });
      expect(run.breaks).toHaveLength(1);
      const found = run.breaks[0];
      expect(found).toMatchObject({
        id: 'rec-1:vault:derivatives:cold:USDC',
        direction: 'observed_below_ledger',
        vaultId: 'vault:derivatives:cold',
      });
      expect(found.amount).toBe(run.external[0].ledger);

      const breaks = await runCli(['segregation', 'breaks', ...db]);
      expect(breaks.code, breaks.stderr).toBe(0);
      expect(breaks.stdout).toMatch(
        new RegExp(
          `^${found.id} +open +observed_below_ledger +${found.amount.replace('.', '\\.')} +USDC `,
          'm',
        ),
      );
      const topUps = await runCli(['segregation', 'top-ups', ...db, '--json']);
      expect(JSON.parse(topUps.stdout).topUps).toEqual([
        expect.objectContaining({
          breakId: found.id,
          amount: found.amount,
          vaultId: 'vault:derivatives:cold',
        }),
      ]);

      const resolved = await runCli([
        'segregation',
        'resolve-break',
        found.id,
        '--resolution',
        'statement file truncated by the custodian; corrected file matches',
        ...db,
        '--json',
      ]);
      expect(resolved.code, resolved.stderr).toBe(0);
      expect(JSON.parse(resolved.stdout)).toMatchObject({
        id: found.id,
        status: 'resolved',
        resolvedBy: 'cli',
      });
      const after = await runCli(['segregation', 'top-ups', ...db]);
      expect(after.stdout).toBe('(none)\n');
    },
    DB_FLOW_TIMEOUT_MS,
  );
});

describe('ringfence segregation --db refusals', () => {
  it('refuses what --db cannot do with usage errors, and an unknown statement with its code', async () => {
    const seeded = await seedDatabase('sqlite');
    const chain = await runCli(['segregation', 'reconcile-chain', '--db', seeded.db]);
    expect(chain.code).toBe(2);
    expect(chain.stderr).toContain('reads the chain the server watches');
    const approve = await runCli(['segregation', 'approve', 'riw-1', '--db', seeded.db]);
    expect(approve.code).toBe(2);
    expect(approve.stderr).toContain("officer's --key");
    const missing = await runCli(['segregation', 'show', 'seg-1999-01-01-1', '--db', seeded.db, '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'statement_unknown' } });
  });
});

describe('ringfence segregation against a server', () => {
  let api: ApiHarness;
  let server: RunningServer;
  beforeEach(async () => {
    api = await openApiHarness('sqlite', { segregation: true });
    api.nowMs = Date.parse('2030-01-02T10:00:00Z');
    if (api.segregation === null) throw new Error('segregation harness');
    server = await startServer({ service: api.service, port: 0, segregation: api.segregation });
  });
  afterEach(async () => {
    await server.close();
    await api.close();
  });

  function cli(args: readonly string[], key = api.keys.operator) {
    return runCliHere(['segregation', ...args, '--url', server.url, '--key', key]);
  }

  it('computes and finalises a statement, sets a target, and runs a withdrawal past two officers', async () => {
    const computed = await cli(['compute', '--business-date', '2030-01-01', '--json']);
    expect(computed.code, computed.stderr).toBe(0);
    const id = JSON.parse(computed.stdout).id;
    const finalised = await cli(['finalise', id], api.keys.officer);
    expect(finalised.code, finalised.stderr).toBe(0);
    expect(finalised.stdout).toMatch(/^BTC +derivatives +5 +6 +1 +0 +1 +0 +compliant$/m);

    const csv = await cli(['show', id, '--format', 'csv']);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.split('\n')[0]).toBe(
      'statement_id,business_date,status,hash,cutoff_seq,asset,account_class,line,label,amount',
    );
    const verified = await cli(['show', id, '--verify']);
    expect(verified.code, verified.stderr).toBe(0);

    const target = ['target-set', '--asset', 'BTC', '--account-class', 'derivatives', '--amount', '0.9'];
    const byOperator = await cli([...target, '--approval-reference', 'minute 7']);
    expect(byOperator.code).toBe(1);
    expect(byOperator.stderr).toMatch(/^error forbidden_role: /);
    const set = await cli([...target, '--approval-reference', 'minute 7'], api.keys.officer);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^BTC +derivatives +0\.9 +minute 7 /m);

    const withdraw = await cli([
      'withdraw',
      '--asset',
      'BTC',
      '--account-class',
      'derivatives',
      '--amount',
      '0.15',
      '--residual-interest-account',
      ids.residual('derivatives', 'BTC'),
      '--house-equity-account',
      ids.houseEquity('BTC'),
      '--segregated-custody-account',
      ids.segregated('derivatives', 'BTC'),
      '--house-custody-account',
      ids.houseCustody('BTC'),
      '--reason',
      'fund proprietary margin',
      '--recipient',
      'house treasury',
      '--json',
    ]);
    expect(withdraw.code, withdraw.stderr).toBe(0);
    const requested = JSON.parse(withdraw.stdout);
    expect(requested.status).toBe('awaiting_approvals');

    const first = await cli(['approve', requested.id], api.keys.officer);
    expect(first.stdout).toMatch(/^status: +awaiting_approvals$/m);
    const second = await cli(['approve', requested.id], api.keys.officer2);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^status: +executed$/m);
    expect(second.stdout).toContain(`${api.keyIds.officer}, ${api.keyIds.officer2}`);

    const listed = await cli(['withdrawals']);
    expect(listed.stdout).toMatch(
      new RegExp(`^${requested.id} +executed +0\\.15 +BTC +derivatives +2 `, 'm'),
    );
  });
});
