// Custody benchmark. (1) Approval signature verifications per second: the custody core's `verifyApprovals`
// over RingfenceWithdrawal digests (platform + trustee signatures per request), on one thread and on every
// core in worker threads. (2) An end-to-end customer withdrawal on the local chain through the withdrawal
// service when it runs (request -> hold -> policy -> customer + trustee approvals -> platform SafeTx signature
// + trustee co-signature -> execTransaction through the guard -> receipt -> hold posted), and the bare chain
// path (read nonce, build and hash the SafeTx, two signatures, execTransaction, receipt) either way.
// (3) Deposit crediting: confirmed receipt -> credit durable, and the cost of a restart's full rescan.
// Progress goes to earlier lines; the last line is one JSON object.

import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Address, PrivateKeyAccount } from 'viem';
import { privateKeyToAccount, sign } from 'viem/accounts';
import {
  buildSafeTransaction,
  type ChainWriter,
  createCustodyVault,
  deploySafeInfrastructure,
  deployTestToken,
  encodeSafeSignatures,
  encodeTokenTransfer,
  executeSafeTransaction,
  hashSafeTransaction,
  type LocalChain,
  mintTestToken,
  readSafeNonce,
  signSafeTransactionHash,
  startLocalChain,
  transferToken,
} from '../src/chain/index.ts';
import type { ApproverGroup } from '../src/core/custody/approver-groups.ts';
import { verifyApprovals } from '../src/core/custody/signatures.ts';
import { withdrawalDigestHex } from '../src/core/custody/withdrawal-digest.ts';
import type { WithdrawalRequest } from '../src/core/custody/withdrawal-request.ts';
import { DepositAttribution } from '../src/service/custody/deposit-attribution.ts';
import { type DepositCrediting, openDepositCrediting } from '../src/service/custody/deposit-crediting.ts';
import { TrusteeCosigner } from '../src/service/custody/trustee-cosigner.ts';
import { createChainWithdrawalExecutor } from '../src/service/custody/withdrawal-executor.ts';
import { WithdrawalService } from '../src/service/custody/withdrawal-service.ts';
import { LedgerService } from '../src/service/ledger-service.ts';
import { openStore } from '../src/store/open-store.ts';
import {
  PLATFORM_PARTY_ID,
  parties,
  testRegistry,
  testRequest,
  testVault,
} from '../test/support/custody-core.ts';
import { DEPOSIT_ASSET, depositBookCommands } from '../test/support/deposit-book.ts';
import { keySigner, standardPolicy } from '../test/support/withdrawals.ts';
import { round } from './support.ts';

const SIGNATURE_REQUESTS = Number(process.env.BENCH_SIGNATURE_REQUESTS ?? 2_000);
const WITHDRAWALS = Number(process.env.BENCH_WITHDRAWALS ?? 100);
const DEPOSITS = Number(process.env.BENCH_DEPOSITS ?? 200);
/** Empty blocks mined before the rescan is timed: a restart rescans them too (one log request per 1,000). */
const RESCAN_EMPTY_BLOCKS = Number(process.env.BENCH_RESCAN_EMPTY_BLOCKS ?? 100_000);
const VAULT_ID = 'vault:spot:safe';
const TOKEN_UNIT_MINOR = 1_000_000n;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

// ---- (1) signature verification ----------------------------------------------------------------------

const APPROVER_GROUPS: readonly ApproverGroup[] = [
  { id: 'ops', threshold: 1, role: 'platform' },
  { id: 'trustee', threshold: 1, role: 'trustee' },
];

interface SignedRequest {
  readonly request: WithdrawalRequest;
  readonly signatures: readonly string[];
}

/** Distinct requests (request id and amount vary), each signed by a platform key and the trustee. */
async function signedRequests(count: number, seed: number): Promise<SignedRequest[]> {
  const vault = testVault();
  const out: SignedRequest[] = [];
  for (let index = 0; index < count; index++) {
    const request = testRequest(vault, {
      requestId: `0x${(seed * 1_000_000 + index + 1).toString(16).padStart(64, '0')}`,
      amountMinor: BigInt(index + 1),
    });
    const hash = withdrawalDigestHex(request);
    out.push({
      request,
      signatures: [
        await sign({ hash, privateKey: parties.platform1.key, to: 'hex' }),
        await sign({ hash, privateKey: parties.trustee.key, to: 'hex' }),
      ],
    });
  }
  return out;
}

