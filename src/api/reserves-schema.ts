// The published schemas of proof of reserves: the signed attestation and a customer's inclusion proof, exactly
// as docs/proof-formats.md specifies them (amounts there are integer minor-unit strings, hashes lower-case hex).

import { z } from '@hono/zod-openapi';
import { list } from './segregation-schema.ts';

const MinorAmount = z.string().openapi({ description: 'Integer minor units', example: '150000000' });
const Hex32 = z.string().openapi({ description: '32 bytes, lower-case hex', example: 'ab'.repeat(32) });
const Address = z
  .string()
  .openapi({ description: 'EVM address, lower case', example: `0x${'ab'.repeat(20)}` });

const TreeAssetSchema = z.object({ code: z.string(), scale: z.number().int() }).openapi('TreeAsset');

const VaultReserveSchema = z
  .object({
    vaultId: z.string(),
    chainId: z.number().int(),
    address: Address,
    blockNumber: z.string(),
    blockHash: z.string(),
    balances: list(MinorAmount).openapi({ description: 'One per attested asset' }),
    owners: list(Address),
    threshold: z.number().int(),
    challenge: z.string().openapi({ description: 'The proof-of-control text each owner personal-signs' }),
    signatures: list(z.object({ signer: Address, signature: z.string() })),
    controlProven: z.boolean().openapi({ description: 'At least `threshold` distinct owners signed' }),
  })
  .openapi('VaultReserve');

/** A signed reserves attestation (format ringfence-reserves-attestation-v1). */
export const SignedAttestationSchema = z
  .object({
    body: z.object({
      format: z.literal('ringfence-reserves-attestation-v1'),
      auditId: z.string().openapi({ description: '16 bytes, lower-case hex' }),
      asOf: z.string().openapi({ description: 'ISO-8601 UTC' }),
      journal: z.object({ seq: z.number().int(), headHash: Hex32 }),
      liabilities: z.object({
        hashFunction: z.literal('sha256'),
        height: z.number().int(),
        rootHash: Hex32,
        customers: z.number().int(),
        assets: list(TreeAssetSchema),
        totals: list(MinorAmount),
        deficits: list(MinorAmount),
      }),
      reserves: z.object({ vaults: list(VaultReserveSchema), totals: list(MinorAmount) }),
      coverage: list(z.object({ asset: z.string(), ratio: z.string().nullable(), covered: z.boolean() })),
      platformSigner: Address,
    }),
    bodySha256: Hex32,
    signature: z.string().openapi({ description: 'EIP-191 personal signature, 0x{r}{s}{v}' }),
  })
  .openapi('SignedAttestation');

const ProofRecordSchema = z.object({ hash: Hex32, sums: list(MinorAmount) });

/** A customer's inclusion proof (format ringfence-liability-proof-v1). */
export const InclusionProofSchema = z
  .object({
    format: z.literal('ringfence-liability-proof-v1'),
    auditId: z.string(),
    hashFunction: z.literal('sha256'),
    height: z.number().int(),
    assets: list(TreeAssetSchema),
    position: z.number().int(),
    leaf: z.object({ customerId: z.string(), salt: Hex32, balances: list(MinorAmount), hash: Hex32 }),
    path: list(z.object({ sibling: ProofRecordSchema, parent: ProofRecordSchema })),
    attestation: SignedAttestationSchema,
  })
  .openapi('InclusionProof');

/** One published audit in a list. */
export const AuditSummarySchema = z
  .object({
    auditId: z.string(),
    asOf: z.string(),
    journalSeq: z.number().int(),
    rootHash: Hex32,
    customers: z.number().int(),
    platformSigner: Address,
    publishedBy: z.string(),
    coverage: list(z.object({ asset: z.string(), ratio: z.string().nullable(), covered: z.boolean() })),
  })
  .openapi('ReservesAuditSummary');
