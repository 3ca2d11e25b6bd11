// Packs a committed batch into a few flat strings for the trip to the SQLite worker thread: cloning three
// long strings costs the writer thread a third of what cloning thousands of small objects does.

import { assert } from '../core/assert.ts';
import type { CommittedBatch, StoredEntry } from '../core/ledger/types.ts';
import type { BalanceText, TextBatch } from './sqlite-store.ts';

/** A batch as posted to the worker. Entry bodies are canonical JSON, which never contains a raw newline. */
export interface PackedBatch {
  readonly seq: number;
  readonly timestampMs: number;
  readonly prevHash: string;
  readonly hash: string;
  /** One line per entry: type, space, id (or '-'). */
  readonly heads: string;
  readonly bodies: string;
  /** One line per account: id dp cp dpe cpe (account ids contain no spaces). */
  readonly balances: string;
}

/** Flattens the batch for postMessage. */
export function packBatch(batch: CommittedBatch): PackedBatch {
  let heads = '';
  let bodies = '';
  for (let i = 0; i < batch.entries.length; i += 1) {
    const entry = batch.entries[i]!;
    const separator = i === 0 ? '' : '\n';
    heads += `${separator}${entry.type} ${entry.id ?? '-'}`;
    bodies += separator + entry.body;
  }
  let balances = '';
  for (let i = 0; i < batch.balances.length; i += 1) {
    const b = batch.balances[i]!;
    balances += `${i === 0 ? '' : '\n'}${b.id} ${b.debitsPostedMinor} ${b.creditsPostedMinor} ${b.debitsPendingMinor} ${b.creditsPendingMinor}`;
  }
  return {
    seq: batch.seq,
    timestampMs: batch.timestampMs,
    prevHash: batch.prevHash,
    hash: batch.hash,
    heads,
    bodies,
    balances,
  };
}

/** Rebuilds the batch in the worker, balances as the text SQLite stores. */
export function unpackBatch(packed: PackedBatch): TextBatch {
  // Every head is non-empty, so an empty string means a batch with no entries.
  const heads = packed.heads.length === 0 ? [] : packed.heads.split('\n');
  const bodies = packed.heads.length === 0 ? [] : packed.bodies.split('\n');
  assert(heads.length === bodies.length, 'packed batch has one head per body');
  const entries: StoredEntry[] = heads.map((head, index) => {
    const space = head.indexOf(' ');
    const id = head.slice(space + 1);
    return {
      type: head.slice(0, space) as StoredEntry['type'],
      id: id === '-' ? null : id,
      body: bodies[index]!,
    };
  });
  const balances: BalanceText[] =
    packed.balances.length === 0
      ? []
      : packed.balances.split('\n').map((line) => {
          const [id, debitsPosted, creditsPosted, debitsPending, creditsPending] = line.split(' ');
          return {
            id: id!,
            debitsPosted: debitsPosted!,
            creditsPosted: creditsPosted!,
            debitsPending: debitsPending!,
            creditsPending: creditsPending!,
          };
        });
  return {
    seq: packed.seq,
    timestampMs: packed.timestampMs,
    prevHash: packed.prevHash,
    hash: packed.hash,
    entries,
    balances,
  };
}
