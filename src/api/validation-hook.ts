// The zod-openapi default hook: a request that fails its schema is 400 `request_invalid` with the zod
// issues in details, except a batch over BATCH_COMMANDS_MAX items, which is 413 `batch_too_large`.

import type { ZodError } from 'zod';
import { BATCH_COMMANDS_MAX } from '../core/ledger/limits.ts';
import { ApiError } from './api-error.ts';

/** The hook's input: the validation target and the zod result. */
export type ValidationResult = { target: string } & ({ success: true } | { success: false; error: ZodError });

/** Throws the schema failure as an ApiError; passes valid requests through. */
export function validationHook(result: ValidationResult): void {
  if (result.success) return;
  const issues = result.error.issues;
  const oversized = issues.some(
    (issue) => issue.code === 'too_big' && issue.path.length === 1 && issue.path[0] === 'transfers',
  );
  if (result.target === 'json' && oversized) {
    throw new ApiError('batch_too_large', `a batch holds at most ${BATCH_COMMANDS_MAX} transfers`, {
      maxItems: BATCH_COMMANDS_MAX,
    });
  }
  throw new ApiError(
    'request_invalid',
    `the ${result.target === 'json' ? 'body' : result.target} does not match its schema`,
    {
      target: result.target,
      issues: issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        code: issue.code,
        message: issue.message,
      })),
    },
  );
}
