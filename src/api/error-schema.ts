// The error envelope every failed request returns, as a schema for validation and the OpenAPI document,
// and the helper that declares a route's error responses against it.

import { z } from '@hono/zod-openapi';
import type { ErrorStatus } from './error-status.ts';

/** `{ error: { code, message, details? } }`: the one shape of every error response. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z
        .string()
        .openapi({ description: 'Stable snake_case code naming the broken rule', example: 'asset_unknown' }),
      message: z.string().openapi({ description: 'Human-readable explanation; may change between releases' }),
      details: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Rule-specific context' }),
    }),
  })
  .openapi('Error');

/** The body of an error response. */
export type ErrorBody = z.infer<typeof ErrorSchema>;

const ERROR_DESCRIPTIONS: Readonly<Record<ErrorStatus, string>> = {
  400: 'The request is malformed: request_invalid, amount_*, transfer_id_invalid and other input codes',
  401: 'unauthorized: the API key is missing or unknown',
  403: 'forbidden_role or forbidden_not_own_account',
  404: 'not_found, or a segregation *_unknown code: no such id',
  409: 'The id is taken: idempotency_*, *_already_exists, *_already_registered or withdrawal_request_conflict',
  413: 'batch_too_large, request_too_large or custodian_statement_too_large',
  415: 'media_type_unsupported: the body is not application/json (text/csv for a custodian statement)',
  422: 'The ledger, custody or segregation refuses the request: segregation_*, hold_*, withdrawal_*, policy_*, quorum_*, trustee_*, statement_*, residual_interest_* ...',
  500: 'internal_error',
  503: 'service_unavailable (storage failed or the writer stopped), custody_unavailable (no custody services), segregation_unavailable (no segregation services) or chain_unavailable',
};

type ErrorResponse = {
  readonly description: string;
  readonly content: { readonly 'application/json': { readonly schema: typeof ErrorSchema } };
};

/** Error response declarations for a route, keyed by the listed statuses (401, 500 and 503 come with every /v1 route). */
export function errorResponses<const S extends readonly ErrorStatus[]>(
  ...statuses: S
): { readonly [K in S[number] | 401 | 500 | 503]: ErrorResponse } {
  const responses: Partial<Record<ErrorStatus, ErrorResponse>> = {};
  for (const status of [...statuses, 401, 500, 503] as const) {
    responses[status] = {
      description: ERROR_DESCRIPTIONS[status],
      content: { 'application/json': { schema: ErrorSchema } },
    };
  }
  return responses as { readonly [K in S[number] | 401 | 500 | 503]: ErrorResponse };
}
