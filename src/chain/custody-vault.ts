// A customer custody vault on chain: a 2-of-3 Safe owned by the platform, the trustee and the custodian's
// recovery key, with a RingfenceGuard installed by a setGuard transaction that two owners signed.

import type { Address, LocalAccount } from 'viem';
import { assert } from '../core/assert.ts';
import { ChainTransactionError } from './errors.ts';
import { deployRingfenceGuard, encodeSetGuard } from './ringfence-guard.ts';
import { createSafe, readSafeGuard, type SafeInfrastructure, signAndExecuteSafeTransaction } from './safe.ts';
import type { ChainWriter } from './transactions.ts';

/** Signatures a vault transaction needs: any two of the three owners (the guard adds the trustee rules). */
export const CUSTODY_VAULT_THRESHOLD = 2;

/** The three owners of a custody vault. */
export interface CustodyVaultOwners {
  readonly platform: Address;
  readonly trustee: Address;
  readonly custodianRecovery: Address;
}

export interface CreateCustodyVaultInput {
  readonly infrastructure: SafeInfrastructure;
  readonly owners: CustodyVaultOwners;
  /** Destinations the guard allows from the start. */
  readonly allowlist: readonly Address[];
  /** Two owner keys that sign the setGuard transaction (in practice platform and trustee). */
  readonly guardInstallSigners: readonly [LocalAccount, LocalAccount];
  /** Distinguishes vaults with the same owners. */
  readonly saltNonce: bigint;
}

/** A deployed custody vault: the Safe and its installed guard. */
export interface CustodyVault {
  readonly safeAddress: Address;
  readonly guardAddress: Address;
  readonly owners: CustodyVaultOwners;
}

/** Creates the Safe, deploys its guard and installs it with a two-signature setGuard transaction. */
export async function createCustodyVault(
  writer: ChainWriter,
  input: CreateCustodyVaultInput,
): Promise<CustodyVault> {
  const { platform, trustee, custodianRecovery } = input.owners;
  assert(
    new Set([platform, trustee, custodianRecovery].map((a) => a.toLowerCase())).size === 3,
    'three owners',
  );
  const safeAddress = await createSafe(writer, {
    infrastructure: input.infrastructure,
    owners: [platform, trustee, custodianRecovery],
    threshold: CUSTODY_VAULT_THRESHOLD,
    saltNonce: input.saltNonce,
  });
  const guardAddress = await deployRingfenceGuard(writer, {
    safeAddress,
    trusteeAddress: trustee,
    allowlist: input.allowlist,
  });
  const installed = await signAndExecuteSafeTransaction(writer, {
    safeAddress,
    transaction: { to: safeAddress, data: encodeSetGuard(guardAddress) },
    signers: input.guardInstallSigners,
  });
  if (!installed.ok) {
    throw new ChainTransactionError(`installing the guard was rejected: ${installed.error.code}`, {
      details: installed.error.reason,
    });
  }
  const guard = await readSafeGuard(writer.publicClient, safeAddress);
  assert(guard === guardAddress, 'the Safe reports the guard just installed');
  return { safeAddress, guardAddress, owners: input.owners };
}
