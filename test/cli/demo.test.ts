// Proves `ringfence demo` as a user runs it: it starts the local chain, seeds a fresh book onto the Safe
// vaults it deployed, prints a customer withdrawal executed on chain (tx hash, balances before and after, the
// hold posted) and the platform-only attempt refused off chain and by the Safe, serves the API with keys that
// work, and stops cleanly on SIGINT. Every start reseeds (the chain lives in memory); `--off-chain` reuses the
// book. On PostgreSQL it needs an empty database.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyInclusionProof } from '../../src/core/reserves/verify-inclusion-proof.ts';
import { createTestLocation } from '../support/stores.ts';
import { runCli, startCli } from './cli-process.ts';
import { seedDatabase } from './seeded-database.ts';

const READY = /Press Ctrl\+C to stop\./;

/** The fields of `demo --json` the tests read. */
interface DemoJson {
  readonly url: string;
  readonly seeded: boolean;
  readonly refused: { readonly code: string } | null;
  readonly keys: { readonly auditor: string };
  readonly chain: {
    readonly executed: Record<string, unknown> & { readonly transactionHash: string };
    readonly refused: Record<string, unknown> & { readonly onChain: { readonly code: string } };
  } | null;
}

function printed(stdout: string, label: string): string {
  const value = new RegExp(`^ *${label}: +(\\S+)$`, 'm').exec(stdout)?.[1];
  expect(value, `demo prints ${label}`).toBeDefined();
  return value!;
}

