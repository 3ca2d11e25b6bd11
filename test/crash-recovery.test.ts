// Crash safety, as an operator would meet it: a real `ringfence serve` process takes a stream of concurrent
// transfers over HTTP and is killed with SIGKILL mid-stream. After a restart on the same database every
// transfer that was acknowledged (HTTP 201) is present exactly once, nothing unacknowledged is half-written,
// and the journal verifies. Runs on SQLite and PostgreSQL.

import { describe, expect, it } from 'vitest';
import { LedgerService } from '../src/service/ledger-service.ts';
import { runCli, startCli } from './cli/cli-process.ts';
import { createTestLocation, openTestStoreAt, STORE_KINDS } from './support/stores.ts';

const CLIENTS = 16;
const KILL_AFTER_ACKS = 400;

async function createOperatorKey(db: string): Promise<string> {
  const run = await runCli(['keys', 'create', '--role', 'operator', '--db', db, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { secret: string }).secret;
}

async function post(url: string, key: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function setUpBook(url: string, key: string): Promise<void> {
  const steps: [string, unknown][] = [
    ['/v1/assets', { code: 'USDC', scale: 6 }],
    ['/v1/account-classes', { code: 'derivatives' }],
    ['/v1/customers', { id: 'alice', name: 'Alice' }],
    [
      '/v1/vaults',
      {
        id: 'vault:usdc',
        chainId: 31_337,
        address: `0x${'c'.repeat(40)}`,
        assets: [{ asset: 'USDC', token: `0x${'a'.repeat(40)}` }],
        kind: 'customer_omnibus',
        customerId: null,
        accountClass: 'derivatives',
        temperature: 'cold',
        custodian: 'Test Custodian',
        acknowledgment: { acknowledgedAtMs: 0, documentReference: 'ack-1' },
      },
    ],
    [
      '/v1/accounts',
      {
        id: 'seg:USDC',
        owner: { type: 'house' },
        asset: 'USDC',
        segregationClass: 'segregated_custody',
        accountClass: 'derivatives',
        vaultId: 'vault:usdc',
      },
    ],
    [
      '/v1/accounts',
      {
        id: 'alice:USDC',
        owner: { type: 'customer', customerId: 'alice' },
        asset: 'USDC',
        segregationClass: 'customer_collateral',
        accountClass: 'derivatives',
      },
    ],
  ];
  for (const [path, body] of steps) {
    const response = await post(url, key, path, body);
    expect(response.status, `${path}: ${await response.clone().text()}`).toBeLessThan(300);
  }
}

describe.each(STORE_KINDS)('SIGKILL while accepting transfers on %s', (kind) => {
  it('keeps every acknowledged transfer exactly once and a journal that verifies', async () => {
    const where = await createTestLocation(kind);
    const db = where.location;
    const key = await createOperatorKey(db);
    const first = await startCli(['serve', '--db', db, '--port', '0', '--json'], /\n/);
    const { url } = JSON.parse(first.stdout()) as { url: string };
    await setUpBook(url, key);

    const acknowledged = new Set<string>();
    const attempted = new Set<string>();
    let counter = 0;
    let killed = false;
    const client = async () => {
      while (!killed) {
        counter += 1;
        const id = counter.toString(16).padStart(32, '0');
        attempted.add(id);
        try {
          const response = await post(url, key, '/v1/transfers', {
            id,
            kind: 'deposit',
            reference: `tx-${counter}`,
            legs: [{ debit: 'seg:USDC', credit: 'alice:USDC', asset: 'USDC', amount: '1.000001' }],
          });
          if (response.status === 201) acknowledged.add(id);
          else expect.unreachable(`unexpected ${response.status}: ${await response.text()}`);
        } catch {
          return; // the connection died with the server: the outcome of this one is unknown
        }
        if (acknowledged.size >= KILL_AFTER_ACKS && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const exit = await first.stop();
    expect(exit.signal).toBe('SIGKILL');
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    // Restart: the server must come back on the same database, and the journal must verify.
    const second = await startCli(['serve', '--db', db, '--port', '0', '--json'], /\n/);
    const restarted = JSON.parse(second.stdout()) as { url: string };
    for (const id of acknowledged) {
      const response = await fetch(`${restarted.url}/v1/transfers/${id}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(response.status, id).toBe(200);
    }
    await second.stop('SIGTERM');
    const verify = await runCli(['journal', 'verify', '--db', db, '--json']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);

    // Exactly once: count every transfer id in the journal, and the balance equals the committed deposits.
    const store = await openTestStoreAt(where);
    const service = await LedgerService.open(store);
    try {
      const seen = new Map<string, number>();
      for (const batch of await store.readBatches(1, await store.readHeadSeq(), 1_000_000)) {
        for (const entry of batch.entries)
          if (entry.id !== null) seen.set(entry.id, (seen.get(entry.id) ?? 0) + 1);
      }
      for (const id of acknowledged) expect(seen.get(id), id).toBe(1);
      for (const [id, count] of seen) {
        expect(count).toBe(1);
        expect(attempted.has(id)).toBe(true);
      }
      const balance = await service.read((engine) => engine.getAccount('alice:USDC')!.creditsPostedMinor);
      expect(balance).toBe(BigInt(seen.size) * 1_000_001n);
      expect((await service.verify()).ok).toBe(true);
    } finally {
      await service.close();
    }
  });
});
