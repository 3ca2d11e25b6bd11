// Proves address handling: EIP-55 checksums match the published examples, mis-typed checksums are refused,
// and addresses derived from public keys match viem's.

import fc from 'fast-check';
import { getAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { testKey } from '../../../test/support/custody-core.ts';
import { addressFromPublicKeyHex, parseAddress, toChecksumAddress } from './address.ts';

// The examples from EIP-55 itself.
const EIP55 = [
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
];

describe('addresses', () => {
  it('checksums like EIP-55 and parses checksummed, lower- and upper-case input to lower case', () => {
    for (const address of EIP55) {
      const lower = address.toLowerCase() as `0x${string}`;
      expect(toChecksumAddress(lower)).toBe(address);
      expect(parseAddress(address)).toBe(lower);
      expect(parseAddress(lower)).toBe(lower);
      expect(parseAddress(`0x${address.slice(2).toUpperCase()}`)).toBe(lower);
    }
  });

  it('refuses a mixed-case address whose checksum is wrong, and malformed text', () => {
    expect(parseAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD')).toBeNull();
    expect(parseAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae')).toBeNull();
    expect(parseAddress('5aaeb6053f3e94c9b9a09f33669435e7ef1beaed')).toBeNull();
    expect(parseAddress(42)).toBeNull();
  });

  it('derives the same address as viem from compressed and uncompressed public keys', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (n) => {
        const account = privateKeyToAccount(testKey(n));
        expect(addressFromPublicKeyHex(account.publicKey)).toBe(account.address.toLowerCase());
        expect(toChecksumAddress(account.address.toLowerCase() as `0x${string}`)).toBe(
          getAddress(account.address),
        );
      }),
      { numRuns: 50 },
    );
    expect(addressFromPublicKeyHex(`0x02${'00'.repeat(32)}`)).toBeNull();
  });
});