describe('ringfence demo', () => {
  it('runs the on-chain withdrawal and the refused platform-only attempt, serves them, and stops on SIGINT', async () => {
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

      // (a) the customer's withdrawal, executed through the Safe with platform + trustee signatures.
      expect(stdout).toMatch(
        /^\(a\) cust-001 withdraws 250 USDC from vault:derivatives:cold to its wallet 0x[0-9a-f]{40}$/m,
      );
      expect(stdout).toMatch(/^ +policy: +allowed by rule 2 \(allowlisted: /m);
      expect(stdout).toMatch(
        /^ +approvals: +cust-001 approval key \(customer\) \+ trustee \(trustee\) -> quorum reached$/m,
      );
      expect(stdout).toMatch(
        /^ +SafeTx: +0x[0-9a-f]{64} signed by platform 0x[0-9a-f]{40} \+ trustee 0x[0-9a-f]{40}$/m,
      );
      expect(stdout).toMatch(/^ +executed: +tx 0x[0-9a-f]{64} \(block \d+\)$/m);
      expect(stdout).toMatch(/^ +wallet: +0 USDC -> 250 USDC \(on chain\)$/m);
      const vault = /^ +vault: +([\d.]+) USDC -> ([\d.]+) USDC \(on chain\)$/m.exec(stdout);
      const claim = /^ +claim: +([\d.]+) USDC -> ([\d.]+) USDC \(ledger\)$/m.exec(stdout);
      expect(Number(vault![1]) - Number(vault![2])).toBeCloseTo(250, 6);
      expect(Number(claim![1]) - Number(claim![2])).toBeCloseTo(250, 6);
      expect(stdout).toMatch(/^ +hold now: +posted$/m);

      // (b) the platform alone: refused by the custody core and by the Safe, and nothing moved.
      expect(stdout).toMatch(/^ +platform-only policy: +refused policy_platform_unilateral_quorum: /m);
      expect(stdout).toMatch(/^ +platform approval: +refused signature_wrong_signer: /m);
      expect(stdout).toMatch(/^ +execute: +refused quorum_not_reached: /m);
      expect(stdout).toMatch(
        /^ +on chain: +SafeTx 0x[0-9a-f]{64} signed by the platform alone -> reverted by the Safe: safe_signatures_insufficient \(GS020\)$/m,
      );
      expect(stdout).toMatch(
        /^ +nothing moved: +vault ([\d.]+) USDC -> \1 USDC, wallet 250 USDC -> 250 USDC, Safe nonce (\d+) -> \2$/m,
      );
      expect(stdout).toMatch(/^ +request: +0x[0-9a-f]{64} cancelled; hold voided$/m);
      expect(stdout).toContain(`${url}/v1/withdrawals`);

      // The API serves the custody routes: the executed request as printed, and the approved one executes.
      const auditorKey = printed(stdout, 'auditor');
      const executedId = /^ +request: +(0x[0-9a-f]{64}) \(vault nonce \d+\)$/m.exec(stdout)?.[1];
      const transactionHash = /^ +executed: +tx (0x[0-9a-f]{64})/m.exec(stdout)?.[1];
      const shown = await fetch(`${url}/v1/withdrawals/${executedId}`, {
        headers: { authorization: `Bearer ${auditorKey}` },
      });
      expect(shown.status).toBe(200);
      expect(await shown.json()).toMatchObject({
        state: 'executed',
        amount: '250',
        execution: { transactionHash },
      });
      const readyId = /\/v1\/withdrawals\/(0x[0-9a-f]{64})\/execute$/m.exec(stdout)?.[1];
      const execute = await fetch(`${url}/v1/withdrawals/${readyId}/execute`, {
        method: 'POST',
        headers: { authorization: `Bearer ${printed(stdout, 'operator')}` },
      });
      expect(execute.status).toBe(200);
      expect(await execute.json()).toMatchObject({ withdrawal: { state: 'executed' } });

      // Proof of reserves: the featured customer's saved proof verifies offline with the printed signer, and
      // its attestation is the one the server publishes.
      const proofPath = /^ +your proof: +(\S+) \(cust-001\)$/m.exec(stdout)?.[1];
      const signer = /proof verify \S+ --signer (0x[0-9a-f]{40})$/m.exec(stdout)?.[1];
      const proof = JSON.parse(readFileSync(resolve(import.meta.dirname, '../..', proofPath!), 'utf8'));
      const verified = verifyInclusionProof(proof, { expectedSigner: signer as `0x${string}` });
      expect(verified.ok && verified.verified.customerId).toBe('cust-001');
      const published = await fetch(`${url}/reserves/attestations/latest`);
      expect(await published.json()).toEqual(proof.attestation);
      expect(stdout).toMatch(/^ +vaults: +2 of 2 segregated Safes: control proven/m);

      // Resolution without a freeze: the house-loss contagion leaves segregated customers whole in every asset,
      // and a dry-run pack is written; the ledger keeps trading (the sweep below is refused by its own rule).
      expect(stdout).toContain("Insolvency resolution (a simulation: the demo's ledger is not frozen):");
      for (const asset of ['BTC', 'ETH', 'USDC', 'USDT']) {
        expect(stdout).toMatch(
          new RegExp(`^${asset} +[\\d.]+ +[\\d.]+ +100\\.00 +[\\d.]+ +\\d+\\.\\d\\d$`, 'm'),
        );
      }
      const packLine = /^ +pack: +(\S+) \(journal seq \d+, (\d+) customers, /m.exec(stdout);
      expect(Number(packLine?.[2])).toBeGreaterThan(0);
      const packDirectory = resolve(import.meta.dirname, '../..', packLine![1]!);
      const pack = JSON.parse(readFileSync(join(packDirectory, 'pack.json'), 'utf8'));
      expect(pack).toMatchObject({ simulated: true, freeze: null, journal: { verified: true } });
      expect(pack.summary.customers).toBe(Number(packLine![2]));
      expect(readFileSync(join(packDirectory, 'pack.csv'), 'utf8')).toMatch(/^claims,cust-001,/m);
      expect(readFileSync(join(packDirectory, 'report.html'), 'utf8')).toContain('SIMULATED');

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

      // Ctrl+C, as a person stops it.
      const exit = await demo.stop('SIGINT');
      stopped = true;
      expect(exit.code, `exit signal ${exit.signal}; stderr: ${exit.stderr.slice(-500)}`).toBe(0);
      expect(exit.stderr).toContain('stopped');
    } finally {
      if (!stopped) await demo.stop('SIGKILL');
    }

    // A second start reseeds: the chain lives in memory, so the book starts fresh with it.
    const again = await startCli(['demo', '--db', db, '--port', '0', '--json'], /\n/);
    try {
      const started = JSON.parse(again.stdout()) as DemoJson;
      expect(started.seeded).toBe(true);
      expect(started.chain?.executed).toMatchObject({
        amount: '250',
        matchedRule: 'allowlisted',
        destinationBalance: { before: '0', after: '250' },
        holdStatus: 'posted',
      });
      expect(started.chain?.executed.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(started.chain?.refused).toMatchObject({
        policyInstall: 'policy_platform_unilateral_quorum',
        platformApproval: 'signature_wrong_signer',
        execution: 'quorum_not_reached',
        onChain: { code: 'safe_signatures_insufficient', reason: 'GS020' },
        holdStatus: 'voided',
      });
    } finally {
      expect((await again.stop('SIGTERM')).code).toBe(0);
    }

    // --off-chain serves the book already there and still reports the refusal recorded when it was seeded.
    const offChain = await startCli(['demo', '--db', db, '--port', '0', '--off-chain', '--json'], /\n/);
    try {
      const started = JSON.parse(offChain.stdout()) as DemoJson;
      expect(started.seeded).toBe(false);
      expect(started.chain).toBeNull();
      expect(started.refused?.code).toBe('segregation_customer_to_house_forbidden');
      const pools = await runCli(['pools', '--url', started.url, '--key', started.keys.auditor, '--json']);
      expect(pools.code).toBe(0);
      expect((JSON.parse(pools.stdout) as { pools: unknown[] }).pools).toHaveLength(16);
    } finally {
      expect((await offChain.stop('SIGTERM')).code).toBe(0);
    }
  });

  it('runs on an empty PostgreSQL database and refuses one that already holds a book', async () => {
    const { location } = await createTestLocation('postgres');
    const demo = await startCli(['demo', '--db', location, '--port', '0', '--json'], /\n/);
    try {
      const started = JSON.parse(demo.stdout()) as DemoJson;
      expect(started.seeded).toBe(true);
      expect(started.chain?.refused.onChain.code).toBe('safe_signatures_insufficient');
      expect((await fetch(`${started.url}/healthz`)).status).toBe(200);
    } finally {
      expect((await demo.stop('SIGTERM')).code).toBe(0);
    }
    const seeded = await seedDatabase('postgres');
    const refused = await runCli(['demo', '--db', seeded.db, '--port', '0']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the on-chain demo seeds an empty database');
    expect(refused.stderr).toContain('--off-chain');
  });

  it('refuses --reset on a PostgreSQL URL', async () => {
    const run = await runCli(['demo', '--db', 'postgres://localhost/x', '--reset']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--reset deletes SQLite files only');
  });
});
