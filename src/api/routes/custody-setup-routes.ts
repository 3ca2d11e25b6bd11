// Custody setup, the operator's to change and the auditor's to read: the signer registry (once), each
// vault's withdrawal policy (refused when the platform's signers alone could reach quorum) and each vault's
// destination allowlist.

import { createRoute, z } from '@hono/zod-openapi';
import { PARTY_ROLES } from '../../core/custody/parties.ts';
import { applyCustodyEvents, CustodyState } from '../../service/custody/custody-state.ts';
import type { LedgerService } from '../../service/ledger-service.ts';
import { ApiError } from '../api-error.ts';
import type { ApiApp } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { type CustodyApiServices, requireCustody, withdrawalsOf } from '../custody-services.ts';
import { errorResponses } from '../error-schema.ts';
import { PolicySchema, policyFromJson, policyToJson } from '../policy-schema.ts';

const VaultParamsSchema = z.object({ id: z.string().openapi({ example: 'vault:derivatives' }) });

const SetupResultSchema = z
  .object({
    duplicate: z.boolean().openapi({ description: 'True when this exact setting was already in place' }),
  })
  .openapi('CustodySetupResult');

const setupResponses = (what: string) =>
  ({
    201: { description: `${what} recorded`, content: { 'application/json': { schema: SetupResultSchema } } },
    200: {
      description: `${what} already in place (idempotent repeat)`,
      content: { 'application/json': { schema: SetupResultSchema } },
    },
    ...errorResponses(400, 403, 409, 413, 415, 422),
  }) as const;

const SignerInputSchema = z
  .object({
    role: z.enum(PARTY_ROLES),
    partyId: z.string(),
    label: z.string(),
    publicKey: z
      .string()
      .optional()
      .openapi({ description: 'secp256k1 public key, 33 or 65 bytes in hex (preferred)' }),
    address: z.string().optional().openapi({ description: 'EVM address, when no public key is given' }),
  })
  .openapi('SignerInput');

const SignerSchema = z
  .object({ address: z.string(), role: z.enum(PARTY_ROLES), partyId: z.string(), label: z.string() })
  .openapi('Signer');

const getSignersRoute = createRoute({
  method: 'get',
  path: '/v1/custody/signers',
  tags: ['custody'],
  summary: 'The signer registry: platform, trustee, customer and custodian recovery keys',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'auditor')] as const,
  responses: {
    200: {
      description: 'The registry; platformPartyId is null before it is set',
      content: {
        'application/json': {
          schema: z
            .object({ platformPartyId: z.string().nullable(), signers: z.array(SignerSchema) })
            .openapi('SignerRegistry'),
        },
      },
    },
    ...errorResponses(403),
  },
});

const registerSignersRoute = createRoute({
  method: 'post',
  path: '/v1/custody/signers',
  tags: ['custody'],
  summary: 'Set the signer registry (once)',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator')] as const,
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ platformPartyId: z.string(), signers: z.array(SignerInputSchema) })
            .openapi('RegisterSigners'),
        },
      },
    },
  },
  responses: {
    201: {
      description: 'Registered',
      content: { 'application/json': { schema: SetupResultSchema } },
    },
    ...errorResponses(400, 403, 409, 413, 415, 422),
  },
});

const getPolicyRoute = createRoute({
  method: 'get',
  path: '/v1/vaults/{id}/policy',
  tags: ['custody'],
  summary: "The vault's installed withdrawal policy",
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'auditor')] as const,
  request: { params: VaultParamsSchema },
  responses: {
    200: {
      description: 'The policy',
      content: {
        'application/json': {
          schema: z.object({ vaultId: z.string(), policy: PolicySchema }).openapi('VaultPolicy'),
        },
      },
    },
    ...errorResponses(403, 404),
  },
});

const putPolicyRoute = createRoute({
  method: 'put',
  path: '/v1/vaults/{id}/policy',
  tags: ['custody'],
  summary: "Install the vault's withdrawal policy (replacing the current one)",
  description:
    'Refused with 422 policy_platform_unilateral_quorum when, for a customer vault, platform-controlled signers alone could reach quorum in a rule that can allow a withdrawal.',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator')] as const,
  request: {
    params: VaultParamsSchema,
    body: { required: true, content: { 'application/json': { schema: PolicySchema } } },
  },
  responses: setupResponses('Policy'),
});

const AllowlistEntrySchema = z
  .object({
    address: z.string(),
    addedAt: z.string().openapi({ description: "Usable from addedAt plus the policy's cooling-off" }),
  })
  .openapi('AllowlistEntry');

