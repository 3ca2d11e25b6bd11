// A throwaway EVM for tests, the demo and benchmarks: Hardhat 2's in-process network (EDR, no external process,
// no sockets) behind viem public, wallet and test clients over an EIP-1193 custom transport, with
// deterministic funded accounts, block mining, snapshots for reorg simulation and a switch that simulates an
// outage.

import { createHardhatNetworkProvider } from 'hardhat/internal/hardhat-network/provider/provider.js';
import {
  type Chain,
  createPublicClient,
  createTestClient,
  createWalletClient,
  custom,
  defineChain,
  type EIP1193RequestFn,
  type Hex,
  HttpRequestError,
  keccak256,
  type PrivateKeyAccount,
  type PublicClient,
  type TestClient,
  type Transport,
  toHex,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { assert } from '../core/assert.ts';

/** Chain id of the local chain (Hardhat's usual 31337). */
export const LOCAL_CHAIN_ID = 31337;
/** How many funded accounts a local chain has unless told otherwise. */
export const LOCAL_ACCOUNT_COUNT_DEFAULT = 10;
/** Native balance of every funded account: 10,000 ether in wei. */
export const LOCAL_ACCOUNT_BALANCE_WEI = 10_000n * 10n ** 18n;
/** Block gas limit of the local chain. */
const BLOCK_GAS_LIMIT = 30_000_000;
/** How often viem polls the local chain (receipts): the chain mines instantly, so poll almost at once. */
const POLLING_INTERVAL_MS = 5;
/** The URL viem errors report for the in-process node. */
const LOCAL_CHAIN_URL = 'hardhat://in-process';

/** viem chain definition of the local chain. */
export const localChainDefinition: Chain = defineChain({
  id: LOCAL_CHAIN_ID,
  name: 'Ringfence local chain',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [LOCAL_CHAIN_URL] } },
});

export interface StartLocalChainOptions {
  /** Number of deterministic funded accounts (default LOCAL_ACCOUNT_COUNT_DEFAULT). */
  readonly accountCount?: number;
}

/** A running in-process chain with its clients; `stop` makes every later request fail as unreachable. */
export interface LocalChain {
  readonly chain: Chain;
  /** Reads: balances, logs, blocks, contract calls. */
  readonly publicClient: PublicClient<Transport, Chain>;
  /** Hardhat test actions: mine, snapshot, revert, set balances. */
  readonly testClient: TestClient<'hardhat', Transport, Chain>;
  /** Funded accounts with known keys, the same on every start. */
  readonly accounts: readonly PrivateKeyAccount[];
  /** A wallet client that signs locally with `account` (cached per address). */
  walletClient(account: PrivateKeyAccount): WalletClient<Transport, Chain, PrivateKeyAccount>;
  /** Mines `blocks` empty blocks. */
  mine(blocks: number): Promise<void>;
  /** Takes a snapshot of the whole chain state; `revert` returns to it (a reorg, for the watcher). */
  snapshot(): Promise<Hex>;
  /** Reverts to a snapshot; blocks mined after it are gone and new ones get new hashes. */
  revert(snapshotId: Hex): Promise<void>;
  /** While offline, every request fails as an unreachable node would (viem HttpRequestError). */
  setOffline(offline: boolean): void;
  /** Stops the chain: every later request fails as unreachable. */
  stop(): Promise<void>;
}

/** Derives the private key of local account `index`: public test keys, never to hold real value. */
export function localAccountPrivateKey(index: number): Hex {
  return keccak256(toHex(`ringfence local chain account ${index}`));
}

/** Starts Hardhat's in-process network and returns clients over it. */
export async function startLocalChain(options: StartLocalChainOptions = {}): Promise<LocalChain> {
  const accountCount = options.accountCount ?? LOCAL_ACCOUNT_COUNT_DEFAULT;
  assert(Number.isInteger(accountCount) && accountCount > 0, 'accountCount is a positive integer');
  const privateKeys = Array.from({ length: accountCount }, (_, index) => localAccountPrivateKey(index));
  const provider = await createHardhatNetworkProvider(
    {
      hardfork: 'prague',
      chainId: LOCAL_CHAIN_ID,
      networkId: LOCAL_CHAIN_ID,
      blockGasLimit: BLOCK_GAS_LIMIT,
      minGasPrice: 0n,
      automine: true,
      intervalMining: 0,
      mempoolOrder: 'priority',
      chains: new Map(),
      genesisAccounts: privateKeys.map((privateKey) => ({ privateKey, balance: LOCAL_ACCOUNT_BALANCE_WEI })),
      allowUnlimitedContractSize: false,
      throwOnTransactionFailures: true,
      throwOnCallFailures: true,
      allowBlocksWithSameTimestamp: false,
      // Fixed genesis time: block hashes and timestamps are the same on every run.
      initialDate: new Date('2025-01-01T00:00:00Z'),
      enableTransientStorage: false,
      enableRip7212: false,
    },
    { enabled: false, printLineFn: () => {}, replaceLastLineFn: () => {} },
  );

  let offline = false;
  let stopped = false;
  const request = (async (args: { method: string; params?: unknown }) => {
    if (stopped || offline) {
      throw new HttpRequestError({
        url: LOCAL_CHAIN_URL,
        details: stopped ? 'local chain stopped' : 'local chain offline',
      });
    }
    try {
      return await provider.request(args.params === undefined ? { method: args.method } : (args as never));
    } catch (error) {
      throw asJsonRpcRevert(error);
    }
  }) as EIP1193RequestFn;
  // No transport retries: callers (the deposit watcher, the adapter) decide when to try again.
  const transport = custom({ request }, { retryCount: 0 });

  const chain = localChainDefinition;
  const publicClient = createPublicClient({ chain, transport, pollingInterval: POLLING_INTERVAL_MS });
  const testClient = createTestClient({
    chain,
    transport,
    mode: 'hardhat',
    pollingInterval: POLLING_INTERVAL_MS,
  });
  const accounts = privateKeys.map((privateKey) => privateKeyToAccount(privateKey));
  const walletClients = new Map<string, WalletClient<Transport, Chain, PrivateKeyAccount>>();

  return {
    chain,
    publicClient,
    testClient,
    accounts,
    walletClient(account) {
      let client = walletClients.get(account.address);
      if (client === undefined) {
        client = createWalletClient({ account, chain, transport, pollingInterval: POLLING_INTERVAL_MS });
        walletClients.set(account.address, client);
      }
      return client;
    },
    async mine(blocks) {
      assert(Number.isInteger(blocks) && blocks >= 0, 'blocks is a non-negative integer');
      if (blocks > 0) await testClient.mine({ blocks });
    },
    snapshot: () => testClient.snapshot(),
    async revert(snapshotId) {
      await testClient.revert({ id: snapshotId });
    },
    setOffline(value) {
      offline = value;
    },
    async stop() {
      stopped = true;
    },
  };
}

/**
 * Hardhat reports a revert with a Solidity stack trace and no JSON-RPC code; real nodes answer code 3
 * ("execution reverted") with the revert data, which is what viem decodes into a contract error.
 */
function asJsonRpcRevert(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { code, data } = error as { code?: unknown; data?: unknown };
  if (code !== undefined || typeof data !== 'string' || !data.startsWith('0x')) return error;
  return Object.assign(new Error(error.message, { cause: error }), { code: 3, data });
}
