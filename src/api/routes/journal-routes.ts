// The journal: GET /v1/journal/head (its position and hash), GET /v1/journal/batches (the committed batches
// with their canonical entries, so an auditor can recompute the hash chain independently) and
// POST /v1/journal/verify (replay the hash chain and every entry, compare stored balances, check invariants).

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

/** Most batches one page of GET /v1/journal/batches returns. */
export const JOURNAL_PAGE_BATCHES_MAX = 1_000;

const BatchSchema = z
  .object({
    seq: z.number().int(),
    timestampMs: z.number().int(),
    prevHash: z.string(),
    hash: z.string(),
    entries: z.array(
      z.object({
        id: z.string().nullable(),
        type: z.string(),
        body: z.string().openapi({ description: 'Canonical JSON of the entry, exactly as hashed' }),
      }),
    ),
  })
  .openapi('JournalBatch');

const batchesRoute = createRoute({
  method: 'get',
  path: '/v1/journal/batches',
  tags: ['journal'],
  summary: 'Committed journal batches from a position, with their canonical entries',
  description:
    'hash = SHA-256("ringfence-journal-v1\\n" + prevHash + "\\n" + seq + "\\n" + timestampMs + "\\n" + entryCount + "\\n" + each entry body followed by "\\n"); see docs/ledger.md. Page with `nextSeq`.',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'auditor'),
  request: {
    query: z.object({
      fromSeq: z.coerce.number().int().min(1).default(1),
      limit: z.coerce.number().int().min(1).max(JOURNAL_PAGE_BATCHES_MAX).default(100),
    }),
  },
  responses: {
    200: {
      description: 'Batches in order, and the seq to ask for next (null at the head)',
      content: {
        'application/json': {
          schema: z
            .object({ batches: z.array(BatchSchema), nextSeq: z.number().int().nullable() })
            .openapi('JournalPage'),
        },
      },
    },
    ...errorResponses(400, 403),
  },
});

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

  app.openapi(batchesRoute, async (c) => {
    const { fromSeq, limit } = c.req.valid('query');
    const headSeq = await service.read((engine) => engine.headSeq);
    const batches = fromSeq > headSeq ? [] : await service.store.readBatches(fromSeq, headSeq, limit);
    const last = batches[batches.length - 1];
    const nextSeq = last === undefined || last.seq >= headSeq ? null : last.seq + 1;
    const body = batches.map((batch) => ({
      ...batch,
      entries: batch.entries.map((entry) => ({ ...entry })),
    }));
    return c.json({ batches: body, nextSeq }, 200);
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
