// Who a deposit into an omnibus vault belongs to: a registry of (vault address, sending address) ->
// customer pairs. A customer registers the address it sends from before depositing; a deposit from any
// other address cannot be attributed and is left for an operator (see docs/custody.md, "Deposits").

import { type Address, NATIVE_TOKEN_ADDRESS, parseAddress } from '../../core/custody/address.ts';
import { type Rejected, rejected } from '../../core/custody/rejection.ts';

/** Most sending addresses one registry holds: an explicit bound on memory. */
export const DEPOSIT_SENDERS_MAX = 1_000_000;

/** One registration: deposits into `vault` sent from `sender` credit `customerId`. */
export interface DepositSenderInput {
  readonly vault: string;
  readonly sender: string;
  readonly customerId: string;
}

/** The rejection codes of `DepositAttribution.register`, in the order they are checked. */
export type DepositAttributionErrorCode =
  | 'deposit_vault_address_invalid'
  | 'deposit_sender_address_invalid'
  | 'deposit_customer_id_invalid'
  | 'deposit_sender_taken'
  | 'deposit_senders_too_many';

export type RegisterDepositSenderResult =
  | { readonly ok: true; readonly duplicate: boolean }
  | Rejected<DepositAttributionErrorCode>;

/**
 * The in-memory sender registry. One (vault, sender) pair maps to exactly one customer: a sending address
 * shared by two customers (an exchange's hot wallet, a payment processor) could not say whose coins arrived,
 * so the second registration is refused and such deposits go to the operator instead.
 */
export class DepositAttribution {
  private readonly senders = new Map<string, string>();

  /** Builds a registry from registrations, refusing the first bad one (with its index in `details`). */
  static build(
    inputs: readonly DepositSenderInput[],
  ): { readonly ok: true; readonly attribution: DepositAttribution } | Rejected<DepositAttributionErrorCode> {
    const attribution = new DepositAttribution();
    for (const [index, input] of inputs.entries()) {
      const result = attribution.register(input);
      if (!result.ok)
        return rejected(result.error.code, result.error.message, { ...result.error.details, index });
    }
    return { ok: true, attribution };
  }

  /** Registers a sending address for a customer; repeating an identical registration is a no-op. */
  register(input: DepositSenderInput): RegisterDepositSenderResult {
    const vault = parseAddress(input.vault);
    if (vault === null) {
      return rejected('deposit_vault_address_invalid', 'the vault address is 0x and 40 hex digits', {
        vault: String(input.vault),
      });
    }
    const sender = parseAddress(input.sender);
    // Tokens minted straight into a vault come "from" the zero address, which no customer controls.
    if (sender === null || sender === NATIVE_TOKEN_ADDRESS) {
      return rejected(
        'deposit_sender_address_invalid',
        'the sending address is 0x and 40 hex digits, not zero',
        {
          sender: String(input.sender),
        },
      );
    }
    if (typeof input.customerId !== 'string' || input.customerId.length === 0) {
      return rejected(
        'deposit_customer_id_invalid',
        'a sending address is registered for one named customer',
      );
    }
    const key = senderKey(vault, sender);
    const existing = this.senders.get(key);
    if (existing !== undefined) {
      if (existing === input.customerId) return { ok: true, duplicate: true };
      return rejected(
        'deposit_sender_taken',
        `address ${sender} already sends to vault ${vault} for another customer`,
        { vault, sender, customerId: existing },
      );
    }
    if (this.senders.size >= DEPOSIT_SENDERS_MAX) {
      return rejected('deposit_senders_too_many', `a registry holds at most ${DEPOSIT_SENDERS_MAX} senders`);
    }
    this.senders.set(key, input.customerId);
    return { ok: true, duplicate: false };
  }

  /** The customer whose registered address sent a deposit into the vault (addresses in any case), or null. */
  customerOf(vault: string, sender: string): string | null {
    const vaultAddress = parseAddress(vault.toLowerCase());
    const senderAddress = parseAddress(sender.toLowerCase());
    if (vaultAddress === null || senderAddress === null) return null;
    return this.senders.get(senderKey(vaultAddress, senderAddress)) ?? null;
  }

  /** How many (vault, sender) pairs are registered. */
  get size(): number {
    return this.senders.size;
  }
}

function senderKey(vault: Address, sender: Address): string {
  return `${vault}:${sender}`;
}
