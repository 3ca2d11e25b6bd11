// Keeps the benchmarks runnable: each `npm run bench:*` script runs here on a tiny workload and must end with
// one JSON object carrying the fields its issue names. Nothing here is timed or compared with a target.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function lastJsonLine(
  script: string,
  env: Record<string, string>,
  args: readonly string[] = [],
): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

describe('benchmarks', () => {
  it('bench:ledger prints its figures as the last line', async () => {
    const result = await lastJsonLine('bench/ledger.ts', { BENCH_TRANSFERS: '4000', BENCH_ACCOUNTS: '300' });
    for (const field of [
      'sqlite_transfers_per_s',
      'sqlite_raw_transfers_per_s',
      'postgres_transfers_per_s',
      'postgres_raw_transfers_per_s',
      'batch_ms_p50',
      'batch_ms_p99',
    ]) {
      expect(typeof result[field], field).toBe('number');
      expect(result[field] as number, field).toBeGreaterThan(0);
    }
  });

  it('bench:custody prints its figures as the last line', async () => {
    const result = await lastJsonLine('bench/custody.ts', {
      BENCH_SIGNATURE_REQUESTS: '200',
      BENCH_WITHDRAWALS: '5',
      BENCH_DEPOSITS: '5',
      BENCH_RESCAN_EMPTY_BLOCKS: '100',
    });
    for (const field of ['signature_verifications_per_s', 'withdrawal_ms_p50']) {
      expect(typeof result[field], field).toBe('number');
      expect(result[field] as number, field).toBeGreaterThan(0);
    }
    expect(result.withdrawal_measured_through).toBe('withdrawal-service');
  });

  it('bench:segregation prints its figures as the last line, with its results checked', async () => {
    const result = await lastJsonLine('bench/segregation.ts', {}, [
      '--customers',
      '1000',
      '--vault-balances',
      '100',
      '--runs',
      '2',
    ]);
    for (const field of ['statement_ms', 'statement_ms_min', 'collect_ms', 'compute_ms', 'reconcile_ms']) {
      expect(typeof result[field], field).toBe('number');
      expect(result[field] as number, field).toBeGreaterThan(0);
    }
    expect(typeof result.statement_target_met).toBe('boolean');
    expect(typeof result.reconcile_target_met).toBe('boolean');
    expect(result).toMatchObject({
      customers: 1000,
      customer_accounts: 5000,
      vault_balances: 100,
      breaks: 1,
      results_checked: true,
    });
  });

  it('bench:proofs prints its figures as the last line, with its results checked', async () => {
    const result = await lastJsonLine('bench/proofs.ts', {
      PROOFS_BENCH_CUSTOMERS: '5000',
      PROOFS_BENCH_LARGE_CUSTOMERS: '6000',
      PROOFS_BENCH_PROOFS: '20',
      PROOFS_BENCH_RUNS: '2',
    });
    for (const field of ['build_ms', 'proof_generate_us', 'proof_verify_us', 'proof_bytes', 'build_ms_10m']) {
      expect(typeof result[field], field).toBe('number');
      expect(result[field] as number, field).toBeGreaterThan(0);
    }
    expect(result.build_ms_runs).toHaveLength(2);
    expect(result.met).toEqual({
      build_ms: expect.any(Boolean),
      proof_generate_us: expect.any(Boolean),
      proof_verify_us: expect.any(Boolean),
    });
    expect(result).toMatchObject({
      customers: 5000,
      assets: 5,
      large_customers: 6000,
      results_checked: true,
    });
  });

  it('bench:resolution prints its figures as the last line, with its results checked', async () => {
    const result = await lastJsonLine('bench/resolution.ts', {}, [
      '--customers',
      '2000',
      '--recoveries',
      '20',
    ]);
    for (const field of ['resolution_ms', 'books_ms', 'resolve_ms', 'assemble_ms', 'pack_ms']) {
      expect(typeof result[field], field).toBe('number');
      expect(result[field] as number, field).toBeGreaterThan(0);
    }
    expect(typeof result.resolution_target_met).toBe('boolean');
    expect(result).toMatchObject({
      customers: 2000,
      assets: 5,
      customer_accounts: 10000,
      estates: 5,
      estates_short: 5,
      recoveries: 20,
      results_checked: true,
    });
  });

  it('bench:chain prints its figures as the last line', async () => {
    const result = await lastJsonLine('bench/chain.ts', { BENCH_TRANSACTIONS: '10', BENCH_WITHDRAWALS: '3' });
    expect(Object.keys(result).length).toBeGreaterThan(2);
  });
});
