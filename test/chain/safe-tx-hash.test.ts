// Proves the local SafeTx EIP-712 hashing against a published test vector (morpho-org/safe-tx-hash, Base,
// nonce 11), that signatures are packed in ascending owner order, and that the hand-written ABI fragments the
// chain layer calls exist in the compiled and published artifacts (so a contract change cannot drift silently).

import { type Abi, type AbiItem, toEventSelector, toFunctionSelector } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { compileContracts, loadContractArtifact } from '../../src/chain/compile.ts';
import {
  ringfenceGuardAbi,
  safeAbi,
  safeProxyFactoryAbi,
  testTokenAbi,
} from '../../src/chain/contract-abis.ts';
import { loadSafeArtifact } from '../../src/chain/safe.ts';
import {
  buildSafeTransaction,
  encodeSafeSignatures,
  hashSafeDomain,
  hashSafeTransaction,
  hashSafeTransactionStruct,
  signSafeTransactionHash,
} from '../../src/chain/safe-tx.ts';

describe('SafeTx hash', () => {
  it('matches the morpho-org/safe-tx-hash test vector (domain, struct and transaction hash)', () => {
    const transaction = buildSafeTransaction({
      to: '0xBAa5CC21fd487B8Fcc2F632f3F4E8D37262a0842',
      data: '0xa9059cbb000000000000000000000000f057afeec22e220f47ad4220871364e9e828b2e900000000000000000000000000000000000000000001a784379d99db42000000',
      nonce: 11n,
    });
    const domain = { chainId: 8453, safeAddress: '0xcBa28b38103307Ec8dA98377ffF9816C164f9AFa' } as const;
    expect(hashSafeDomain(domain)).toBe('0x837b1eb3bcc66a4b6bd9f0d8c876e31648b46ac2e66e4080ee93e97e51074cb9');
    expect(hashSafeTransactionStruct(transaction)).toBe(
      '0x18100568166f32d42c2c1d01c907dabc9bec58334a125da2a2a43742764183cd',
    );
    expect(hashSafeTransaction(transaction, domain)).toBe(
      '0x1bf99e3cf2d2272960c8a02ca4163459ad240de7995bec237a886b84968a077c',
    );
  });

  it('packs 65-byte signatures in ascending owner order whatever order they come in', async () => {
    const hash = `0x${'ab'.repeat(32)}` as const;
    const accounts = [1, 2, 3].map((n) => privateKeyToAccount(`0x${n.toString(16).padStart(64, '0')}`));
    const signatures = await Promise.all(accounts.map((account) => signSafeTransactionHash(account, hash)));
    const sorted = [...signatures].sort((a, b) => (BigInt(a.signer) < BigInt(b.signer) ? -1 : 1));
    const packed = encodeSafeSignatures([signatures[2]!, signatures[0]!, signatures[1]!]);
    expect(packed).toBe(`0x${sorted.map((s) => s.data.slice(2)).join('')}`);
    expect(packed.length).toBe(2 + 3 * 130);
    for (const signature of signatures)
      expect([27, 28]).toContain(Number.parseInt(signature.data.slice(-2), 16));
  });
});

describe('contract artifacts', () => {
  it('compiles once and then serves the cache', () => {
    const result = compileContracts();
    expect(result.contractNames).toEqual(expect.arrayContaining(['RingfenceGuard', 'TestToken']));
    const again = compileContracts();
    expect(again).toMatchObject({ cached: true, sourceHash: result.sourceHash });
  });

  it('has every hand-written ABI fragment in the compiled or published ABI', () => {
    const pairs: readonly [Abi, Abi][] = [
      [ringfenceGuardAbi, loadContractArtifact('RingfenceGuard').abi],
      [testTokenAbi, loadContractArtifact('TestToken').abi],
      [safeAbi, loadSafeArtifact('Safe').abi],
      [safeProxyFactoryAbi, loadSafeArtifact('SafeProxyFactory').abi],
    ];
    for (const [fragments, artifact] of pairs) {
      const published = new Set(artifact.map(signatureOf));
      for (const item of fragments) expect(published, signatureOf(item)).toContain(signatureOf(item));
    }
  });
});

function signatureOf(item: AbiItem): string {
  switch (item.type) {
    case 'function':
      return `function ${toFunctionSelector(item)} ${item.outputs.map((o) => o.type).join(',')}`;
    case 'event':
      return `event ${toEventSelector(item)}`;
    case 'error':
      return `error ${toFunctionSelector(`${item.name}(${item.inputs.map((i) => i.type).join(',')})`)}`;
    case 'constructor':
      return `constructor(${item.inputs.map((i) => i.type).join(',')})`;
    default:
      return item.type;
  }
}
