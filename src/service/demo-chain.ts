// The demo's chain: Hardhat's in-process EVM with the official Safe contracts, one guarded 2-of-3 Safe per
// customer account class, a house Safe and an insurance-fund Safe, ERC-20 test tokens for the demo's token
// assets, and the keys of the demo's parties. Once the book is seeded, `fundDemoVaults` puts into every vault
// exactly the custody the ledger records for it, so ledger and chain agree to the minor unit.

import {
  type ChainWriter,
  CUSTODY_VAULT_THRESHOLD,
  type CustodyVault,
  createChainAdapter,
  createCustodyVault,
  createSafe,
  deploySafeInfrastructure,
  deployTestToken,
  type LocalChain,
  localAccountPrivateKey,
  mintTestToken,
  readTokenDecimals,
  type SafeInfrastructure,
  startLocalChain,
  type VaultAsset,
} from '../chain/index.ts';
import { assert } from '../core/assert.ts';
import { type Address, parseAddress } from '../core/custody/address.ts';
import type { VaultInput } from '../core/custody/vault.ts';
import { CLASS_RULES } from '../core/ledger/classes.ts';
import { postedOf } from '../core/ledger/state.ts';
import {
  DEMO_ACCOUNT_CLASSES,
  DEMO_ASSETS,
  DEMO_FEATURED_CUSTOMER_ID,
  type DemoAssetCode,
  type DemoVaultPlacement,
  demoVaults,
} from './demo-book.ts';
import type { LedgerService } from './ledger-service.ts';

/** A funded account of the local chain with its (public, deterministic) key: never use it for real value. */
export type DemoAccount = LocalChain['accounts'][number];

/**
 * Which of the local chain's deterministic accounts plays which part. The relayer deploys everything and
 * submits `execTransaction` (it pays gas and holds no key of any vault); the others only sign.
 */
export const DEMO_ACCOUNT_INDEXES = {
  relayer: 0,
  platform: 1,
  trustee: 2,
  custodianRecovery: 3,
  customer: 4,
  customerWallet: 5,
} as const;

/** The ERC-20 test token standing in for each token asset; ETH is the chain's native coin. */
export const DEMO_TOKENS = {
  BTC: { name: 'Wrapped Bitcoin (Ringfence demo)', symbol: 'WBTC', decimals: 8 },
  USDC: { name: 'USD Coin (Ringfence demo)', symbol: 'USDC', decimals: 6 },
  USDT: { name: 'Tether USD (Ringfence demo)', symbol: 'USDT', decimals: 6 },
} as const satisfies Partial<Record<DemoAssetCode, { name: string; symbol: string; decimals: number }>>;

/** One party's signing key on the demo chain. */
export interface DemoParty {
  readonly account: DemoAccount;
  /** The key's address, lower case (the custody core's form). */
  readonly address: Address;
  /** The public deterministic test key (`localAccountPrivateKey`), for signing outside viem; never printed. */
  readonly privateKey: `0x${string}`;
}

/** The demo's parties: the platform, the independent trustee, the custodian's recovery key and one customer. */
export interface DemoParties {
  readonly platform: DemoParty;
  readonly trustee: DemoParty;
  readonly custodianRecovery: DemoParty;
  /** The featured customer's approval key. */
  readonly customer: DemoParty & { readonly customerId: string };
  /** The featured customer's own external wallet: the destination of its withdrawals. */
  readonly customerWallet: Address;
}

/** The deployed demo chain: contracts, vaults, tokens and keys. */
export interface DemoChain {
  readonly chain: LocalChain;
  /** Deploys and submits transactions from the relayer account. */
  readonly writer: ChainWriter;
  readonly chainId: number;
  readonly infrastructure: SafeInfrastructure;
  /** The token contract of each asset (lower case), `native` for ETH. */
  readonly tokens: Readonly<Record<DemoAssetCode, Address | 'native'>>;
  /** The guarded customer Safes, by account class. */
  readonly customerVaults: Readonly<Record<(typeof DEMO_ACCOUNT_CLASSES)[number], CustodyVault>>;
  /** The house Safe: 1-of-1, the platform's key (the house's own money). */
  readonly houseVault: Address;
  /** The insurance-fund Safe: 2-of-3, platform, trustee and custodian recovery, no guard. */
  readonly insuranceVault: Address;
  /** The vault registry for `seedDemoBook({ vaults })`: the demo's vault ids at these Safes and tokens. */
  readonly vaults: readonly VaultInput[];
  readonly parties: DemoParties;
  /** Stops the chain; it lives in memory, so everything on it is gone. */
  stop(): Promise<void>;
}

