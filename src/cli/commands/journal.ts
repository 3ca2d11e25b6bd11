// `ringfence journal verify` replays the hash-chained journal and compares it with stored balances and the
// ledger invariants; `ringfence journal head` prints the last committed batch. Both only read.

import { GENESIS_HASH } from '../../core/ledger/limits.ts';
import { type VerifyReport, verifyJournal } from '../../service/ledger-service.ts';
import { openStore } from '../../store/open-store.ts';
import type { LedgerStore } from '../../store/store.ts';
import { parseCommandArgs, requireOption } from '../args.ts';
import { EXIT_FAILURE, usageError } from '../cli-error.ts';
import type { CliCommand, CliIo } from '../command.ts';
import { printJson, renderFields } from '../output.ts';

const OPTIONS = { db: { type: 'string' } } as const;

/** The last committed journal batch. */
export interface JournalHead {
  readonly seq: number;
  readonly hash: string;
  readonly timestamp: string | null;
  readonly entries: number;
}

export const journalCommand: CliCommand = {
  name: 'journal',
  summary: 'Verify the hash-chained journal, or show its head',
  help: `Usage: ringfence journal verify --db <db> [--json]
       ringfence journal head --db <db> [--json]

verify  Recomputes every batch hash and chain link, re-applies every entry, compares the replayed
        balances with the stored ones and checks the ledger invariants (debits = credits per asset,
        custody = claims per pool, segregated custody >= customer claims, no negative claims).
        Exit code 0 when everything matches, 1 when something does not; the report names the first
        batch seq (and entry) that does not match.
head    Prints the last committed batch: seq, hash, time and entry count.

Both read the database directly and write nothing, so they are safe while a server runs.

Options:
  --db <db>     SQLite file or postgres:// URL
  --json        Print the report as JSON
  -h, --help    Show this help
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('journal', args, OPTIONS);
    if (values.help) {
      io.stdout(journalCommand.help);
      return 0;
    }
    const [action, ...rest] = positionals;
    if (action !== 'verify' && action !== 'head') {
      throw usageError(
        action === undefined
          ? 'missing action: journal verify or journal head'
          : `unknown action "journal ${action}"`,
        'journal',
      );
    }
    if (rest.length > 0) throw usageError(`unexpected argument "${rest[0]}"`, 'journal');
    const store = await openStore(requireOption('journal', 'db', values.db));
    try {
      if (action === 'head') {
        const head = await readHead(store);
        if (values.json) printJson(io, head);
        else
          io.stdout(
            renderFields([
              ['head seq', String(head.seq)],
              ['head hash', head.hash],
              ['committed at', head.timestamp ?? '-'],
              ['entries', String(head.entries)],
            ]),
          );
        return 0;
      }
      const report = await verifyJournal(store);
      if (values.json) printJson(io, report);
      else printReport(io, report);
      return report.ok ? 0 : EXIT_FAILURE;
    } finally {
      await store.close();
    }
  },
};

async function readHead(store: LedgerStore): Promise<JournalHead> {
  const seq = await store.readHeadSeq();
  if (seq === 0) return { seq: 0, hash: GENESIS_HASH, timestamp: null, entries: 0 };
  const [batch] = await store.readBatches(seq, seq, 1);
  if (batch === undefined) return { seq, hash: GENESIS_HASH, timestamp: null, entries: 0 };
  return {
    seq,
    hash: batch.hash,
    timestamp: new Date(batch.timestampMs).toISOString(),
    entries: batch.entries.length,
  };
}

function printReport(io: CliIo, report: VerifyReport): void {
  io.stdout(`journal verify: ${report.ok ? 'ok' : 'MISMATCH'}\n`);
  io.stdout(
    renderFields([
      ['batches verified', String(report.batches)],
      ['entries verified', String(report.entries)],
      ['verified head seq', String(report.headSeq)],
      ['verified head hash', report.headHash],
    ]),
  );
  const mismatch = report.firstMismatch;
  if (mismatch !== null) {
    const where =
      mismatch.entryIndex === null
        ? `batch ${mismatch.seq}`
        : `batch ${mismatch.seq}, entry ${mismatch.entryIndex}`;
    io.stdout(`first mismatch: ${where} (${mismatch.reason}): ${mismatch.message}\n`);
    io.stderr(`error journal_${mismatch.reason}: ${where} does not match\n`);
    return;
  }
  for (const account of report.accountMismatches) {
    io.stdout(
      `account mismatch: ${account.account} stored ${account.stored}, replayed ${account.replayed} (debits/credits posted/pending)\n`,
    );
  }
  for (const violation of report.invariantViolations)
    io.stdout(`invariant broken: ${violation.invariant} ${violation.message}\n`);
  if (report.accountMismatches.length > 0)
    io.stderr(
      `error journal_account_mismatch: ${report.accountMismatches.length} stored balances differ from the replay\n`,
    );
  else if (report.invariantViolations.length > 0)
    io.stderr(`error journal_invariant_broken: ${report.invariantViolations[0]!.invariant}\n`);
}
