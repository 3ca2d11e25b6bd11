// A vault is one on-chain address that holds coins for one pool: customers (omnibus or one customer), the
// house, or the insurance fund. A customer vault must carry its custodian's acknowledgment that it holds
// customer assets with no right of set-off; without it the vault cannot receive customer assets.

import { ACCOUNT_CLASS_PATTERN, ENTITY_ID_PATTERN } from '../ledger/patterns.ts';
import { ASSET_CODE_PATTERN } from '../money/asset.ts';
import { type Address, NATIVE_TOKEN_ADDRESS, parseAddress } from './address.ts';
import { type Rejected, rejected } from './rejection.ts';

/** What a vault holds coins for. */
export const VAULT_KINDS = ['customer_omnibus', 'customer_individual', 'house', 'insurance_fund'] as const;
export type VaultKind = (typeof VAULT_KINDS)[number];

/** The vault kinds that hold customer assets (and so need the acknowledgment and an account class). */
export const CUSTOMER_VAULT_KINDS: ReadonlySet<VaultKind> = new Set([
  'customer_omnibus',
  'customer_individual',
]);

/** Whether the vault's keys are online (hot) or offline (cold). */
export const VAULT_TEMPERATURES = ['hot', 'cold'] as const;
export type VaultTemperature = (typeof VAULT_TEMPERATURES)[number];

/** Assets one vault may hold. */
export const VAULT_ASSETS_MAX = 64;

/** Longest custodian name and acknowledgment document reference. */
export const VAULT_TEXT_LENGTH_MAX = 256;

/** One asset a vault holds: its ledger code and its token contract, or `native` for the chain's coin. */
export interface VaultAsset {
  readonly asset: string;
  readonly token: Address | 'native';
}

/** The custodian's written acknowledgment that the vault holds customer assets with no right of set-off. */
export interface CustodianAcknowledgment {
  readonly acknowledgedAtMs: number;
  /** Where the signed letter lives (document id, URL or hash). */
  readonly documentReference: string;
}

/** A registered vault, in normal form (addresses lower case). */
export interface Vault {
  readonly id: string;
  readonly chainId: number;
  readonly address: Address;
  readonly assets: readonly VaultAsset[];
  readonly kind: VaultKind;
  /** The one customer a `customer_individual` vault serves; null for every other kind. */
  readonly customerId: string | null;
  /** The customer account class (ledger) a customer vault serves; null for house and insurance vaults. */
  readonly accountClass: string | null;
  readonly temperature: VaultTemperature;
  readonly custodian: string;
  readonly acknowledgment: CustodianAcknowledgment | null;
}

/** A vault as submitted: addresses may be checksummed or lower case, kinds are unchecked strings. */
export interface VaultInput {
  readonly id: string;
  readonly chainId: number;
  readonly address: string;
  readonly assets: readonly { readonly asset: string; readonly token: string }[];
  readonly kind: string;
  readonly customerId: string | null;
  readonly accountClass: string | null;
  readonly temperature: string;
  readonly custodian: string;
  readonly acknowledgment: CustodianAcknowledgment | null;
}

/** The rejection codes of `validateVault`, in the order they are checked. */
export type VaultErrorCode =
  | 'vault_id_invalid'
  | 'vault_chain_id_invalid'
  | 'vault_address_invalid'
  | 'vault_assets_invalid'
  | 'vault_asset_code_invalid'
  | 'vault_asset_token_invalid'
  | 'vault_asset_duplicate'
  | 'vault_kind_unknown'
  | 'vault_temperature_unknown'
  | 'vault_custodian_invalid'
  | 'vault_customer_required'
  | 'vault_customer_not_applicable'
  | 'vault_account_class_required'
  | 'vault_account_class_not_applicable'
  | 'vault_acknowledgment_missing'
  | 'vault_acknowledgment_invalid';

export type ValidateVaultResult = { readonly ok: true; readonly vault: Vault } | Rejected<VaultErrorCode>;

