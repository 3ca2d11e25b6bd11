// Reads the static attributes of accounts opened in a batch from their `open_account` journal entries.
// `CommittedBatch.balances` carries balances only, so the journal (the source of truth) supplies the rest.

import { assert } from '../core/assert.ts';
import { decodeEntry } from '../core/ledger/codec.ts';
import type { OpenAccountCommand, StoredEntry } from '../core/ledger/types.ts';

/** Decodes every `open_account` entry of the batch, in journal order. */
export function readOpenedAccounts(entries: readonly StoredEntry[]): OpenAccountCommand[] {
  const opened: OpenAccountCommand[] = [];
  for (const entry of entries) {
    if (entry.type !== 'open_account') continue;
    const decoded = decodeEntry(entry.body);
    assert(decoded.type === 'open_account', 'an open_account entry must hold an open_account body');
    opened.push(decoded);
  }
  return opened;
}
