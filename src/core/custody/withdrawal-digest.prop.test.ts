// Property: for random requests (ids, chains, addresses, uint256 amounts and nonces, uint64 expiries), our
// hand-written EIP-712 encoding equals viem's hashTypedData, an independent implementation.

import fc from 'fast-check';
import { hashTypedData } from 'viem';
import { describe, expect, it } from 'vitest';
import { viemTypedData } from '../../../test/support/custody-core.ts';
import type { Address } from './address.ts';
import { withdrawalDigestHex } from './withdrawal-digest.ts';
import { UINT64_MAX, UINT256_MAX } from './withdrawal-request.ts';

const hex = (bytes: number) =>
  fc
    .uint8Array({ minLength: bytes, maxLength: bytes })
    .map((b) => `0x${Buffer.from(b).toString('hex')}` as Address);

describe('withdrawal digest properties', () => {
  it("equals viem's hashTypedData on random inputs", () => {
    fc.assert(
      fc.property(
        fc.record({
          requestId: hex(32),
          chainId: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
          vault: hex(20),
          token: hex(20),
          amountMinor: fc.bigInt({ min: 0n, max: UINT256_MAX }),
          destination: hex(20),
          nonce: fc.bigInt({ min: 0n, max: UINT256_MAX }),
          expiresAtSeconds: fc.bigInt({ min: 0n, max: UINT64_MAX }),
        }),
        (fields) => {
          expect(withdrawalDigestHex(fields)).toBe(hashTypedData(viemTypedData(fields)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
