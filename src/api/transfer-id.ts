// Transfer, post and void ids on the wire: 32 hex digits, or a UUID with dashes; both become the
// engine's form, 32 lower-case hex digits, so either spelling names the same id.

import { z } from '@hono/zod-openapi';
import { ApiError } from './api-error.ts';

const HEX_ID_PATTERN = /^[0-9a-fA-F]{32}$/;
const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The schema of an id field; the format is checked by `normaliseTransferId` so it answers transfer_id_invalid. */
export const TransferIdSchema = z.string().openapi({
  description: '128-bit id: 32 hex digits, or a UUID with dashes (normalised to 32 lower-case hex digits)',
  example: '0192f3a4b5c6d7e8f90123456789abcd',
});

/** The engine form of `text`, or null when it is neither 32 hex digits nor a dashed UUID. */
export function normaliseTransferId(text: string): string | null {
  if (HEX_ID_PATTERN.test(text)) return text.toLowerCase();
  if (UUID_PATTERN.test(text)) return text.replaceAll('-', '').toLowerCase();
  return null;
}

/** `normaliseTransferId`, throwing 400 `transfer_id_invalid` for anything else. */
export function normaliseTransferIdOrThrow(text: string, field: string): string {
  const id = normaliseTransferId(text);
  if (id === null) {
    throw new ApiError('transfer_id_invalid', `${field} must be 32 hex digits or a UUID`, { field });
  }
  return id;
}
