// Submitting one command through the single writer from a route: a rejection becomes an ApiError (the
// error envelope), an acceptance its journal position and whether it was a duplicate.

import { assert } from '../core/assert.ts';
import type { Command } from '../core/ledger/types.ts';
import type { LedgerService } from '../service/ledger-service.ts';
import { ApiError } from './api-error.ts';

/** What an accepted write answers: the batch it committed in, and whether it was a replay of an earlier one. */
export interface Accepted {
  readonly seq: number;
  readonly duplicate: boolean;
}

/** Submits `command` alone and resolves once durable; throws the rejection as an ApiError. */
export async function submitOneOrThrow(service: LedgerService, command: Command): Promise<Accepted> {
  const [result] = await service.submit([command]);
  assert(result !== undefined, 'the writer answers every command');
  if (!result.ok) throw ApiError.fromRejection(result.error);
  return { seq: result.seq, duplicate: result.duplicate };
}
