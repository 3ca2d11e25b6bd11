// Detects ERC-20 deposits into registered vaults: Transfer events whose recipient is a vault, reported only
// once they have the required confirmations, each with a deterministic 128-bit transfer id derived from
// (chainId, transaction hash, log index). It persists nothing: the caller passes in the cursor (last fully
// processed block) and stores the one handed back with each batch, ideally in the same commit as the credits.
// Exactly-once crediting then follows from the ledger's transfer-id idempotency (see docs/onchain.md).

import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Address,
  type Chain,
  encodeAbiParameters,
  getAddress,
  type Hex,
  keccak256,
  type PublicClient,
  parseAbiItem,
  type Transport,
} from 'viem';
import { assert } from '../core/assert.ts';
import { ChainError, ChainReorgTooDeepError, toChainError } from './errors.ts';

/** Blocks per `eth_getLogs` request unless configured: small enough for public node limits. */
export const DEPOSIT_BATCH_BLOCKS_DEFAULT = 1_000n;
/** Domain tag of deposit transfer ids; a new version would mint new ids, so it never changes. */
const DEPOSIT_ID_DOMAIN = 'ringfence.deposit.v1';
const TRANSFER_EVENT = parseAbiItem(
  'event Transfer(address indexed from, address indexed to, uint256 value)',
);

export interface DepositWatcherConfig {
  readonly chainId: number;
  /** ERC-20 contracts whose Transfer events count as deposits. */
  readonly tokens: readonly Address[];
  /** Registered vault addresses; a Transfer to any other address is ignored. */
  readonly vaults: readonly Address[];
  /** A deposit in block b is reported once the head is at least b + confirmations - 1 (1 = included). */
  readonly confirmations: number;
  /** The first block to scan when there is no cursor yet (the block the vaults were created in). */
  readonly startBlock: bigint;
  /** Blocks per log request (default DEPOSIT_BATCH_BLOCKS_DEFAULT). */
  readonly batchBlocks?: bigint;
}

/** The last block whose deposits were all handed to the caller, with its hash to detect deep reorgs. */
export interface DepositCursor {
  readonly blockNumber: bigint;
  readonly blockHash: Hex;
}

/** One confirmed ERC-20 deposit into a vault. */
export interface Deposit {
  /** 32 lower-case hex digits, the same for the same log on every scan and every restart. */
  readonly transferId: string;
  readonly chainId: number;
  readonly token: Address;
  readonly vault: Address;
  readonly from: Address;
  readonly amountMinor: bigint;
  readonly blockNumber: bigint;
  readonly blockHash: Hex;
  readonly transactionHash: Hex;
  readonly logIndex: number;
}

/** Deposits of a block range in chain order, and the cursor that is safe to store once they are credited. */
export interface DepositBatch {
  readonly deposits: readonly Deposit[];
  readonly cursor: DepositCursor;
}

/** Credits a batch (and should store its cursor in the same commit); must be idempotent by transfer id. */
export type DepositBatchHandler = (batch: DepositBatch) => Promise<void>;

/** Where a scan ended: the new cursor (unchanged when nothing was confirmed) and what it saw. */
export interface ScanDepositsResult {
  readonly cursor: DepositCursor | null;
  readonly depositCount: number;
  readonly headBlockNumber: bigint;
}

export interface WatchDepositsInput {
  readonly publicClient: PublicClient<Transport, Chain>;
  readonly config: DepositWatcherConfig;
  readonly cursor: DepositCursor | null;
  readonly onBatch: DepositBatchHandler;
  /** Pause between scans, and before retrying after a chain failure. */
  readonly intervalMs: number;
  /** Stops the loop; the promise then resolves with the last cursor. */
  readonly signal: AbortSignal;
  /** Told about each chain failure (node down, reorg too deep) before the loop waits and retries. */
  readonly onChainError?: (error: ChainError) => void;
}

/** Derives a deposit's ledger transfer id: the first 128 bits of keccak256(domain, chainId, txHash, logIndex). */
export function depositTransferId(chainId: number, transactionHash: Hex, logIndex: number): string {
  assert(Number.isInteger(logIndex) && logIndex >= 0, 'a log index is a non-negative integer');
  const digest = keccak256(
    encodeAbiParameters(
      [{ type: 'string' }, { type: 'uint256' }, { type: 'bytes32' }, { type: 'uint256' }],
      [DEPOSIT_ID_DOMAIN, BigInt(chainId), transactionHash, BigInt(logIndex)],
    ),
  );
  const id = digest.slice(2, 34);
  // The ledger refuses the all-zero id; a keccak prefix of zeros would be a 2^-128 event.
  assert(/^[0-9a-f]{32}$/.test(id) && !/^0+$/.test(id), 'a deposit id is 32 lower-case hex digits, not zero');
  return id;
}

/**
 * Scans from the cursor up to the newest block with enough confirmations, handing deposits to `onBatch` one
 * block range at a time. Throws ChainUnreachableError or ChainRequestError when the node fails (the batches
 * already handed over stay done; retry from the last stored cursor) and ChainReorgTooDeepError when the
 * cursor's block was replaced (a reorg deeper than the confirmations: stop and investigate).
 */