/** Checks a submitted vault rule by rule (in the order of `VaultErrorCode`) and returns it in normal form. */
export function validateVault(input: VaultInput): ValidateVaultResult {
  if (!ENTITY_ID_PATTERN.test(input.id))
    return rejected('vault_id_invalid', `vault ids match ${ENTITY_ID_PATTERN}`);
  if (!Number.isSafeInteger(input.chainId) || input.chainId <= 0) {
    return rejected('vault_chain_id_invalid', 'the chain id is a positive integer', {
      chainId: input.chainId,
    });
  }
  const address = parseAddress(input.address);
  if (address === null || address === NATIVE_TOKEN_ADDRESS) {
    return rejected(
      'vault_address_invalid',
      'the vault address is 0x and 40 hex digits, lower case or with a valid EIP-55 checksum, and not zero',
      { address: input.address },
    );
  }
  const assets = validateAssets(input.assets);
  if (!Array.isArray(assets)) return assets;
  if (!(VAULT_KINDS as readonly string[]).includes(input.kind)) {
    return rejected('vault_kind_unknown', `vault kinds are ${VAULT_KINDS.join(', ')}`, { kind: input.kind });
  }
  const kind = input.kind as VaultKind;
  if (!(VAULT_TEMPERATURES as readonly string[]).includes(input.temperature)) {
    return rejected('vault_temperature_unknown', 'a vault is hot or cold', {
      temperature: input.temperature,
    });
  }
  if (input.custodian.trim().length === 0 || input.custodian.length > VAULT_TEXT_LENGTH_MAX) {
    return rejected(
      'vault_custodian_invalid',
      `the custodian is named in 1 to ${VAULT_TEXT_LENGTH_MAX} characters`,
    );
  }
  const roles = checkKindFields(input, kind);
  if (roles !== null) return roles;
  return {
    ok: true,
    vault: {
      id: input.id,
      chainId: input.chainId,
      address,
      assets,
      kind,
      customerId: input.customerId,
      accountClass: input.accountClass,
      temperature: input.temperature as VaultTemperature,
      custodian: input.custodian,
      acknowledgment: input.acknowledgment,
    },
  };
}

function validateAssets(input: VaultInput['assets']): VaultAsset[] | Rejected<VaultErrorCode> {
  if (input.length === 0 || input.length > VAULT_ASSETS_MAX) {
    return rejected('vault_assets_invalid', `a vault holds 1 to ${VAULT_ASSETS_MAX} assets`, {
      count: input.length,
    });
  }
  const assets: VaultAsset[] = [];
  const seenCodes = new Set<string>();
  const seenTokens = new Set<string>();
  for (const [index, entry] of input.entries()) {
    if (!ASSET_CODE_PATTERN.test(entry.asset)) {
      return rejected('vault_asset_code_invalid', `asset codes match ${ASSET_CODE_PATTERN}`, {
        index,
        asset: entry.asset,
      });
    }
    const token = entry.token === 'native' ? 'native' : parseAddress(entry.token);
    if (token === null || token === NATIVE_TOKEN_ADDRESS) {
      return rejected(
        'vault_asset_token_invalid',
        'an asset token is `native` or a non-zero token contract address',
        { index, token: entry.token },
      );
    }
    // One code per token and one token per code: a balance read on-chain must map to exactly one ledger asset.
    if (seenCodes.has(entry.asset) || seenTokens.has(token)) {
      return rejected('vault_asset_duplicate', 'each asset and each token appears once per vault', {
        index,
        asset: entry.asset,
        token,
      });
    }
    seenCodes.add(entry.asset);
    seenTokens.add(token);
    assets.push({ asset: entry.asset, token });
  }
  return assets;
}