/** Verifies every request's two approvals with the core's `verifyApprovals`; returns verifications per second. */
function verifyAll(requests: readonly SignedRequest[]): number {
  const registry = testRegistry();
  const countedApprovals = new Map();
  const startedMs = performance.now();
  for (const { request, signatures } of requests) {
    const result = verifyApprovals(
      {
        request,
        expectedNonce: request.nonce,
        registry,
        approverGroups: APPROVER_GROUPS,
        countedApprovals,
        nowMs: 0,
      },
      signatures,
    );
    if (!result.ok || result.approvals.length !== 2) throw new Error('a valid approval did not verify');
  }
  return (requests.length * 2) / ((performance.now() - startedMs) / 1000);
}

async function verificationWorker(): Promise<void> {
  const { count, seed } = workerData as { count: number; seed: number };
  const requests = await signedRequests(count, seed);
  parentPort!.postMessage('ready');
  parentPort!.once('message', () => {
    const startedMs = performance.now();
    verifyAll(requests);
    parentPort!.postMessage({ verifications: count * 2, ms: performance.now() - startedMs });
  });
}

/** Runs `threads` workers that start verifying together; aggregate verifications per second. */
async function verifyInWorkers(threads: number, countPerThread: number): Promise<number> {
  const workers = Array.from(
    { length: threads },
    (_, index) =>
      new Worker(
        // Workers do not inherit tsx's loader: register it, then load this TypeScript file.
        `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); });`,
        { eval: true, workerData: { count: countPerThread, seed: index + 1 } },
      ),
  );
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('message', resolve))));
  const startedMs = performance.now();
  const done = workers.map(
    (worker) => new Promise<{ verifications: number }>((resolve) => worker.once('message', resolve)),
  );
  for (const worker of workers) worker.postMessage('go');
  const results = await Promise.all(done);
  const elapsedMs = performance.now() - startedMs;
  await Promise.all(workers.map((worker) => worker.terminate()));
  return results.reduce((sum, result) => sum + result.verifications, 0) / (elapsedMs / 1000);
}

// ---- (2) withdrawals and (3) deposits on the local chain ---------------------------------------------

interface ChainSetup {
  readonly chain: LocalChain;
  readonly writer: ChainWriter;
  readonly safeAddress: Address;
  readonly token: Address;
  readonly destination: Address;
  readonly alice: PrivateKeyAccount;
  readonly startBlock: bigint;
}

async function setUpChain(): Promise<ChainSetup> {
  const chain = await startLocalChain();
  const [deployer, , , , destination, alice] = chain.accounts;
  const writer = { publicClient: chain.publicClient, walletClient: chain.walletClient(deployer!) };
  const startBlock = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
  const infrastructure = await deploySafeInfrastructure(writer);
  // The Safe's owners are the custody fixtures' platform, trustee and recovery keys, so the withdrawal
  // service's signer registry and the Safe agree on who is who.
  const vault = await createCustodyVault(writer, {
    infrastructure,
    owners: {
      platform: parties.platform1.address,
      trustee: parties.trustee.address,
      custodianRecovery: parties.recovery.address,
    },
    allowlist: [destination!.address],
    guardInstallSigners: [
      privateKeyToAccount(parties.platform1.key),
      privateKeyToAccount(parties.trustee.key),
    ],
    saltNonce: 1n,
  });
  const token = await deployTestToken(writer, { name: 'Test USD', symbol: 'TUSD', decimals: 6 });
  await mintTestToken(writer, { token, to: alice!.address, amountMinor: 10n ** 15n });
  return {
    chain,
    writer,
    safeAddress: vault.safeAddress,
    token,
    destination: destination!.address,
    alice: alice!,
    startBlock,
  };
}

