// Chain benchmark on the in-process local chain: start time, contract build (cold and warm), ms per plain
// ERC-20 transaction through viem, and a customer-vault withdrawal end to end (read nonce, hash the SafeTx,
// platform + trustee signatures, execTransaction through the guard, receipt). Last line: one JSON object.

import { performance } from 'node:perf_hooks';
import { compileContracts } from '../src/chain/compile.ts';
import { createCustodyVault } from '../src/chain/custody-vault.ts';
import { deployTestToken, encodeTokenTransfer, mintTestToken, transferToken } from '../src/chain/erc20.ts';
import { startLocalChain } from '../src/chain/local-chain.ts';
import { deploySafeInfrastructure, signAndExecuteSafeTransaction } from '../src/chain/safe.ts';
import { round } from './support.ts';

const TRANSACTIONS = Number(process.env.BENCH_TRANSACTIONS ?? 300);
const WITHDRAWALS = Number(process.env.BENCH_WITHDRAWALS ?? 100);

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const cold = compileContracts({ force: true });
  const warm = compileContracts();
  const startedMs = performance.now();
  const chain = await startLocalChain();
  const startMs = performance.now() - startedMs;
  const [deployer, platform, trustee, recovery, destination, customer] = chain.accounts;
  const writer = { publicClient: chain.publicClient, walletClient: chain.walletClient(deployer!) };
  const customerWriter = { publicClient: chain.publicClient, walletClient: chain.walletClient(customer!) };

  const deployStartedMs = performance.now();
  const infrastructure = await deploySafeInfrastructure(writer);
  const vault = await createCustodyVault(writer, {
    infrastructure,
    owners: { platform: platform!.address, trustee: trustee!.address, custodianRecovery: recovery!.address },
    allowlist: [destination!.address],
    guardInstallSigners: [platform!, trustee!],
    saltNonce: 1n,
  });
  const token = await deployTestToken(writer, { name: 'Test USD', symbol: 'TUSD', decimals: 6 });
  const vaultSetupMs = performance.now() - deployStartedMs;
  await mintTestToken(writer, { token, to: customer!.address, amountMinor: 10n ** 15n });
  await mintTestToken(writer, { token, to: vault.safeAddress, amountMinor: 10n ** 15n });

  const transactionMs: number[] = [];
  for (let index = 0; index < TRANSACTIONS; index++) {
    const began = performance.now();
    await transferToken(customerWriter, { token, to: vault.safeAddress, amountMinor: 1n });
    transactionMs.push(performance.now() - began);
  }

  const withdrawalMs: number[] = [];
  for (let index = 0; index < WITHDRAWALS; index++) {
    const began = performance.now();
    const result = await signAndExecuteSafeTransaction(writer, {
      safeAddress: vault.safeAddress,
      transaction: { to: token, data: encodeTokenTransfer(destination!.address, 1n) },
      signers: [platform!, trustee!],
    });
    withdrawalMs.push(performance.now() - began);
    if (!result.ok) throw new Error(`withdrawal rejected: ${result.error.code}`);
  }
  await chain.stop();

  console.log(
    JSON.stringify({
      compile_cold_ms: cold.durationMs,
      compile_warm_ms: warm.durationMs,
      chain_start_ms: round(startMs),
      vault_setup_ms: round(vaultSetupMs),
      transactions: TRANSACTIONS,
      transaction_ms_p50: round(percentile(transactionMs, 50)),
      transaction_ms_p99: round(percentile(transactionMs, 99)),
      withdrawals: WITHDRAWALS,
      withdrawal_ms_p50: round(percentile(withdrawalMs, 50)),
      withdrawal_ms_p99: round(percentile(withdrawalMs, 99)),
    }),
  );
}

await main();
