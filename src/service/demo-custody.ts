// The demo's custody services on its chain: a WithdrawalService whose platform key and trustee co-signer are
// the demo parties', executing through the relayer, with the signer registry, one policy per customer vault
// (the customer and the trustee approve; never the platform alone) and the featured customer's wallet on
// every customer vault's allowlist.

import { assert } from '../core/assert.ts';
import type { Policy } from '../core/custody/policy.ts';
import type { Rejected } from '../core/custody/rejection.ts';
import { TrusteeCosigner } from './custody/trustee-cosigner.ts';
import { createChainWithdrawalExecutor, type SafeTxSigner } from './custody/withdrawal-executor.ts';
import { WithdrawalService } from './custody/withdrawal-service.ts';
import { DEMO_ACCOUNT_CLASSES, demoVaultIds } from './demo-book.ts';
import type { DemoChain, DemoParty } from './demo-chain.ts';
import type { LedgerService } from './ledger-service.ts';

/** The platform operator's party id in the demo's signer registry. */
export const DEMO_PLATFORM_PARTY_ID = 'ringfence-ops';

/** USDC and USDT withdrawals from this amount (minor units, 6 decimals) wait a day: 100 000 units. */
export const DEMO_TIMELOCK_FROM_MINOR = 100_000_000_000n;

/**
 * The withdrawal policy of every demo customer vault, first match wins: nothing leaves for an address that
 * is not allowlisted; large stablecoin withdrawals wait a day (cancellable meanwhile); everything else to an
 * allowlisted address needs the customer whose claim it is and the trustee. No rule lets the platform's keys
 * approve, so `validatePolicyForVault` accepts it for customer vaults.
 */
export function demoWithdrawalPolicy(): Policy {
  const approverGroups = [
    { id: 'customer', threshold: 1, role: 'customer' },
    { id: 'trustee', threshold: 1, role: 'trustee' },
  ] as const;
  return {
    id: 'demo-customer-withdrawals',
    rules: [
      {
        id: 'outside-allowlist',
        description: 'nothing leaves for an address that is not allowlisted',
        match: { destination: 'not_allowlisted' },
        action: { type: 'deny' },
      },
      {
        id: 'large-stablecoin-timelocked',
        description: '100 000 USDC or USDT and more waits a day, cancellable meanwhile',
        match: { assets: ['USDC', 'USDT'], amountMinMinor: DEMO_TIMELOCK_FROM_MINOR },
        action: { type: 'timelock', delaySeconds: 86_400, approverGroups },
      },
      {
        id: 'allowlisted',
        description: 'the customer and the trustee approve withdrawals to allowlisted addresses',
        match: { destination: 'allowlisted' },
        action: { type: 'allow', approverGroups },
      },
    ],
    // The demo's wallet is vetted before the demo starts; a venue sets a cooling-off (e.g. a day) here.
    allowlist: { required: false, cooldownMs: 0 },
    amountLimits: [],
    velocityLimits: [
      {
        id: 'usdc-daily',
        asset: 'USDC',
        vaultId: null,
        windowMs: 86_400_000,
        maxAmountMinor: 1_000_000_000_000n,
      },
    ],
  };
}

/** A policy the demo tries to install and must be refused: the platform's keys alone would approve. */
export function demoPlatformOnlyPolicy(): Policy {
  return {
    id: 'demo-platform-only',
    rules: [
      {
        id: 'ops-only',
        description: 'one platform key approves any withdrawal',
        match: {},
        action: { type: 'allow', approverGroups: [{ id: 'ops', threshold: 1, role: 'platform' }] },
      },
    ],
    allowlist: { required: false, cooldownMs: 0 },
    amountLimits: [],
    velocityLimits: [],
  };
}

/** The demo's custody services: what the API serves as `custody`, and the trustee's co-signer. */
export interface DemoCustody {
  readonly withdrawals: WithdrawalService;
  readonly trustee: TrusteeCosigner;
}

/** A SafeTx signer over a demo party's key. */
export function demoSafeTxSigner(party: DemoParty): SafeTxSigner {
  return { address: party.address, signHash: (hash) => party.account.sign({ hash }) };
}

/**
 * Opens the withdrawal service on a freshly seeded demo ledger and sets it up: registers the platform,
 * trustee, custodian-recovery and customer keys, installs `demoWithdrawalPolicy` on each customer vault and
 * allowlists the featured customer's wallet there. Every step must be accepted.
 */
export async function openDemoCustody(demo: DemoChain, ledger: LedgerService): Promise<DemoCustody> {
  const { parties } = demo;
  const trustee = new TrusteeCosigner({
    store: ledger.store,
    ledger,
    signer: demoSafeTxSigner(parties.trustee),
  });
  const withdrawals = await WithdrawalService.open({
    ledger,
    executor: createChainWithdrawalExecutor(demo.writer),
    platformSigner: demoSafeTxSigner(parties.platform),
    trustee,
  });
  acceptedOrThrow(
    'registering the demo signers',
    await withdrawals.registerSigners(
      [
        {
          address: parties.platform.address,
          role: 'platform',
          partyId: DEMO_PLATFORM_PARTY_ID,
          label: 'platform ops key',
        },
        { address: parties.trustee.address, role: 'trustee', partyId: 'demo-trustee', label: 'trustee' },
        {
          address: parties.custodianRecovery.address,
          role: 'custodian_recovery',
          partyId: 'demo-trust-co',
          label: 'custodian recovery key',
        },
        {
          address: parties.customer.address,
          role: 'customer',
          partyId: parties.customer.customerId,
          label: `${parties.customer.customerId} approval key`,
        },
      ],
      DEMO_PLATFORM_PARTY_ID,
    ),
  );
  for (const accountClass of DEMO_ACCOUNT_CLASSES) {
    const vaultId = demoVaultIds.customer(accountClass);
    acceptedOrThrow(
      `installing the policy of ${vaultId}`,
      await withdrawals.installPolicy(vaultId, demoWithdrawalPolicy()),
    );
    acceptedOrThrow(
      `allowlisting the demo wallet on ${vaultId}`,
      await withdrawals.addAllowlistEntry(vaultId, parties.customerWallet),
    );
  }
  return { withdrawals, trustee };
}

// The demo's setup is fixed, so a refusal here is a bug in the demo, not an expected rejection.
function acceptedOrThrow(step: string, result: { readonly ok: true } | Rejected): void {
  assert(
    result.ok,
    `${step} must be accepted: ${result.ok ? '' : `${result.error.code}: ${result.error.message}`}`,
  );
}
