// Ledger benchmark: durable transfers per second through the full engine (validation, segregation rules,
// journal hashing, group commit) on SQLite and PostgreSQL, and in the same run the raw store baseline
// (the same rows committed with no engine), so the engine's overhead is a ratio. Last line: one JSON object.

import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Command } from '../src/core/ledger/types.ts';
import { LedgerService } from '../src/service/ledger-service.ts';
import { isPostgresUrl, openStore } from '../src/store/open-store.ts';
import { PostgresStore } from '../src/store/postgres-store.ts';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import { startPostgresCluster } from '../test/support/postgres-cluster.ts';
import { runRawStoreBaseline } from './raw-store.ts';
import { xorshift32 } from './support.ts';

const TRANSFERS = Number(process.env.BENCH_TRANSFERS ?? 200_000);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
/** Commands per client request; several requests in flight let group commit join them. */
const REQUEST_COMMANDS = 1_000;
const REQUESTS_IN_FLIGHT = 16;
const ASSET = 'USDC';
const ACCOUNT_CLASS = 'derivatives';

interface EngineRun {
  transfersPerSecond: number;
  batchMs: number[];
  meanBatchCommands: number;
}

function transferId(n: number): string {
  return n.toString(16).padStart(32, '0');
}

/** Customers, their claim accounts and a deposit each, so trades never overdraw. */
function setupCommands(): Command[] {
  const commands: Command[] = [
    { type: 'register_asset', code: ASSET, scale: 6 },
    { type: 'add_account_class', code: ACCOUNT_CLASS },
    {
      type: 'register_vault',
      vault: {
        id: 'vault',
        chainId: 31_337,
        address: `0x${'c'.repeat(40)}`,
        assets: [{ asset: ASSET, token: `0x${'a'.repeat(40)}` }],
        kind: 'customer_omnibus',
        customerId: null,
        accountClass: ACCOUNT_CLASS,
        temperature: 'cold',
        custodian: 'Bench Custodian',
        acknowledgment: { acknowledgedAtMs: 0, documentReference: 'bench-ack' },
      },
    },
    {
      type: 'open_account',
      id: 'seg',
      owner: { type: 'house' },
      asset: ASSET,
      segregationClass: 'segregated_custody',
      accountClass: ACCOUNT_CLASS,
      vaultId: 'vault',
    },
  ];
  for (let i = 0; i < ACCOUNTS; i += 1) {
    commands.push({ type: 'create_customer', id: `c${i}`, name: `Customer ${i}` });
    commands.push({
      type: 'open_account',
      id: `c${i}:${ASSET}`,
      owner: { type: 'customer', customerId: `c${i}` },
      asset: ASSET,
      segregationClass: 'customer_collateral',
      accountClass: ACCOUNT_CLASS,
      vaultId: null,
    });
  }
  for (let i = 0; i < ACCOUNTS; i += 1) {
    commands.push({
      type: 'transfer',
      id: transferId(1_000_000_000 + i),
      kind: 'deposit',
      reference: `tx-${i}`,
      instructedBy: null,
      legs: [{ debit: 'seg', credit: `c${i}:${ASSET}`, asset: ASSET, amountMinor: 1_000_000_000_000n }],
      holdExpiresAtMs: null,
    });
  }
  return commands;
}

