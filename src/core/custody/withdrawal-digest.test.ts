// Proves the withdrawal digest byte for byte: the typehashes, a fixed test vector (also printed in
// docs/custody.md), agreement with viem's hashTypedData, and that every bound field changes the digest.

import { bytesToHex } from '@noble/hashes/utils.js';
import { hashTypedData, keccak256, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { testRequest, testVault, viemTypedData } from '../../../test/support/custody-core.ts';
import {
  EIP712_DOMAIN_TYPE,
  EIP712_DOMAIN_TYPEHASH,
  WITHDRAWAL_TYPE,
  WITHDRAWAL_TYPEHASH,
  withdrawalDigestHex,
  withdrawalDomainSeparator,
  withdrawalStructHash,
} from './withdrawal-digest.ts';

const request = testRequest(testVault());

describe('withdrawal digest', () => {
  it('hashes the documented type strings', () => {
    expect(`0x${bytesToHex(EIP712_DOMAIN_TYPEHASH)}`).toBe(keccak256(toHex(EIP712_DOMAIN_TYPE)));
    expect(`0x${bytesToHex(EIP712_DOMAIN_TYPEHASH)}`).toBe(
      '0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f',
    );
    expect(`0x${bytesToHex(WITHDRAWAL_TYPEHASH)}`).toBe(keccak256(toHex(WITHDRAWAL_TYPE)));
  });

  it('matches the test vector in docs/custody.md', () => {
    expect(`0x${bytesToHex(withdrawalDomainSeparator(request.chainId, request.vault))}`).toBe(
      DOMAIN_SEPARATOR,
    );
    expect(`0x${bytesToHex(withdrawalStructHash(request))}`).toBe(STRUCT_HASH);
    expect(withdrawalDigestHex(request)).toBe(DIGEST);
  });

  it("equals viem's hashTypedData", () => {
    expect(withdrawalDigestHex(request)).toBe(hashTypedData(viemTypedData(request)));
  });

  it('changes when any bound field changes', () => {
    const variants = [
      { requestId: `0x${'43'.repeat(32)}` as const },
      { chainId: 1 },
      { vault: '0x00000000000000000000000000000000000000aa' as const },
      { token: '0x00000000000000000000000000000000000000bb' as const },
      { amountMinor: request.amountMinor + 1n },
      { destination: '0x00000000000000000000000000000000000000cc' as const },
      { nonce: request.nonce + 1n },
      { expiresAtSeconds: request.expiresAtSeconds + 1n },
    ];
    const digests = new Set([
      withdrawalDigestHex(request),
      ...variants.map((v) => withdrawalDigestHex({ ...request, ...v })),
    ]);
    expect(digests.size).toBe(variants.length + 1);
  });
});

const DOMAIN_SEPARATOR = '0xa4d6c8a93d0705067a64ed55aceb8346f04adcb2c558139e3f65934f3ce95655';
const STRUCT_HASH = '0x18a276b332d7e4fa7c5827f66a42d49fb2266bcb0d89ac35075822f5df60b6b3';
const DIGEST = '0x65b2bde14e61719b4ed36d531cff13d9e10d67768bdfbb538fc7f3c6c3ddc205';
