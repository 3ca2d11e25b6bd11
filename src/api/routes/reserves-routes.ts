// Proof of reserves over HTTP: an operator publishes an audit; everyone with a key lists audits and reads
// attestations; a customer key fetches that customer's own inclusion proof and nobody else's (it carries the
// customer's salt). The latest attestations and the offline verifier page are public, without a key.

import { createRoute, z } from '@hono/zod-openapi';
import type { PublishedAudit, ReservesService } from '../../service/reserves/reserves-service.ts';
import { ApiError } from '../api-error.ts';
import type { ApiApp } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { errorResponses } from '../error-schema.ts';
import { AuditSummarySchema, InclusionProofSchema, SignedAttestationSchema } from '../reserves-schema.ts';
import { list } from '../segregation-schema.ts';
import { valueOrThrow } from '../segregation-services.ts';

/** What `createApp` takes to serve proof of reserves. */
export interface ReservesApiServices {
  readonly service: ReservesService;
  /** The self-contained offline verifier page, served at GET /verify; absent when not built in. */
  readonly verifierPage?: () => Promise<string>;
}

const TAGS = ['reserves'];

/** `latest` or a 32-hex-digit audit id. */
const AuditParamsSchema = z.object({
  auditId: z.string().openapi({ description: 'An audit id, or `latest`', example: 'latest' }),
});

const AuditCreatedSchema = z
  .object({ auditId: z.string(), attestation: SignedAttestationSchema })
  .openapi('ReservesAuditCreated');

const publishRoute = createRoute({
  method: 'post',
  path: '/v1/reserves/audits',
  tags: TAGS,
  summary: 'Publish a proof-of-reserves audit of the books at the journal head',
  description:
    "Commits every customer's balance per asset in a Merkle-sum tree, reads the segregated vaults' balances and owners on chain at one block with their owners' proof-of-control signatures, and signs the attestation with the platform key.",
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator')] as const,
  responses: {
    201: { description: 'Published', content: { 'application/json': { schema: AuditCreatedSchema } } },
    ...errorResponses(403, 422),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/reserves/audits',
  tags: TAGS,
  summary: 'Every published audit, newest first',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'auditor', 'officer', 'customer')] as const,
  responses: {
    200: {
      description: 'Audits',
      content: { 'application/json': { schema: z.object({ audits: list(AuditSummarySchema) }) } },
    },
    ...errorResponses(403),
  },
});

const attestationRoute = createRoute({
  method: 'get',
  path: '/v1/reserves/audits/{auditId}/attestation',
  tags: TAGS,
  summary: "One audit's signed attestation",
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'auditor', 'officer', 'customer')] as const,
  request: { params: AuditParamsSchema },
  responses: {
    200: {
      description: 'The attestation',
      content: { 'application/json': { schema: SignedAttestationSchema } },
    },
    ...errorResponses(403, 404),
  },
});

const proofRoute = createRoute({
  method: 'get',
  path: '/v1/reserves/audits/{auditId}/proof',
  tags: TAGS,
  summary: "The calling customer's inclusion proof (customer keys only: it carries the customer's salt)",
  description:
    'Verify it offline with `ringfence proof verify <file>` or the page at GET /verify; neither needs this server.',
  security: BEARER_SECURITY,
  middleware: [allowRoles('customer')] as const,
  request: { params: AuditParamsSchema },
  responses: {
    200: { description: 'The proof', content: { 'application/json': { schema: InclusionProofSchema } } },
    ...errorResponses(403, 404),
  },
});

const publicAttestationRoute = createRoute({
  method: 'get',
  path: '/reserves/attestations/{auditId}',
  tags: TAGS,
  summary: 'A signed attestation, public and without a key (what customers compare their proof with)',
  request: { params: AuditParamsSchema },
  responses: {
    200: {
      description: 'The attestation',
      content: { 'application/json': { schema: SignedAttestationSchema } },
    },
    ...errorResponses(404),
  },
});

const verifierPageRoute = createRoute({
  method: 'get',
  path: '/verify',
  tags: TAGS,
  summary: 'The offline proof verifier: one self-contained HTML page that makes no network requests',
  responses: {
    200: { description: 'The page', content: { 'text/html': { schema: z.string() } } },
    ...errorResponses(404),
  },
});

/** Registers the reserves routes; without services they answer 503 `reserves_unavailable`. */
export function registerReservesRoutes(app: ApiApp, reserves: ReservesApiServices | undefined): void {
  const serviceOf = (): ReservesService => {
    if (reserves === undefined) {
      throw new ApiError('reserves_unavailable', 'this server runs without proof of reserves');
    }
    return reserves.service;
  };
  const auditOf = (auditId: string): PublishedAudit => {
    const service = serviceOf();
    const audit = auditId === 'latest' ? service.latest() : service.find(auditId);
    if (audit === null)
      throw new ApiError('proof_audit_unknown', `no published audit ${auditId}`, { auditId });
    return audit;
  };

  app.openapi(publishRoute, async (c) => {
    const audit = valueOrThrow(await serviceOf().publish(c.get('principal').keyId));
    return c.json({ auditId: audit.auditId, attestation: audit.attestation }, 201);
  });

  app.openapi(listRoute, (c) => c.json({ audits: [...serviceOf().list()].reverse().map(auditSummary) }, 200));

  app.openapi(attestationRoute, (c) => c.json(auditOf(c.req.valid('param').auditId).attestation, 200));

  app.openapi(proofRoute, async (c) => {
    const audit = auditOf(c.req.valid('param').auditId);
    const customerId = c.get('principal').customerId;
    if (customerId === null) throw new ApiError('forbidden_role', 'only a customer key fetches a proof');
    return c.json(valueOrThrow(await serviceOf().proofFor(audit.auditId, customerId)), 200);
  });

  app.openapi(publicAttestationRoute, (c) => c.json(auditOf(c.req.valid('param').auditId).attestation, 200));

  app.openapi(verifierPageRoute, async (c) => {
    if (reserves?.verifierPage === undefined) {
      throw new ApiError('not_found', 'this server does not serve the verifier page');
    }
    return c.html(await reserves.verifierPage(), 200);
  });
}

function auditSummary(audit: PublishedAudit) {
  const { body } = audit.attestation;
  return {
    auditId: audit.auditId,
    asOf: body.asOf,
    journalSeq: body.journal.seq,
    rootHash: body.liabilities.rootHash,
    customers: body.liabilities.customers,
    platformSigner: body.platformSigner,
    publishedBy: audit.publishedBy,
    coverage: [...body.coverage],
  };
}