/**
 * Starts the local chain and deploys the demo's contracts: Safe singleton and factory, the test tokens, a
 * guarded 2-of-3 Safe (platform, trustee, custodian recovery) per customer account class whose guard allows
 * only the featured customer's wallet, the house Safe and the insurance Safe. Deterministic: the same
 * addresses on every start.
 */
export async function startDemoChain(): Promise<DemoChain> {
  const chain = await startLocalChain();
  try {
    const party = (index: number): DemoParty => {
      const account = chain.accounts[index];
      assert(account !== undefined, `the local chain has account ${index}`);
      return { account, address: lowerCase(account.address), privateKey: localAccountPrivateKey(index) };
    };
    const relayer = party(DEMO_ACCOUNT_INDEXES.relayer);
    const customerWallet = party(DEMO_ACCOUNT_INDEXES.customerWallet);
    const parties: DemoParties = {
      platform: party(DEMO_ACCOUNT_INDEXES.platform),
      trustee: party(DEMO_ACCOUNT_INDEXES.trustee),
      custodianRecovery: party(DEMO_ACCOUNT_INDEXES.custodianRecovery),
      customer: { ...party(DEMO_ACCOUNT_INDEXES.customer), customerId: DEMO_FEATURED_CUSTOMER_ID },
      customerWallet: customerWallet.address,
    };
    const writer: ChainWriter = {
      publicClient: chain.publicClient,
      walletClient: chain.walletClient(relayer.account),
    };
    const infrastructure = await deploySafeInfrastructure(writer);
    const tokens = await deployDemoTokens(writer);
    const owners = {
      platform: parties.platform.account.address,
      trustee: parties.trustee.account.address,
      custodianRecovery: parties.custodianRecovery.account.address,
    };
    const customerVaults = {} as Record<(typeof DEMO_ACCOUNT_CLASSES)[number], CustodyVault>;
    for (const [index, accountClass] of DEMO_ACCOUNT_CLASSES.entries()) {
      customerVaults[accountClass] = await createCustodyVault(writer, {
        infrastructure,
        owners,
        // The guard's allowlist starts with the featured customer's wallet; the policy allowlists it too.
        allowlist: [customerWallet.account.address],
        guardInstallSigners: [parties.platform.account, parties.trustee.account],
        saltNonce: BigInt(index + 1),
      });
    }
    // The house's own money: the platform alone may move it, which is the point of keeping it apart.
    const houseVault = await createSafe(writer, {
      infrastructure,
      owners: [owners.platform],
      threshold: 1,
      saltNonce: 101n,
    });
    const insuranceVault = await createSafe(writer, {
      infrastructure,
      owners: [owners.platform, owners.trustee, owners.custodianRecovery],
      threshold: CUSTODY_VAULT_THRESHOLD,
      saltNonce: 102n,
    });
    const placement: DemoVaultPlacement = {
      chainId: chain.chain.id,
      tokens,
      addresses: {
        customer: {
          derivatives: customerVaults.derivatives.safeAddress,
          spot: customerVaults.spot.safeAddress,
        },
        house: houseVault,
        insurance: insuranceVault,
      },
    };
    return {
      chain,
      writer,
      chainId: chain.chain.id,
      infrastructure,
      tokens,
      customerVaults,
      houseVault: lowerCase(houseVault),
      insuranceVault: lowerCase(insuranceVault),
      vaults: demoVaults(placement),
      parties,
      stop: () => chain.stop(),
    };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}

/** One vault's funding in one asset: what the ledger records and what the chain now holds. */
export interface DemoVaultFunding {
  readonly vaultId: string;
  readonly address: Address;
  readonly asset: string;
  /** The vault's posted custody in the ledger (pending holds still sit in the vault). */
  readonly ledgerMinor: bigint;
  /** The vault's balance read back from the chain after funding. */
  readonly chainMinor: bigint;
}

/**
 * Mints every vault's ledger custody onto the chain: ERC-20 tokens by `mint`, the native coin by setting the
 * balance. Then reads every balance back at one block and asserts that chain and ledger agree. Call it once,
 * right after seeding, on vaults that hold nothing yet.
 */
export async function fundDemoVaults(demo: DemoChain, ledger: LedgerService): Promise<DemoVaultFunding[]> {
  const custody = await ledger.read((engine) =>
    engine.listVaults().map((vault) => ({
      vault,
      byAsset: DEMO_ASSETS.map(({ code }) => {
        let amountMinor = 0n;
        for (const account of engine.listAccounts()) {
          if (account.vaultId !== vault.id || account.asset !== code) continue;
          const side = CLASS_RULES[account.segregationClass].side;
          amountMinor += postedOf(side, account.debitsPostedMinor, account.creditsPostedMinor);
        }
        return { asset: code, amountMinor };
      }),
    })),
  );
  const assets: VaultAsset[] = DEMO_ASSETS.map(({ code }) => {
    const token = demo.tokens[code];
    return token === 'native' ? { kind: 'native', assetId: code } : { kind: 'erc20', assetId: code, token };
  });
  const adapter = createChainAdapter(demo.writer.publicClient);
  const before = await adapter.readVaultBalances({
    vaults: custody.map(({ vault }) => vault.address),
    assets,
  });
  assert(
    before.balances.every((balance) => balance.balanceMinor === 0n),
    'the demo vaults are empty before funding',
  );
  for (const { vault, byAsset } of custody) {
    assert(vault.chainId === demo.chainId, `vault ${vault.id} is on the demo chain`);
    for (const { asset, amountMinor } of byAsset) {
      assert(amountMinor >= 0n, `vault ${vault.id} records no negative ${asset} custody`);
      if (amountMinor === 0n) continue;
      const token = demo.tokens[asset];
      if (token === 'native') {
        await demo.chain.testClient.setBalance({ address: vault.address, value: amountMinor });
      } else {
        await mintTestToken(demo.writer, { token, to: vault.address, amountMinor });
      }
    }
  }
  const after = await adapter.readVaultBalances({
    vaults: custody.map(({ vault }) => vault.address),
    assets,
  });
  const funding: DemoVaultFunding[] = [];
  for (const [vaultIndex, { vault, byAsset }] of custody.entries()) {
    for (const [assetIndex, { asset, amountMinor }] of byAsset.entries()) {
      const read = after.balances[vaultIndex * assets.length + assetIndex];
      assert(read !== undefined && read.assetId === asset, 'balances come back in vaults x assets order');
      assert(
        read.balanceMinor === amountMinor,
        `vault ${vault.id} holds ${read.balanceMinor} ${asset} on chain, the ledger records ${amountMinor}`,
      );
      funding.push({
        vaultId: vault.id,
        address: vault.address,
        asset,
        ledgerMinor: amountMinor,
        chainMinor: read.balanceMinor,
      });
    }
  }
  return funding;
}

async function deployDemoTokens(writer: ChainWriter): Promise<Record<DemoAssetCode, Address | 'native'>> {
  const tokens: Record<DemoAssetCode, Address | 'native'> = {
    BTC: 'native',
    ETH: 'native',
    USDC: 'native',
    USDT: 'native',
  };
  for (const { code, scale } of DEMO_ASSETS) {
    if (code === 'ETH') continue;
    const spec = DEMO_TOKENS[code];
    // The ledger's scale and the token's decimals must agree, or every amount would be off by a power of ten.
    assert(spec.decimals === scale, `${spec.symbol} has the ledger's scale for ${code}`);
    const address = await deployTestToken(writer, spec);
    assert(
      (await readTokenDecimals(writer.publicClient, address)) === scale,
      `${spec.symbol} reports ${scale} decimals`,
    );
    tokens[code] = lowerCase(address);
  }
  return tokens;
}

function lowerCase(address: string): Address {
  const parsed = parseAddress(address);
  assert(parsed !== null, `${address} is an EVM address`);
  return parsed;
}
