// The resolution module's append-only events (store table `resolution_events`): an officer's request to freeze
// the books, a second officer's approval that pins the journal position, and each debt recovered from a
// deficit customer. The resolution is recomputed from the journal at the pinned position and these events.

import { assert } from '../../core/assert.ts';
import { decodeCanonicalJson, encodeCanonicalJson } from '../../core/canonical-json.ts';
import type { DebtRecovery } from '../../core/resolution/resolution.ts';
import type { ResolutionEventRecord } from '../../store/store.ts';

/** An officer asks to freeze the books for an insolvency resolution. */
export interface FreezeRequestedEvent {
  readonly kind: 'freeze_requested';
  readonly requestId: string;
  readonly reason: string;
  readonly requestedBy: string;
}

/** An unresolved unfavourable break of one estate when the books were frozen (it reduces the estate's property). */
export interface PinnedShortfall {
  readonly asset: string;
  readonly accountClass: string;
  readonly amountMinor: bigint;
}

/** A customer's unrealised PnL in one estate when the books were frozen (the margin engine's mark). */
export interface PinnedMark {
  readonly customerId: string;
  readonly asset: string;
  readonly accountClass: string;
  readonly unrealisedPnlMinor: bigint;
}

/** Where the books were frozen: the journal position and what the books did not hold themselves. */
export interface FreezePin {
  readonly seq: number;
  readonly headHash: string;
  /** The timestamp of the batch at `seq` (0 for an empty journal). */
  readonly batchTimestampMs: number;
  readonly frozenAtMs: number;
  /** Unresolved shortfalls per estate from the segregation module's breaks, sorted by asset and class. */
  readonly shortfalls: readonly PinnedShortfall[];
  /** Non-zero unrealised PnL per customer and estate, sorted by customer, asset and class. */
  readonly marks: readonly PinnedMark[];
}

/** A second, distinct officer approves: the ledger refuses every command from now on. */
export interface FreezeApprovedEvent {
  readonly kind: 'freeze_approved';
  readonly requestId: string;
  readonly approvedBy: string;
  readonly pin: FreezePin;
}

/** An amount a deficit customer paid back to the estate it owes; the distribution is recomputed with it. */
export interface RecoveryRecordedEvent {
  readonly kind: 'recovery_recorded';
  readonly recovery: DebtRecovery;
  /** Where the payment is evidenced (a bank reference, a transaction hash). */
  readonly reference: string;
  readonly recordedBy: string;
}

export type ResolutionEvent = FreezeRequestedEvent | FreezeApprovedEvent | RecoveryRecordedEvent;

/** Turns events into records with the next seqs, canonical bodies and one timestamp. */
export function encodeResolutionEvents(
  events: readonly ResolutionEvent[],
  afterSeq: number,
  timestampMs: number,
): ResolutionEventRecord[] {
  return events.map((event, index) => ({
    seq: afterSeq + index + 1,
    kind: event.kind,
    body: encodeCanonicalJson(event),
    timestampMs,
  }));
}

/** Decodes a stored record back into its event. */
export function decodeResolutionEvent(record: ResolutionEventRecord): ResolutionEvent {
  const event = decodeCanonicalJson<ResolutionEvent>(record.body);
  assert(
    event.kind === record.kind,
    `resolution event ${record.seq} has kind ${record.kind} in its row only`,
  );
  return event;
}
