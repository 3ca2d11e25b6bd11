// The demo's proof of reserves: after the segregation day, the platform publishes an audit of the book (every
// customer balance in the liability tree; the two customer Safes' balances and owners read on the local
// chain; the platform's and the trustee's signatures proving control of each; the attestation signed by the
// platform key), and the featured customer's proof is saved for the CLI and the offline page to verify.

import type { ChainAdapter } from '../chain/chain-adapter.ts';
import { assert } from '../core/assert.ts';
import type { InclusionProofJson } from '../core/reserves/proof-json.ts';
import { DEMO_FEATURED_CUSTOMER_ID } from './demo-book.ts';
import type { DemoParty } from './demo-chain.ts';
import type { LedgerService } from './ledger-service.ts';
import { type PersonalSigner, type PublishedAudit, ReservesService } from './reserves/reserves-service.ts';

/** What the demo's audit produced. */
export interface DemoReserves {
  readonly service: ReservesService;
  readonly audit: PublishedAudit;
  /** The featured customer's inclusion proof in that audit. */
  readonly featuredProof: InclusionProofJson;
}

/** A personal-message signer over a demo party's key. */
export function demoPersonalSigner(party: DemoParty): PersonalSigner {
  return { address: party.address, signMessage: (message) => party.account.signMessage({ message }) };
}

/** Opens the reserves service with the demo's keys and publishes one audit; every step must succeed. */
export async function runDemoReserves(
  ledger: LedgerService,
  chain: ChainAdapter,
  parties: { readonly platform: DemoParty; readonly trustee: DemoParty },
): Promise<DemoReserves> {
  const service = await ReservesService.open(ledger, {
    chain,
    platformSigner: demoPersonalSigner(parties.platform),
    // The custodian's recovery key stays offline: the platform and the trustee reach the Safes' 2-of-3.
    controlSigners: [demoPersonalSigner(parties.platform), demoPersonalSigner(parties.trustee)],
  });
  const published = await service.publish('demo');
  assert(published.ok, `the demo audit must publish: ${published.ok ? '' : published.error.code}`);
  const proof = await service.proofFor(published.value.auditId, DEMO_FEATURED_CUSTOMER_ID);
  assert(proof.ok, 'the featured customer is in the demo audit');
  return { service, audit: published.value, featuredProof: proof.value };
}
