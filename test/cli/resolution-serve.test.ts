// Proves `ringfence serve` installs the resolution freeze: two officers freeze the served demo book with the
// CLI, the server is stopped and started again on the same database, and the restarted server still refuses
// a transfer with ledger_frozen and reports the freeze (SQLite; the service tests cover both stores).

import { describe, expect, it } from 'vitest';
import { runCli, runCliHere, startCli } from './cli-process.ts';
import { seedDatabase } from './seeded-database.ts';

async function createKey(db: string, role: string): Promise<string> {
  const run = await runCliHere(['keys', 'create', '--db', db, '--json', '--role', role]);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { secret: string }).secret;
}

describe('ringfence serve with a frozen book', () => {
  it('keeps the freeze across a restart', async () => {
    const { db } = await seedDatabase('sqlite');
    const operator = await createKey(db, 'operator');
    const officers = [await createKey(db, 'officer'), await createKey(db, 'officer')] as const;
    const transfer = [
      'transfer',
      '--kind',
      'trade_settlement',
      '--reference',
      'fill-after-freeze',
      '--leg',
      'ri:derivatives:USDC,cust-001:derivatives:USDC,USDC,1',
    ];

    const first = await startCli(['serve', '--db', db, '--port', '0', '--json'], /\n/);
    try {
      const { url } = JSON.parse(first.stdout()) as { url: string };
      const resolution = (key: string, ...args: string[]) =>
        runCliHere(['resolution', ...args, '--url', url, '--key', key]);
      expect((await resolution(officers[0], 'freeze', '--reason', 'the house has failed')).code).toBe(0);
      const approved = await resolution(officers[1], 'approve', '--json');
      expect(approved.code, approved.stderr).toBe(0);
      expect(JSON.parse(approved.stdout).status).toBe('frozen');
    } finally {
      await first.stop('SIGTERM');
    }

    const second = await startCli(['serve', '--db', db, '--port', '0', '--json'], /\n/);
    try {
      const { url } = JSON.parse(second.stdout()) as { url: string };
      const refused = await runCli(transfer, { RINGFENCE_URL: url, RINGFENCE_KEY: operator });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^error ledger_frozen: /);
      const status = await runCliHere(['resolution', 'status', '--url', url, '--key', operator]);
      expect(status.stdout).toMatch(/^status: +frozen$/m);
    } finally {
      await second.stop('SIGTERM');
    }
  });
});
