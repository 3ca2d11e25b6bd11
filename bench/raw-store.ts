// The raw store baseline: commits the rows the engine would write for N two-leg transfers (canonical JSON
// bodies, touched-account balances, dummy hashes) straight through `store.commit`, with no validation or
// hashing, and times the commits. It bounds from above what the full ledger can reach on that store.

import { performance } from 'node:perf_hooks';
import type { AccountBalance, CommittedBatch, StoredEntry } from '../src/core/ledger/types.ts';
import type { LedgerStore } from '../src/store/store.ts';
import { xorshift32 } from './support.ts';

export interface RawStoreBaselineOptions {
  /** Transfers to commit in total (each one leg: one debit and one credit). */
  readonly transfers: number;
  /** Transfers per committed batch. */
  readonly batchTransfers: number;
  /** Accounts opened before timing starts; transfers pick debit and credit among them. */
  readonly accounts: number;
  /** Seed of the deterministic generator of ids, accounts and amounts. */
  readonly seed?: number;
}

export interface RawStoreBaselineResult {
  readonly store: LedgerStore['kind'];
  readonly transfers: number;
  readonly batches: number;
  readonly batchTransfers: number;
  readonly accounts: number;
  /** Time spent inside `store.commit` for the transfer batches. */
  readonly commitMs: number;
  /** Wall time of the transfer phase, generating the rows included. */
  readonly elapsedMs: number;
  /** transfers / commitMs. */
  readonly transfersPerSecond: number;
}

const ASSET = 'USDC';
const ACCOUNT_CLASS = 'derivatives';
const AMOUNT_MINOR_MAX = 1_000_000;

/**
 * Opens `accounts` accounts in one untimed batch, then commits `transfers` transfers in batches of
 * `batchTransfers` and returns the commit throughput. The store must be migrated; it may hold earlier runs.
 */
export async function runRawStoreBaseline(
  store: LedgerStore,
  options: RawStoreBaselineOptions,
): Promise<RawStoreBaselineResult> {
  const { transfers, batchTransfers, accounts } = options;
  if (!(Number.isInteger(transfers) && transfers > 0))
    throw new RangeError('transfers must be a positive integer');
  if (!(Number.isInteger(batchTransfers) && batchTransfers > 0)) {
    throw new RangeError('batchTransfers must be a positive integer');
  }
  if (!(Number.isInteger(accounts) && accounts >= 2))
    throw new RangeError('accounts must be an integer >= 2');
  const random = xorshift32(options.seed ?? 1);

  const head = await store.readHeadSeq();
  const chain = { seq: head, hash: head === 0 ? dummyHash(0) : await readHeadHash(store, head) };
  // Distinct account ids per run, so a run can follow another in the same store.
  const prefix = `raw${head}-`;
  const accountIds = Array.from({ length: accounts }, (_, i) => `${prefix}acc-${i}`);
  await store.commit(nextBatch(chain, openAccountEntries(prefix, accountIds), []), []);

  const debits = new Array<bigint>(accounts).fill(0n);
  const credits = new Array<bigint>(accounts).fill(0n);
  const touchedStamp = new Int32Array(accounts);
  let commitMs = 0;
  let batches = 0;
  let transferNumber = 0;
  const started = performance.now();
  for (let done = 0; done < transfers; done += batchTransfers) {
    const size = Math.min(batchTransfers, transfers - done);
    batches++;
    const entries: StoredEntry[] = new Array(size);
    const touched: number[] = [];
    for (let i = 0; i < size; i++) {
      const debit = random() % accounts;
      let credit = random() % accounts;
      if (credit === debit) credit = (credit + 1) % accounts;
      const amountMinor = BigInt(1 + (random() % AMOUNT_MINOR_MAX));
      const id = randomHex128(random);
      transferNumber++;
      entries[i] = {
        id,
        type: 'transfer',
        body: `{"type":"transfer","id":"${id}","kind":"trade_settlement","reference":"fill-${transferNumber}","instructedBy":null,"legs":[{"debit":"${accountIds[debit]}","credit":"${accountIds[credit]}","asset":"${ASSET}","amountMinor":"${amountMinor}"}],"holdExpiresAtMs":null}`,
      };
      debits[debit]! += amountMinor;
      credits[credit]! += amountMinor;
      if (touchedStamp[debit] !== batches) {
        touchedStamp[debit] = batches;
        touched.push(debit);
      }
      if (touchedStamp[credit] !== batches) {
        touchedStamp[credit] = batches;
        touched.push(credit);
      }
    }
    const balances: AccountBalance[] = touched.map((account) => ({
      id: accountIds[account]!,
      debitsPostedMinor: debits[account]!,
      creditsPostedMinor: credits[account]!,
      debitsPendingMinor: 0n,
      creditsPendingMinor: 0n,
    }));
    const batch = nextBatch(chain, entries, balances);
    const commitStarted = performance.now();
    await store.commit(batch, []);
    commitMs += performance.now() - commitStarted;
  }
  const elapsedMs = performance.now() - started;
  return {
    store: store.kind,
    transfers,
    batches,
    batchTransfers,
    accounts,
    commitMs,
    elapsedMs,
    transfersPerSecond: (transfers * 1000) / commitMs,
  };
}

/**
 * The registry entries an engine writes before it can post: the asset, the class, customers, accounts
 * (the engine stores registry entries with a null id, as here).
 */
function openAccountEntries(prefix: string, accountIds: readonly string[]): StoredEntry[] {
  const entries: StoredEntry[] = [
    { id: null, type: 'register_asset', body: `{"type":"register_asset","code":"${ASSET}","scale":6}` },
    { id: null, type: 'add_account_class', body: `{"type":"add_account_class","code":"${ACCOUNT_CLASS}"}` },
  ];
  accountIds.forEach((accountId, i) => {
    const customerId = `${prefix}cust-${i}`;
    entries.push({
      id: null,
      type: 'create_customer',
      body: `{"type":"create_customer","id":"${customerId}","name":"Customer ${i}"}`,
    });
    entries.push({
      id: null,
      type: 'open_account',
      body: `{"type":"open_account","id":"${accountId}","owner":{"type":"customer","customerId":"${customerId}"},"asset":"${ASSET}","segregationClass":"customer_collateral","accountClass":"${ACCOUNT_CLASS}","vaultId":null}`,
    });
  });
  return entries;
}

/** The next batch of the dummy hash chain (hash of seq n is n in hex), advancing `chain`. */
function nextBatch(
  chain: { seq: number; hash: string },
  entries: readonly StoredEntry[],
  balances: readonly AccountBalance[],
): CommittedBatch {
  const seq = chain.seq + 1;
  const batch: CommittedBatch = {
    seq,
    timestampMs: Date.now(),
    prevHash: chain.hash,
    hash: dummyHash(seq),
    entries,
    balances,
  };
  chain.seq = seq;
  chain.hash = batch.hash;
  return batch;
}

async function readHeadHash(store: LedgerStore, head: number): Promise<string> {
  const [batch] = await store.readBatches(head, head, 1);
  if (batch === undefined) throw new Error(`head batch ${head} is missing`);
  return batch.hash;
}

function dummyHash(seq: number): string {
  return seq.toString(16).padStart(64, '0');
}

function randomHex128(random: () => number): string {
  let hex = '';
  for (let i = 0; i < 4; i++) hex += random().toString(16).padStart(8, '0');
  return hex;
}