async function openCrediting(ledger: LedgerService, setup: ChainSetup): Promise<DepositCrediting> {
  const built = DepositAttribution.build([
    { vault: setup.safeAddress, sender: setup.alice.address, customerId: 'alice' },
  ]);
  if (!built.ok) throw new Error(built.error.message);
  const opened = await openDepositCrediting({
    ledger,
    publicClient: setup.chain.publicClient,
    attribution: built.attribution,
    config: {
      chainId: setup.chain.chain.id,
      vaultIds: [VAULT_ID],
      confirmations: 1,
      startBlock: setup.startBlock,
    },
  });
  if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message}`);
  return opened.crediting;
}

/** Each deposit: a confirmed token transfer into the Safe, then one poll until its credit is durable. */
async function measureDeposits(
  ledger: LedgerService,
  setup: ChainSetup,
): Promise<{ creditMs: number[]; rescanMs: number; rescanBlocks: bigint; rescanDeposits: number }> {
  const aliceWriter = {
    publicClient: setup.chain.publicClient,
    walletClient: setup.chain.walletClient(setup.alice),
  };
  const crediting = await openCrediting(ledger, setup);
  await crediting.poll();
  const creditMs: number[] = [];
  for (let index = 0; index < DEPOSITS; index++) {
    await transferToken(aliceWriter, {
      token: setup.token,
      to: setup.safeAddress,
      amountMinor: 1_000n * TOKEN_UNIT_MINOR,
    });
    const startedMs = performance.now();
    const report = await crediting.poll();
    creditMs.push(performance.now() - startedMs);
    if (report.credited.length !== 1)
      throw new Error('a confirmed deposit was not credited by the next poll');
  }
  await setup.chain.mine(RESCAN_EMPTY_BLOCKS);
  // A restart: a fresh process rescans from the start block; every deposit is already in the ledger.
  const fresh = await openCrediting(ledger, setup);
  const startedMs = performance.now();
  const rescan = await fresh.poll();
  const rescanMs = performance.now() - startedMs;
  if (rescan.credited.length !== 0) throw new Error('a rescan credited a deposit twice');
  return {
    creditMs,
    rescanMs,
    rescanBlocks: rescan.headBlockNumber - setup.startBlock + 1n,
    rescanDeposits: rescan.alreadyCredited,
  };
}

/** The bare chain path: nonce, SafeTx, platform + trustee signatures, execTransaction through the guard, receipt. */
async function measureChainWithdrawals(setup: ChainSetup): Promise<number[]> {
  const platform = privateKeyToAccount(parties.platform1.key);
  const trustee = privateKeyToAccount(parties.trustee.key);
  const domain = { chainId: setup.chain.chain.id, safeAddress: setup.safeAddress };
  const out: number[] = [];
  for (let index = 0; index < WITHDRAWALS; index++) {
    const startedMs = performance.now();
    const nonce = await readSafeNonce(setup.chain.publicClient, setup.safeAddress);
    const transaction = buildSafeTransaction({
      to: setup.token,
      data: encodeTokenTransfer(setup.destination, 1n),
      nonce,
    });
    const safeTxHash = hashSafeTransaction(transaction, domain);
    const signatures = await Promise.all([
      signSafeTransactionHash(platform, safeTxHash),
      signSafeTransactionHash(trustee, safeTxHash),
    ]);
    const result = await executeSafeTransaction(setup.writer, {
      safeAddress: setup.safeAddress,
      transaction,
      signatures: encodeSafeSignatures(signatures),
    });
    out.push(performance.now() - startedMs);
    if (!result.ok) throw new Error(`withdrawal rejected: ${result.error.code}`);
  }
  return out;
}

/** Through the withdrawal service: request, customer + trustee approvals, execution (co-signed), hold posted. */
async function measureServiceWithdrawals(ledger: LedgerService, setup: ChainSetup): Promise<number[]> {
  const trustee = new TrusteeCosigner({
    store: ledger.store,
    ledger,
    signer: keySigner(parties.trustee.key),
  });
  const service = await WithdrawalService.open({
    ledger,
    executor: createChainWithdrawalExecutor(setup.writer),
    platformSigner: keySigner(parties.platform1.key),
    trustee,
  });
  const registered = await service.registerSigners(
    Object.values(parties).map((party) => party.input),
    PLATFORM_PARTY_ID,
  );
  if (!registered.ok) throw new Error(registered.error.code);
  const installed = await service.installPolicy(VAULT_ID, standardPolicy());
  if (!installed.ok) throw new Error(installed.error.code);
  const allowlisted = await service.addAllowlistEntry(VAULT_ID, setup.destination);
  if (!allowlisted.ok) throw new Error(allowlisted.error.code);
  const out: number[] = [];
  for (let index = 0; index < WITHDRAWALS; index++) {
    const startedMs = performance.now();
    const requested = await service.requestWithdrawal({
      requestId: `0x${(index + 1).toString(16).padStart(64, 'b')}`,
      customerId: 'alice',
      vaultId: VAULT_ID,
      asset: DEPOSIT_ASSET,
      amountMinor: TOKEN_UNIT_MINOR,
      destination: setup.destination,
      expiresAtSeconds: BigInt(Math.floor(Date.now() / 1000) + 7_200),
      nonce: null,
    });
    if (!requested.ok) throw new Error(`request refused: ${requested.error.code}`);
    const digest = requested.withdrawal.digest;
    const approved = await service.submitApprovals(requested.withdrawal.requestId, [
      await sign({ hash: digest, privateKey: parties.alice.key, to: 'hex' }),
      await sign({ hash: digest, privateKey: parties.trustee.key, to: 'hex' }),
    ]);
    if (!approved.ok) throw new Error(`approvals refused: ${approved.error.code}`);
    const executed = await service.executeWithdrawal(requested.withdrawal.requestId);
    out.push(performance.now() - startedMs);
    if (!executed.ok || executed.withdrawal.state !== 'executed') {
      throw new Error(`execution failed: ${executed.ok ? executed.withdrawal.state : executed.error.code}`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const threads = availableParallelism();
  console.log(`signing ${SIGNATURE_REQUESTS} requests (2 approvals each)...`);
  const requests = await signedRequests(SIGNATURE_REQUESTS, 0);
  verifyAll(requests.slice(0, 100));
  const singleThread = Math.max(verifyAll(requests), verifyAll(requests));
  console.log(`verifyApprovals, 1 thread: ${Math.round(singleThread)} verifications/s`);
  const allThreads = await verifyInWorkers(threads, SIGNATURE_REQUESTS);
  console.log(`verifyApprovals, ${threads} worker threads: ${Math.round(allThreads)} verifications/s`);

  const directory = mkdtempSync(join(tmpdir(), 'ringfence-bench-custody-'));
  const setup = await setUpChain();
  const ledger = await LedgerService.open(await openStore(join(directory, 'ledger.sqlite')));
  try {
    const book = await ledger.submit(
      depositBookCommands({
        chainId: setup.chain.chain.id,
        vaultId: VAULT_ID,
        vaultAddress: setup.safeAddress,
        token: setup.token,
        customers: ['alice', 'bob'],
      }),
    );
    if (!book.every((result) => result.ok)) throw new Error('book setup refused');
    console.log(`crediting ${DEPOSITS} deposits...`);
    const deposits = await measureDeposits(ledger, setup);

    let measuredThrough = 'withdrawal-service';
    let serviceMs: number[] | null = null;
    try {
      console.log(`${WITHDRAWALS} withdrawals through the withdrawal service...`);
      serviceMs = await measureServiceWithdrawals(ledger, setup);
    } catch (error) {
      measuredThrough = 'src/chain';
      console.log(`the withdrawal service path failed, measuring src/chain only: ${String(error)}`);
    }
    console.log(`${WITHDRAWALS} withdrawals on the bare chain path...`);
    const chainMs = await measureChainWithdrawals(setup);
    const withdrawalMs = serviceMs ?? chainMs;

    console.log(
      JSON.stringify({
        signature_verifications_per_s: Math.round(allThreads),
        signature_verifications_per_s_single_thread: Math.round(singleThread),
        signature_verification_threads: threads,
        withdrawal_ms_p50: round(percentile(withdrawalMs, 50)),
        withdrawal_ms_p99: round(percentile(withdrawalMs, 99)),
        withdrawal_measured_through: measuredThrough,
        withdrawals: withdrawalMs.length,
        withdrawal_chain_ms_p50: round(percentile(chainMs, 50)),
        withdrawal_chain_ms_p99: round(percentile(chainMs, 99)),
        deposit_credit_ms_p50: round(percentile(deposits.creditMs, 50)),
        deposit_credit_ms_p99: round(percentile(deposits.creditMs, 99)),
        deposits: deposits.creditMs.length,
        deposit_rescan_ms: round(deposits.rescanMs),
        deposit_rescan_blocks: Number(deposits.rescanBlocks),
        deposit_rescan_deposits: deposits.rescanDeposits,
        store: 'sqlite',
        machine: `${cpus()[0]?.model.trim() ?? 'unknown cpu'}, ${threads} threads, Node ${process.version}`,
      }),
    );
  } finally {
    await ledger.close();
    await setup.chain.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

if (isMainThread) await main();
else await verificationWorker();
