// The resolution module's state, folded from its events: whether a freeze is requested or in force, where the
// books are pinned, and every recovered debt in the order it was recorded.

import { assert } from '../../core/assert.ts';
import type { DebtRecovery } from '../../core/resolution/resolution.ts';
import type { ResolutionEventRecord } from '../../store/store.ts';
import { decodeResolutionEvent, type FreezePin } from './resolution-events.ts';

/** Open (trading), a freeze awaiting its second officer, or frozen. */
export type ResolutionStatus = 'open' | 'freeze_requested' | 'frozen';

/** A freeze request, approved or not. */
export interface FreezeRecord {
  readonly requestId: string;
  readonly reason: string;
  readonly requestedBy: string;
  readonly requestedAtMs: number;
  /** Null until a second, distinct officer approves. */
  approval: {
    readonly approvedBy: string;
    readonly approvedAtMs: number;
    readonly pin: FreezePin;
  } | null;
}

/** A recovered debt as recorded. */
export interface RecoveryRecord {
  readonly recovery: DebtRecovery;
  readonly reference: string;
  readonly recordedBy: string;
  readonly recordedAtMs: number;
}

/** Everything the resolution service knows besides the journal. */
export class ResolutionState {
  headSeq = 0;
  freeze: FreezeRecord | null = null;
  readonly recoveries: RecoveryRecord[] = [];

  get status(): ResolutionStatus {
    if (this.freeze === null) return 'open';
    return this.freeze.approval === null ? 'freeze_requested' : 'frozen';
  }

  /** The pinned position once frozen, else null. */
  get pin(): FreezePin | null {
    return this.freeze?.approval?.pin ?? null;
  }
}

/** Applies stored records in seq order. */
export function applyResolutionEvents(
  state: ResolutionState,
  records: readonly ResolutionEventRecord[],
): void {
  for (const record of records) {
    assert(record.seq === state.headSeq + 1, 'resolution events are dense');
    const event = decodeResolutionEvent(record);
    switch (event.kind) {
      case 'freeze_requested':
        assert(state.freeze === null, 'one freeze request per book');
        state.freeze = {
          requestId: event.requestId,
          reason: event.reason,
          requestedBy: event.requestedBy,
          requestedAtMs: record.timestampMs,
          approval: null,
        };
        break;
      case 'freeze_approved':
        assert(state.freeze?.requestId === event.requestId, 'an approval names the pending request');
        assert(state.freeze.approval === null, 'a freeze is approved once');
        assert(state.freeze.requestedBy !== event.approvedBy, 'two distinct officers freeze the books');
        state.freeze.approval = {
          approvedBy: event.approvedBy,
          approvedAtMs: record.timestampMs,
          pin: event.pin,
        };
        break;
      case 'recovery_recorded':
        assert(state.status === 'frozen', 'recoveries are recorded once frozen');
        state.recoveries.push({
          recovery: event.recovery,
          reference: event.reference,
          recordedBy: event.recordedBy,
          recordedAtMs: record.timestampMs,
        });
        break;
    }
    state.headSeq = record.seq;
  }
}
