// Proves `ringfence serve` on both stores (a SQLite file and a PostgreSQL URL) and the remote commands
// against it, run as a user does: keys made by `keys create` authenticate, reads over HTTP equal reads of
// the database (--db) while the server runs, transfers are accepted or refused with their code, and
// SIGTERM stops the server cleanly.

import { describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../support/stores.ts';
import { runCli, startCli } from './cli-process.ts';
import { seedDatabase } from './seeded-database.ts';

async function createKey(db: string, ...role: string[]): Promise<string> {
  const run = await runCli(['keys', 'create', '--db', db, '--json', ...role]);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { secret: string }).secret;
}

async function json(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<unknown> {
  const run = await runCli([...args, '--json'], env);
  expect(run.code, `${args.join(' ')}: ${run.stdout}${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout);
}

describe.each(STORE_KINDS)('ringfence serve on %s', (kind) => {
  it('serves the ledger to the remote commands and stops on SIGTERM', async () => {
    const seeded = await seedDatabase(kind);
    const db = seeded.db;
    const operator = await createKey(db, '--role', 'operator');
    const auditor = await createKey(db, '--role', 'auditor');
    const customer = await createKey(db, '--role', 'customer', '--customer', 'cust-001');

    const server = await startCli(['serve', '--db', db, '--port', '0', '--json'], /\n/);
    let stopped = false;
    try {
      const started = JSON.parse(server.stdout()) as { url: string; headSeq: number; db: string };
      expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(started.headSeq).toBe(seeded.summary.headSeq);
      const health = await fetch(`${started.url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', headSeq: seeded.summary.headSeq });
      const remote = { RINGFENCE_URL: started.url, RINGFENCE_KEY: operator };

      // Reads over HTTP and straight from the database agree (the database is only read).
      for (const command of [
        ['pools'],
        ['holds'],
        ['accounts', '--customer', 'cust-001'],
        ['balances', '--asset', 'BTC'],
      ]) {
        expect(await json([...command, '--key', auditor, '--url', started.url])).toEqual(
          await json([...command, '--db', db]),
        );
      }
      const mine = (await json(['balances', '--key', customer, '--url', started.url])) as {
        asOfSeq: number;
        accounts: { id: string }[];
      };
      expect(mine.asOfSeq).toBe(seeded.summary.headSeq);
      expect(mine.accounts.length).toBeGreaterThan(0);
      expect(mine.accounts.every((account) => account.id.startsWith('cust-001:'))).toBe(true);
      const holds = (await json(['holds'], remote)) as { holds: { id: string }[] };
      expect(holds.holds.map((hold) => hold.id)).toEqual([seeded.summary.pendingHoldId]);

      const table = await runCli(['balances', '--customer', 'cust-001'], remote);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(
        /^Balances as of journal seq \d+\nACCOUNT +CLASS +ASSET +BALANCE +AVAILABLE\n/,
      );
      expect(table.stdout).toMatch(/^cust-001:derivatives:USDC +customer_collateral +USDC +[\d.]+ +[\d.]+$/m);

      // A transfer is accepted once; the same id and content again answers the original result.
      const id = 'c0ffee00000000000000000000000001';
      const trade = [
        'transfer',
        '--id',
        id,
        '--kind',
        'trade_settlement',
        '--reference',
        'fill-cli-0001',
        '--leg',
        'ri:derivatives:USDC,cust-001:derivatives:USDC,USDC,125.5',
      ];
      const accepted = await runCli(trade, remote);
      expect(accepted.code, accepted.stderr).toBe(0);
      expect(accepted.stdout).toContain(`accepted: transfer ${id}`);
      expect(await json(trade, remote)).toEqual({ id, seq: seeded.summary.headSeq + 1, duplicate: true });
      const before = (await json(
        ['balances', '--as-of', String(seeded.summary.headSeq), '--customer', 'cust-001', '--asset', 'USDC'],
        remote,
      )) as {
        accounts: { id: string; balances: { balance: string } }[];
      };
      expect(before.accounts.map((account) => account.id)).toEqual([
        'cust-001:derivatives:USDC',
        'cust-001:spot:USDC',
      ]);

      // The ledger refuses customer money moving to the house; the CLI prints the code and exits 1.
      const sweep = await runCli(
        [
          'transfer',
          '--kind',
          'house_transfer',
          '--reference',
          'treasury-sweep-cli',
          '--leg',
          'cust-001:derivatives:USDC,house:equity:USDC,USDC,1',
        ],
        remote,
      );
      expect(sweep.code).toBe(1);
      expect(sweep.stderr).toMatch(
        /^error segregation_customer_to_house_forbidden: a house_transfer cannot move a customer claim to the house\n/,
      );
      expect(sweep.stderr).toContain('status: 422');
      const sweepJson = await runCli(
        [
          'transfer',
          '--json',
          '--kind',
          'house_transfer',
          '--reference',
          'treasury-sweep-cli',
          '--leg',
          'cust-001:derivatives:USDC,house:equity:USDC,USDC,1',
        ],
        remote,
      );
      expect(sweepJson.code).toBe(1);
      expect(JSON.parse(sweepJson.stdout)).toMatchObject({
        error: { code: 'segregation_customer_to_house_forbidden' },
      });

      // A customer key sees only its own affairs.
      const forbidden = await runCli(['pools', '--url', started.url, '--key', customer]);
      expect(forbidden.code).toBe(1);
      expect(forbidden.stderr).toMatch(/^error forbidden_role: /);

      const exit = await server.stop('SIGTERM');
      stopped = true;
      expect(exit.code).toBe(0);
    } finally {
      if (!stopped) await server.stop('SIGKILL');
    }
    const verify = await runCli(['journal', 'verify', '--db', db]);
    expect(verify.code).toBe(0);
    // About twenty CLI processes, each loading the TypeScript sources: minutes on a loaded machine.
  }, 180_000);
});
