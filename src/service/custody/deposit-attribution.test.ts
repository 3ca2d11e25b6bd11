// Proves the deposit sender registry attributes by (vault, sender) in any address case, treats an identical
// registration as a no-op, and refuses each bad registration with its code, changing nothing.

import { describe, expect, it } from 'vitest';
import { DepositAttribution } from './deposit-attribution.ts';

const VAULT = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const OTHER_VAULT = `0x${'c'.repeat(40)}`;
const ALICE = `0x${'a1'.repeat(20)}`;
const BOB = `0x${'b2'.repeat(20)}`;

function registry(): DepositAttribution {
  const built = DepositAttribution.build([{ vault: VAULT, sender: ALICE, customerId: 'alice' }]);
  if (!built.ok) throw new Error(built.error.message);
  return built.attribution;
}

describe('deposit attribution', () => {
  it('attributes a deposit by vault and sender, whatever the address case', () => {
    const attribution = registry();
    expect(attribution.customerOf(VAULT.toLowerCase(), ALICE.toUpperCase().replace('0X', '0x'))).toBe(
      'alice',
    );
    // The same sender into another vault is not attributed: registrations are per vault.
    expect(attribution.customerOf(OTHER_VAULT, ALICE)).toBeNull();
    expect(attribution.customerOf(VAULT, BOB)).toBeNull();
  });

  it('treats an identical registration as a no-op', () => {
    const attribution = registry();
    expect(attribution.register({ vault: VAULT, sender: ALICE, customerId: 'alice' })).toEqual({
      ok: true,
      duplicate: true,
    });
    expect(attribution.size).toBe(1);
  });

  it.each([
    [{ vault: '0x1234', sender: BOB, customerId: 'bob' }, 'deposit_vault_address_invalid'],
    // A mixed-case address with a wrong EIP-55 checksum is a typo, not an address.
    [
      { vault: VAULT.replace('F', 'f').replace('b', 'B'), sender: BOB, customerId: 'bob' },
      'deposit_vault_address_invalid',
    ],
    [{ vault: VAULT, sender: 'bob', customerId: 'bob' }, 'deposit_sender_address_invalid'],
    [{ vault: VAULT, sender: `0x${'0'.repeat(40)}`, customerId: 'bob' }, 'deposit_sender_address_invalid'],
    [{ vault: VAULT, sender: BOB, customerId: '' }, 'deposit_customer_id_invalid'],
    [{ vault: VAULT, sender: ALICE, customerId: 'bob' }, 'deposit_sender_taken'],
  ])('refuses %o with %s and changes nothing', (input, code) => {
    const attribution = registry();
    const result = attribution.register(input);
    expect(result).toMatchObject({ ok: false, error: { code } });
    expect(attribution.size).toBe(1);
    expect(attribution.customerOf(VAULT, ALICE)).toBe('alice');
  });

  it('reports the index of the first bad registration when building', () => {
    const built = DepositAttribution.build([
      { vault: VAULT, sender: BOB, customerId: 'bob' },
      { vault: VAULT, sender: BOB, customerId: 'carol' },
    ]);
    expect(built).toMatchObject({
      ok: false,
      error: { code: 'deposit_sender_taken', details: { index: 1 } },
    });
  });
});
