// The HTTP layer's carrier for a rejection: route handlers throw it to end the request, and the app's
// error handler renders it as the error envelope with the status from the error table.

import type { Rejection } from '../core/ledger/types.ts';

/** Details of an error response: the rule's own details, or the schema issues of an invalid request. */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/** A rejection on its way to becoming an error response (never an infrastructure failure). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: string,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
  }

  /** The ApiError of a ledger or amount rejection, keeping its code, message and details. */
  static fromRejection(rejection: Rejection): ApiError {
    return new ApiError(rejection.code, rejection.message, rejection.details);
  }
}

/** Throws the rejection as an ApiError when `result` failed; otherwise returns its success branch. */
export function okOrThrow<T extends { ok: true }>(result: T | { ok: false; error: Rejection }): T {
  if (!result.ok) throw ApiError.fromRejection(result.error);
  return result;
}