function checkKindFields(input: VaultInput, kind: VaultKind): Rejected<VaultErrorCode> | null {
  const isCustomerKind = CUSTOMER_VAULT_KINDS.has(kind);
  if (kind === 'customer_individual') {
    if (input.customerId === null || !ENTITY_ID_PATTERN.test(input.customerId)) {
      return rejected('vault_customer_required', 'a customer_individual vault names its one customer');
    }
  } else if (input.customerId !== null) {
    return rejected('vault_customer_not_applicable', `a ${kind} vault serves no single customer`);
  }
  if (isCustomerKind) {
    if (input.accountClass === null || !ACCOUNT_CLASS_PATTERN.test(input.accountClass)) {
      return rejected(
        'vault_account_class_required',
        'a customer vault serves one customer account class (each class is segregated on its own)',
      );
    }
  } else if (input.accountClass !== null) {
    return rejected('vault_account_class_not_applicable', `a ${kind} vault serves no customer account class`);
  }
  const acknowledgment = input.acknowledgment;
  if (isCustomerKind && acknowledgment === null) {
    return rejected(
      'vault_acknowledgment_missing',
      "a customer vault needs the custodian's acknowledgment that it holds customer assets with no right of set-off",
    );
  }
  if (acknowledgment !== null) {
    const reference = acknowledgment.documentReference;
    if (
      !Number.isSafeInteger(acknowledgment.acknowledgedAtMs) ||
      acknowledgment.acknowledgedAtMs < 0 ||
      reference.trim().length === 0 ||
      reference.length > VAULT_TEXT_LENGTH_MAX
    ) {
      return rejected(
        'vault_acknowledgment_invalid',
        `an acknowledgment has a time (ms since epoch) and a document reference of 1 to ${VAULT_TEXT_LENGTH_MAX} characters`,
      );
    }
  }
  return null;
}

/** What is about to land in a vault, for `checkVaultReceivesCustomerAssets`. */
export interface CustomerAssetReceipt {
  readonly asset: string;
  readonly accountClass: string;
  /** The customer whose assets these are, when they belong to one customer (deposits, individual vaults). */
  readonly customerId: string | null;
}

/** The rejection codes of `checkVaultReceivesCustomerAssets`, in the order they are checked. */
export type VaultReceiveErrorCode =
  | 'vault_not_customer_kind'
  | 'vault_acknowledgment_missing'
  | 'vault_acknowledgment_not_effective'
  | 'vault_asset_not_supported'
  | 'vault_account_class_mismatch'
  | 'vault_customer_mismatch';

export type VaultReceiveResult = { readonly ok: true } | Rejected<VaultReceiveErrorCode>;

/** Decides whether a (validated) vault may receive customer assets of this asset, class and customer now. */
export function checkVaultReceivesCustomerAssets(
  vault: Vault,
  receipt: CustomerAssetReceipt,
  nowMs: number,
): VaultReceiveResult {
  const details = { vaultId: vault.id, asset: receipt.asset, accountClass: receipt.accountClass };
  if (!CUSTOMER_VAULT_KINDS.has(vault.kind)) {
    return rejected('vault_not_customer_kind', `a ${vault.kind} vault cannot hold customer assets`, details);
  }
  if (vault.acknowledgment === null) {
    return rejected(
      'vault_acknowledgment_missing',
      `vault ${vault.id} has no custodian acknowledgment of customer assets without set-off`,
      details,
    );
  }
  if (vault.acknowledgment.acknowledgedAtMs > nowMs) {
    return rejected(
      'vault_acknowledgment_not_effective',
      `vault ${vault.id}'s acknowledgment is dated in the future`,
      {
        ...details,
        acknowledgedAtMs: vault.acknowledgment.acknowledgedAtMs,
        nowMs,
      },
    );
  }
  if (!vault.assets.some((entry) => entry.asset === receipt.asset)) {
    return rejected('vault_asset_not_supported', `vault ${vault.id} does not hold ${receipt.asset}`, details);
  }
  if (vault.accountClass !== receipt.accountClass) {
    return rejected(
      'vault_account_class_mismatch',
      `vault ${vault.id} serves account class ${vault.accountClass}, not ${receipt.accountClass}`,
      details,
    );
  }
  if (vault.kind === 'customer_individual' && vault.customerId !== receipt.customerId) {
    return rejected(
      'vault_customer_mismatch',
      `vault ${vault.id} holds only customer ${vault.customerId}'s assets`,
      { ...details, customerId: receipt.customerId },
    );
  }
  return { ok: true };
}

/** The token address of an asset in a vault (the zero address for the native coin), or null if not held. */
export function tokenAddressOf(vault: Vault, asset: string): Address | null {
  const entry = vault.assets.find((candidate) => candidate.asset === asset);
  if (entry === undefined) return null;
  return entry.token === 'native' ? NATIVE_TOKEN_ADDRESS : entry.token;
}
