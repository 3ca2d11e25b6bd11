// The chain adapter that reconciliation uses: reads, at one pinned block, the balance of every vault in every
// asset (native coin or ERC-20) through viem, and reports an unreachable or misbehaving node as a typed error.

import { type Address, type Chain, erc20Abi, type Hex, type PublicClient, type Transport } from 'viem';
import { assert } from '../core/assert.ts';
import type { Vault } from '../core/custody/vault.ts';
import { safeAbi } from './contract-abis.ts';
import { toChainError } from './errors.ts';

/** An asset as held on chain: the native coin, or an ERC-20 token contract. `assetId` is the ledger's code. */
export type VaultAsset =
  | { readonly kind: 'native'; readonly assetId: string }
  | { readonly kind: 'erc20'; readonly assetId: string; readonly token: Address };

export interface ReadVaultBalancesInput {
  readonly vaults: readonly Address[];
  readonly assets: readonly VaultAsset[];
  /** Read at this block; the latest block when absent. */
  readonly blockNumber?: bigint;
}

/** One vault's balance in one asset, in the asset's minor units (wei, token base units). */
export interface VaultBalance {
  readonly vault: Address;
  readonly assetId: string;
  readonly balanceMinor: bigint;
}

/** Every vault x asset balance, all read at the same block so they form one consistent snapshot. */
export interface VaultBalances {
  readonly chainId: number;
  readonly blockNumber: bigint;
  readonly blockHash: Hex;
  readonly balances: readonly VaultBalance[];
}

/**
 * Who controls a vault at a block: a Safe's owners and threshold; a plain account (no code) is controlled by
 * its own key alone (threshold 1).
 */
export interface VaultControl {
  readonly kind: 'safe' | 'account';
  readonly owners: readonly Address[];
  readonly threshold: number;
}

/** The on-chain assets a set of registered vaults holds, each once (vaults on one chain name one token per asset). */
export function chainAssetsOf(vaults: readonly Pick<Vault, 'assets'>[]): VaultAsset[] {
  const assets = new Map<string, VaultAsset>();
  for (const vault of vaults) {
    for (const held of vault.assets) {
      assets.set(
        held.asset,
        held.token === 'native'
          ? { kind: 'native', assetId: held.asset }
          : { kind: 'erc20', assetId: held.asset, token: held.token },
      );
    }
  }
  return [...assets.values()];
}

/** Reads vault balances from one chain; every method throws ChainUnreachableError or ChainRequestError. */
export interface ChainAdapter {
  readonly chainId: number;
  /** Reads the latest block number. */
  readHeadBlockNumber(): Promise<bigint>;
  /** Reads every vault's balance in every asset at one block, in `vaults` x `assets` order. */
  readVaultBalances(input: ReadVaultBalancesInput): Promise<VaultBalances>;
  /** Reads who controls `vault` at `blockNumber` (see VaultControl). */
  readVaultControl(vault: Address, blockNumber: bigint): Promise<VaultControl>;
}

/** Creates a chain adapter over a viem public client. */
export function createChainAdapter(publicClient: PublicClient<Transport, Chain>): ChainAdapter {
  const chainId = publicClient.chain.id;

  async function readHeadBlockNumber(): Promise<bigint> {
    try {
      return await publicClient.getBlockNumber({ cacheTime: 0 });
    } catch (error) {
      throw toChainError(error, 'reading the head block failed');
    }
  }

  async function readVaultBalances(input: ReadVaultBalancesInput): Promise<VaultBalances> {
    assert(
      new Set(input.assets.map((asset) => asset.assetId)).size === input.assets.length,
      'asset ids are unique',
    );
    let block: { number: bigint | null; hash: Hex | null };
    try {
      block = await publicClient.getBlock(
        input.blockNumber === undefined ? { blockTag: 'latest' } : { blockNumber: input.blockNumber },
      );
    } catch (error) {
      throw toChainError(error, 'reading the block to pin balances failed');
    }
    assert(block.number !== null && block.hash !== null, 'a mined block has a number and a hash');
    const blockNumber = block.number;
    const reads = input.vaults.flatMap((vault) =>
      input.assets.map(async (asset): Promise<VaultBalance> => {
        try {
          const balanceMinor =
            asset.kind === 'native'
              ? await publicClient.getBalance({ address: vault, blockNumber })
              : await publicClient.readContract({
                  address: asset.token,
                  abi: erc20Abi,
                  functionName: 'balanceOf',
                  args: [vault],
                  blockNumber,
                });
          return { vault, assetId: asset.assetId, balanceMinor };
        } catch (error) {
          throw toChainError(
            error,
            'reading a vault balance failed',
            `${vault} ${asset.assetId} @${blockNumber}`,
          );
        }
      }),
    );
    return { chainId, blockNumber, blockHash: block.hash, balances: await Promise.all(reads) };
  }

  async function readVaultControl(vault: Address, blockNumber: bigint): Promise<VaultControl> {
    try {
      const code = await publicClient.getCode({ address: vault, blockNumber });
      if (code === undefined || code === '0x')
        return { kind: 'account', owners: [vault.toLowerCase() as Address], threshold: 1 };
      const [owners, threshold] = await Promise.all([
        publicClient.readContract({ address: vault, abi: safeAbi, functionName: 'getOwners', blockNumber }),
        publicClient.readContract({
          address: vault,
          abi: safeAbi,
          functionName: 'getThreshold',
          blockNumber,
        }),
      ]);
      return {
        kind: 'safe',
        owners: owners.map((owner) => owner.toLowerCase() as Address),
        threshold: Number(threshold),
      };
    } catch (error) {
      throw toChainError(error, 'reading who controls a vault failed', `${vault} @${blockNumber}`);
    }
  }

  return { chainId, readHeadBlockNumber, readVaultBalances, readVaultControl };
}
