// The test-only escape hatch both stores implement: rewrite history past the append-only triggers, so tests
// can prove that verify detects tampering. Nothing outside tests may call these methods.

import type { AccountBalance } from '../core/ledger/types.ts';

/** Methods that bypass the append-only guards in one transaction and restore them before it commits. */
export interface TamperForTest {
  /** Overwrites the body of journal entry (seq, idx); throws when no such entry exists. */
  dangerouslyTamperEntryForTest(seq: number, idx: number, body: string): Promise<void>;
  /** Overwrites the stored hash of batch `seq`; throws when no such batch exists. */
  dangerouslyTamperBatchHashForTest(seq: number, hash: string): Promise<void>;
  /** Overwrites the four balance columns of one materialised account; throws when it does not exist. */
  dangerouslyTamperAccountForTest(balance: AccountBalance): Promise<void>;
}
