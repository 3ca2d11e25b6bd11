// The journal: GET /v1/journal/head (its position and hash) and POST /v1/journal/verify (replay the
// hash chain and every entry, compare stored balances, check the invariants).

import { createRoute, z } from '@hono/zod-openapi';
import type { LedgerService } from '../../service/ledger-service.ts';
import type { ApiApp } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { errorResponses } from '../error-schema.ts';

const HeadSchema = z
  .object({
    seq: z.number().int(),
    hash: z.string().openapi({ description: 'SHA-256 hex of the last batch' }),
  })
  .openapi('JournalHead');

const VerifyReportSchema = z
  .object({
    ok: z.boolean(),
    batches: z.number().int(),
    entries: z.number().int(),
    headSeq: z.number().int(),
    headHash: z.string(),
    firstMismatch: z
      .object({
        ok: z.literal(false),
        seq: z.number().int(),
        reason: z.enum([
          'seq_gap',
          'prev_hash_mismatch',
          'hash_mismatch',
          'entry_malformed',
          'entry_rejected',
        ]),
        entryIndex: z.number().int().nullable(),
        message: z.string(),
      })
      .nullable(),
    accountMismatches: z.array(z.object({ account: z.string(), stored: z.string(), replayed: z.string() })),
    invariantViolations: z.array(
      z.object({
        invariant: z.enum([
          'debits_equal_credits',
          'customer_claim_negative',
          'custody_below_customer_claims',
          'pool_custody_differs_from_claims',
          'balance_negative',
        ]),
        key: z.string(),
        message: z.string(),
      }),
    ),
  })
  .openapi('VerifyReport');

const headRoute = createRoute({
  method: 'get',
  path: '/v1/journal/head',
  tags: ['journal'],
  summary: 'The position and hash of the last committed batch',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'auditor'),
  responses: {
    200: { description: 'The head', content: { 'application/json': { schema: HeadSchema } } },
    ...errorResponses(403),
  },
});

const verifyRoute = createRoute({
  method: 'post',
  path: '/v1/journal/verify',
  tags: ['journal'],
  summary: 'Verify the journal: hash chain, replay, stored balances, invariants',
  description: 'A report with ok=false is still a 200: the report is the answer.',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'auditor'),
  responses: {
    200: {
      description: 'The verification report',
      content: { 'application/json': { schema: VerifyReportSchema } },
    },
    ...errorResponses(403),
  },
});

/** Registers the journal routes. */
export function registerJournalRoutes(app: ApiApp, service: LedgerService): void {
  app.openapi(headRoute, async (c) => {
    const head = await service.read((engine) => ({ seq: engine.headSeq, hash: engine.headHash }));
    return c.json(head, 200);
  });

  app.openapi(verifyRoute, async (c) => {
    const report = await service.verify();
    const body = {
      ...report,
      accountMismatches: [...report.accountMismatches],
      invariantViolations: [...report.invariantViolations],
    };
    return c.json(body, 200);
  });
}
