// Proves `ringfence demo` as a user runs it: it seeds a fresh SQLite book, serves it, prints the refused
// sweep's code and keys that work, stops cleanly on SIGINT, and on a second start reuses the book.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestLocation } from '../support/stores.ts';
import { runCli, startCli } from './cli-process.ts';

const READY = /Press Ctrl\+C to stop\./;

function printed(stdout: string, label: string): string {
  const value = new RegExp(`^ *${label}: +(\\S+)$`, 'm').exec(stdout)?.[1];
  expect(value, `demo prints ${label}`).toBeDefined();
  return value!;
}

describe('ringfence demo', () => {
  it('seeds, serves /healthz, prints the refused code and working keys, and stops on SIGINT', async () => {
    const { location } = await createTestLocation('sqlite');
    const db = join(location, '..', 'nested', 'demo.sqlite');
    const demo = await startCli(['demo', '--db', db, '--port', '0'], READY);
    let stopped = false;
    try {
      const stdout = demo.stdout();
      const url = /^Ringfence demo serving (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout)?.[1];
      expect(url).toBeDefined();
      expect(stdout).toContain('refused:');
      expect(stdout).toContain('segregation_customer_to_house_forbidden');
      expect(stdout).toContain(`curl -s ${url}/healthz`);

      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });

      const customerKey = printed(stdout, 'customer cust-001');
      const balances = await fetch(`${url}/v1/balances?customerId=cust-001`, {
        headers: { authorization: `Bearer ${customerKey}` },
      });
      expect(balances.status).toBe(200);
      const body = (await balances.json()) as { accounts: { id: string }[] };
      expect(body.accounts.map((account) => account.id)).toContain('cust-001:derivatives:USDC');

      // The CLI line the demo prints for the refused sweep, run against the demo itself.
      const operatorKey = printed(stdout, 'operator');
      const sweep = await runCli(
        [
          'transfer',
          '--kind',
          'house_transfer',
          '--reference',
          'treasury-sweep-demo',
          '--leg',
          'cust-001:derivatives:USDC,house:equity:USDC,USDC,10000',
        ],
        { RINGFENCE_URL: url!, RINGFENCE_KEY: operatorKey },
      );
      expect(sweep.code).toBe(1);
      expect(sweep.stderr).toMatch(/^error segregation_customer_to_house_forbidden: /);

      const exit = await demo.stop('SIGINT');
      stopped = true;
      expect(exit.code).toBe(0);
      expect(exit.stderr).toContain('stopped');
    } finally {
      if (!stopped) await demo.stop('SIGKILL');
    }

    // A second start reuses the book and still reports the refusal recorded when it was seeded.
    const again = await startCli(['demo', '--db', db, '--port', '0', '--json'], /\n/);
    try {
      const started = JSON.parse(again.stdout()) as {
        seeded: boolean;
        refused: { code: string } | null;
        keys: { auditor: string };
        url: string;
      };
      expect(started.seeded).toBe(false);
      expect(started.refused?.code).toBe('segregation_customer_to_house_forbidden');
      const pools = await runCli(['pools', '--url', started.url, '--key', started.keys.auditor, '--json']);
      expect(pools.code).toBe(0);
      expect((JSON.parse(pools.stdout) as { pools: unknown[] }).pools).toHaveLength(16);
    } finally {
      expect((await again.stop('SIGTERM')).code).toBe(0);
    }
  });

  it('refuses --reset on a PostgreSQL URL', async () => {
    const run = await runCli(['demo', '--db', 'postgres://localhost/x', '--reset']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--reset deletes SQLite files only');
  });
});