export async function scanDeposits(
  publicClient: PublicClient<Transport, Chain>,
  config: DepositWatcherConfig,
  cursor: DepositCursor | null,
  onBatch: DepositBatchHandler,
): Promise<ScanDepositsResult> {
  assert(Number.isInteger(config.confirmations) && config.confirmations >= 1, 'confirmations is at least 1');
  assert(config.vaults.length > 0 && config.tokens.length > 0, 'at least one vault and one token');
  assert(publicClient.chain.id === config.chainId, 'the client is on the configured chain');
  const batchBlocks = config.batchBlocks ?? DEPOSIT_BATCH_BLOCKS_DEFAULT;
  assert(batchBlocks >= 1n, 'batchBlocks is at least 1');

  const headBlockNumber = await request('reading the head block failed', () =>
    publicClient.getBlockNumber({ cacheTime: 0 }),
  );
  if (cursor !== null) {
    const block = await readBlockHash(publicClient, cursor.blockNumber);
    if (block !== cursor.blockHash) {
      throw new ChainReorgTooDeepError('a block the deposit watcher treated as final was replaced', {
        details: `block ${cursor.blockNumber}: ${cursor.blockHash} is now ${block ?? 'missing'}`,
      });
    }
  }

  const confirmedBlockNumber = headBlockNumber - BigInt(config.confirmations - 1);
  let fromBlock = cursor === null ? config.startBlock : cursor.blockNumber + 1n;
  let current = cursor;
  let depositCount = 0;
  while (fromBlock <= confirmedBlockNumber) {
    const toBlock = min(fromBlock + batchBlocks - 1n, confirmedBlockNumber);
    const batch = await readBatch(publicClient, config, fromBlock, toBlock);
    await onBatch(batch);
    depositCount += batch.deposits.length;
    current = batch.cursor;
    fromBlock = toBlock + 1n;
  }
  return { cursor: current, depositCount, headBlockNumber };
}

/**
 * Scans again and again until `signal` aborts, keeping the cursor in memory; a chain failure is reported to
 * `onChainError` and retried after `intervalMs`. A failing `onBatch` stops the loop and rejects.
 */
export async function watchDeposits(input: WatchDepositsInput): Promise<DepositCursor | null> {
  let cursor = input.cursor;
  while (!input.signal.aborted) {
    try {
      cursor = (await scanDeposits(input.publicClient, input.config, cursor, input.onBatch)).cursor;
    } catch (error) {
      if (!(error instanceof ChainError)) throw error;
      input.onChainError?.(error);
    }
    try {
      await sleep(input.intervalMs, undefined, { signal: input.signal });
    } catch {
      // Aborted while waiting: the loop condition ends it.
    }
  }
  return cursor;
}

async function readBatch(
  publicClient: PublicClient<Transport, Chain>,
  config: DepositWatcherConfig,
  fromBlock: bigint,
  toBlock: bigint,
): Promise<DepositBatch> {
  const logs = await request('reading Transfer logs failed', () =>
    publicClient.getLogs({
      address: [...config.tokens],
      event: TRANSFER_EVENT,
      args: { to: [...config.vaults] },
      fromBlock,
      toBlock,
      strict: true,
    }),
  );
  const toBlockHash = await readBlockHash(publicClient, toBlock);
  assert(toBlockHash !== null, 'a confirmed block exists');
  const vaults = new Set(config.vaults.map((vault) => vault.toLowerCase()));
  const deposits = logs
    .map((log): Deposit => {
      assert(!log.removed, 'logs of confirmed blocks are not removed');
      assert(log.transactionHash !== null && log.logIndex !== null && log.blockHash !== null, 'mined log');
      assert(
        log.blockNumber !== null && log.blockNumber >= fromBlock && log.blockNumber <= toBlock,
        'log in range',
      );
      assert(vaults.has(log.args.to.toLowerCase()), 'the node filtered by recipient');
      // A log of the last block must come from the block whose hash becomes the cursor.
      assert(
        log.blockNumber !== toBlock || log.blockHash === toBlockHash,
        'the range did not change under us',
      );
      return {
        transferId: depositTransferId(config.chainId, log.transactionHash, log.logIndex),
        chainId: config.chainId,
        token: getAddress(log.address),
        vault: getAddress(log.args.to),
        from: getAddress(log.args.from),
        amountMinor: log.args.value,
        blockNumber: log.blockNumber,
        blockHash: log.blockHash,
        transactionHash: log.transactionHash,
        logIndex: log.logIndex,
      };
    })
    .sort((a, b) =>
      a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
    );
  return { deposits, cursor: { blockNumber: toBlock, blockHash: toBlockHash } };
}

async function readBlockHash(
  publicClient: PublicClient<Transport, Chain>,
  blockNumber: bigint,
): Promise<Hex | null> {
  try {
    return (await publicClient.getBlock({ blockNumber })).hash;
  } catch (error) {
    // A block that no longer exists (the chain is now shorter) reads as missing, not as an outage.
    if (error instanceof Error && error.name === 'BlockNotFoundError') return null;
    throw toChainError(error, 'reading a block failed', `block ${blockNumber}`);
  }
}

async function request<T>(message: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toChainError(error, message);
  }
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
