// The app's error handler: rejections become the error envelope with their status from the table;
// infrastructure failures become 503 service_unavailable (chain failures 503 chain_unavailable); anything
// else is a bug, logged, and 500.

import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ChainError } from '../chain/errors.ts';
import { AssertionError } from '../core/assert.ts';
import { JournalCorruptError, WriterStoppedError } from '../service/errors.ts';
import { StoreError } from '../store/errors.ts';
import { ApiError, type ErrorDetails } from './api-error.ts';
import type { ErrorBody } from './error-schema.ts';
import { statusOfErrorCode } from './error-status.ts';

/** The envelope `{ error: { code, message, details? } }`. */
export function errorBody(code: string, message: string, details?: ErrorDetails): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details: { ...details } } };
}

/** Renders any error thrown while handling a request as an error response. */
export function renderError(error: Error, c: Context): Response {
  if (error instanceof ApiError) {
    return c.json(errorBody(error.code, error.message, error.details), statusOfErrorCode(error.code));
  }
  if (error instanceof HTTPException) return renderHttpException(error, c);
  if (
    error instanceof WriterStoppedError ||
    error instanceof StoreError ||
    error instanceof JournalCorruptError
  ) {
    console.error(`[api] ${c.req.method} ${c.req.path}: ${error.name}: ${error.message}`, error.cause ?? '');
    return c.json(errorBody('service_unavailable', 'the ledger is unavailable; retry later'), 503);
  }
  if (error instanceof ChainError) {
    console.error(`[api] ${c.req.method} ${c.req.path}: ${error.name}: ${error.message}`, error.cause ?? '');
    return c.json(errorBody('chain_unavailable', 'the chain is unavailable; retry later'), 503);
  }
  console.error(`[api] ${c.req.method} ${c.req.path}: unexpected error`, error);
  // A broken invariant is never caught (STYLE.md): answer this request, then crash the process outside the
  // framework's handler, so a supervisor restarts it and the journal replay rebuilds trusted state.
  if (error instanceof AssertionError) {
    setImmediate(() => {
      throw error;
    });
  }
  return c.json(errorBody('internal_error', 'internal error'), 500);
}

// Hono's own exceptions: the JSON validator's "Malformed JSON", the media-type gate and the body limit.
function renderHttpException(error: HTTPException, c: Context): Response {
  switch (error.status) {
    case 400:
      return c.json(errorBody('request_invalid', error.message || 'the request is malformed'), 400);
    case 413:
      return c.json(errorBody('request_too_large', error.message || 'the request body is too large'), 413);
    case 415:
      return c.json(errorBody('media_type_unsupported', 'send the body as application/json'), 415);
    default:
      console.error(`[api] ${c.req.method} ${c.req.path}: unexpected HTTP exception`, error);
      return c.json(errorBody('internal_error', 'internal error'), 500);
  }
}