async function runEngine(db: string): Promise<EngineRun> {
  const store = await openStore(db);
  const batchMs: number[] = [];
  let batchCommands = 0;
  let measuring = false;
  const service = await LedgerService.open(store, {
    onCommit: ({ commands, applyMs, commitMs }) => {
      if (!measuring) return;
      batchMs.push(applyMs + commitMs);
      batchCommands += commands;
    },
  });
  const setup = setupCommands();
  for (let i = 0; i < setup.length; i += 8_000) {
    const results = await service.submit(setup.slice(i, i + 8_000));
    if (results.some((r) => !r.ok)) throw new Error('benchmark setup was rejected');
  }
  const random = xorshift32(7);
  const requests: Command[][] = [];
  for (let done = 0; done < TRANSFERS; done += REQUEST_COMMANDS) {
    const request: Command[] = [];
    for (let i = done; i < Math.min(TRANSFERS, done + REQUEST_COMMANDS); i += 1) {
      const debit = random() % ACCOUNTS;
      const credit = (debit + 1 + (random() % (ACCOUNTS - 1))) % ACCOUNTS;
      request.push({
        type: 'transfer',
        id: transferId(i + 1),
        kind: 'trade_settlement',
        reference: `fill-${i}`,
        instructedBy: null,
        legs: [
          {
            debit: `c${debit}:${ASSET}`,
            credit: `c${credit}:${ASSET}`,
            asset: ASSET,
            amountMinor: BigInt(1 + (random() % 1_000)),
          },
        ],
        holdExpiresAtMs: null,
      });
    }
    requests.push(request);
  }
  measuring = true;
  const started = performance.now();
  let next = 0;
  let rejected = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++]!;
      const results = await service.submit(request);
      rejected += results.filter((r) => !r.ok).length;
    }
  };
  await Promise.all(Array.from({ length: REQUESTS_IN_FLIGHT }, worker));
  const elapsedMs = performance.now() - started;
  measuring = false;
  if (rejected > 0) throw new Error(`${rejected} benchmark transfers were rejected`);
  await service.close();
  return {
    transfersPerSecond: (TRANSFERS * 1000) / elapsedMs,
    batchMs,
    meanBatchCommands: batchCommands / batchMs.length,
  };
}

// The raw baseline writes through the plain in-thread stores (better-sqlite3 on this thread, pg): no engine,
// no worker, no packing, just the same rows.
async function runRaw(db: string, batchTransfers: number): Promise<number> {
  const store = isPostgresUrl(db) ? await PostgresStore.open(db) : SqliteStore.open(db);
  await store.migrate();
  const result = await runRawStoreBaseline(store, {
    transfers: TRANSFERS,
    batchTransfers,
    accounts: ACCOUNTS,
  });
  await store.close();
  return result.transfersPerSecond;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'ringfence-bench-'));
  const cluster = await startPostgresCluster();
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  const pgUrl = async (name: string) => {
    await admin.query(`CREATE DATABASE ${name}`);
    return cluster.url.replace(/\/[^/]+$/, `/${name}`);
  };
  try {
    const sqliteEngine = await runEngine(join(directory, 'engine.sqlite'));
    console.log(
      `sqlite engine: ${Math.round(sqliteEngine.transfersPerSecond)} transfers/s, mean batch ${Math.round(sqliteEngine.meanBatchCommands)} commands`,
    );
    const sqliteRaw = await runRaw(join(directory, 'raw.sqlite'), Math.round(sqliteEngine.meanBatchCommands));
    console.log(`sqlite raw: ${Math.round(sqliteRaw)} transfers/s`);
    const postgresEngine = await runEngine(await pgUrl('bench_engine'));
    console.log(
      `postgres engine: ${Math.round(postgresEngine.transfersPerSecond)} transfers/s, mean batch ${Math.round(postgresEngine.meanBatchCommands)} commands`,
    );
    const postgresRaw = await runRaw(await pgUrl('bench_raw'), Math.round(postgresEngine.meanBatchCommands));
    console.log(`postgres raw: ${Math.round(postgresRaw)} transfers/s`);
    const batchMs = [...sqliteEngine.batchMs];
    console.log(
      JSON.stringify({
        transfers: TRANSFERS,
        accounts: ACCOUNTS,
        machine: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown cpu'}, node ${process.version}`,
        sqlite_transfers_per_s: Math.round(sqliteEngine.transfersPerSecond),
        sqlite_raw_transfers_per_s: Math.round(sqliteRaw),
        sqlite_engine_to_raw_ratio: Number((sqliteEngine.transfersPerSecond / sqliteRaw).toFixed(3)),
        postgres_transfers_per_s: Math.round(postgresEngine.transfersPerSecond),
        postgres_raw_transfers_per_s: Math.round(postgresRaw),
        postgres_engine_to_raw_ratio: Number((postgresEngine.transfersPerSecond / postgresRaw).toFixed(3)),
        batch_ms_p50: Number(percentile(batchMs, 50).toFixed(2)),
        batch_ms_p99: Number(percentile(batchMs, 99).toFixed(2)),
        postgres_batch_ms_p50: Number(percentile(postgresEngine.batchMs, 50).toFixed(2)),
        postgres_batch_ms_p99: Number(percentile(postgresEngine.batchMs, 99).toFixed(2)),
      }),
    );
  } finally {
    await admin.end();
    await cluster.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

await main();