const getAllowlistRoute = createRoute({
  method: 'get',
  path: '/v1/vaults/{id}/allowlist',
  tags: ['custody'],
  summary: "The vault's destination allowlist",
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'auditor')] as const,
  request: { params: VaultParamsSchema },
  responses: {
    200: {
      description: 'The allowlist',
      content: {
        'application/json': {
          schema: z
            .object({ vaultId: z.string(), entries: z.array(AllowlistEntrySchema) })
            .openapi('Allowlist'),
        },
      },
    },
    ...errorResponses(403, 404),
  },
});

const addAllowlistRoute = createRoute({
  method: 'post',
  path: '/v1/vaults/{id}/allowlist',
  tags: ['custody'],
  summary: "Add a destination to the vault's allowlist",
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator')] as const,
  request: {
    params: VaultParamsSchema,
    body: {
      required: true,
      content: {
        'application/json': { schema: z.object({ address: z.string() }).openapi('AllowlistAddition') },
      },
    },
  },
  responses: setupResponses('Entry'),
});

/** Registers the custody setup routes; without custody services they answer 503 `custody_unavailable`. */
export function registerCustodySetupRoutes(
  app: ApiApp,
  service: LedgerService,
  custody: CustodyApiServices | undefined,
): void {
  for (const path of ['/v1/custody/signers', '/v1/vaults/:id/policy', '/v1/vaults/:id/allowlist']) {
    app.use(path, requireCustody(custody));
  }

  const vaultOrThrow = async (id: string) => {
    const vault = await service.read((engine) => engine.getVault(id));
    if (vault === undefined) throw new ApiError('not_found', `no vault ${id}`);
    return vault;
  };

  app.openapi(getSignersRoute, async (c) => {
    withdrawalsOf(custody);
    // The service does not hand out its registry; replaying the custody log rebuilds it, as the trustee does.
    const state = new CustodyState();
    applyCustodyEvents(state, await service.store.readCustodyEvents());
    const registry = state.registry;
    return c.json(
      {
        platformPartyId: registry?.platformPartyId ?? null,
        signers: registry === null ? [] : [...registry.signers.values()].map((signer) => ({ ...signer })),
      },
      200,
    );
  });

  app.openapi(registerSignersRoute, async (c) => {
    const body = c.req.valid('json');
    const inputs = body.signers.map((signer, index) => {
      const base = { role: signer.role, partyId: signer.partyId, label: signer.label };
      if (signer.publicKey !== undefined && signer.address === undefined)
        return { ...base, publicKey: signer.publicKey };
      if (signer.address !== undefined && signer.publicKey === undefined)
        return { ...base, address: signer.address };
      throw new ApiError('request_invalid', 'each signer gives exactly one of publicKey and address', {
        target: 'json',
        issues: [{ path: `signers.${index}`, code: 'custom', message: 'give publicKey or address' }],
      });
    });
    const result = await withdrawalsOf(custody).registerSigners(inputs, body.platformPartyId);
    if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.details);
    return c.json({ duplicate: false }, 201);
  });

  app.openapi(getPolicyRoute, async (c) => {
    const { id } = c.req.valid('param');
    await vaultOrThrow(id);
    const policy = withdrawalsOf(custody).getPolicy(id);
    if (policy === null) throw new ApiError('not_found', `vault ${id} has no installed policy`);
    return c.json({ vaultId: id, policy: policyToJson(policy) }, 200);
  });

  app.openapi(putPolicyRoute, async (c) => {
    const { id } = c.req.valid('param');
    const result = await withdrawalsOf(custody).installPolicy(id, policyFromJson(c.req.valid('json')));
    if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.details);
    return result.duplicate ? c.json({ duplicate: true }, 200) : c.json({ duplicate: false }, 201);
  });

  app.openapi(getAllowlistRoute, async (c) => {
    const { id } = c.req.valid('param');
    await vaultOrThrow(id);
    const entries = withdrawalsOf(custody)
      .getAllowlist(id)
      .map((entry) => ({ address: entry.address, addedAt: new Date(entry.addedAtMs).toISOString() }));
    return c.json({ vaultId: id, entries }, 200);
  });

  app.openapi(addAllowlistRoute, async (c) => {
    const { id } = c.req.valid('param');
    const result = await withdrawalsOf(custody).addAllowlistEntry(id, c.req.valid('json').address);
    if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.details);
    return result.duplicate ? c.json({ duplicate: true }, 200) : c.json({ duplicate: false }, 201);
  });
}
