// Proves `ringfence journal verify` and `journal head` on seeded databases of both kinds, run as a user
// does: exit 0 on sound books; exit 1, naming the first batch that does not match, after a journal row
// is tampered with; exit 1 naming the account when a stored balance is.

import { describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../support/stores.ts';
import { runCli } from './cli-process.ts';
import { seedDatabase } from './seeded-database.ts';

const TAMPERED_SEQ = 5;

describe.each(STORE_KINDS)('ringfence journal on %s', (kind) => {
  it('verifies a sound book and prints its head', async () => {
    const seeded = await seedDatabase(kind);
    const verify = await runCli(['journal', 'verify', '--db', seeded.db]);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('journal verify: ok');
    expect(verify.stdout).toMatch(new RegExp(`verified head seq: +${seeded.summary.headSeq}\\n`));

    const json = await runCli(['journal', 'verify', '--db', seeded.db, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      batches: seeded.summary.headSeq,
      headSeq: seeded.summary.headSeq,
      firstMismatch: null,
      accountMismatches: [],
      invariantViolations: [],
    });

    const head = await runCli(['journal', 'head', '--db', seeded.db, '--json']);
    expect(head.code).toBe(0);
    expect(JSON.parse(head.stdout)).toMatchObject({
      seq: seeded.summary.headSeq,
      hash: JSON.parse(json.stdout).headHash,
    });
  });

  it('exits 1 and names the first batch that does not match after a journal entry is rewritten', async () => {
    const seeded = await seedDatabase(kind);
    const store = await seeded.reopen();
    try {
      const [batch] = await store.readBatches(TAMPERED_SEQ, TAMPERED_SEQ, 1);
      const body = batch!.entries[0]!.body;
      const tampered = body.replace(/"amountMinor":"(\d+)"/, '"amountMinor":"9$1"');
      expect(tampered).not.toBe(body);
      await store.dangerouslyTamperEntryForTest(TAMPERED_SEQ, 0, tampered);
    } finally {
      await store.close();
    }
    const verify = await runCli(['journal', 'verify', '--db', seeded.db]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('journal verify: MISMATCH');
    expect(verify.stdout).toContain(`first mismatch: batch ${TAMPERED_SEQ} (hash_mismatch)`);
    expect(verify.stderr).toContain(`error journal_hash_mismatch: batch ${TAMPERED_SEQ} does not match`);

    const json = await runCli(['journal', 'verify', '--db', seeded.db, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      batches: TAMPERED_SEQ - 1,
      headSeq: TAMPERED_SEQ - 1,
      firstMismatch: { seq: TAMPERED_SEQ, reason: 'hash_mismatch' },
    });

    // A server refuses to start on books that do not verify.
    const serve = await runCli(['serve', '--db', seeded.db, '--port', '0']);
    expect(serve.code).toBe(1);
    expect(serve.stderr).toMatch(/^error journal_corrupt: journal batch 5 does not verify/);
  });

  it('exits 1 and names the account when a stored balance differs from the replay', async () => {
    const seeded = await seedDatabase(kind);
    const account = 'cust-001:derivatives:USDC';
    const store = await seeded.reopen();
    try {
      const stored = (await store.readAccounts()).find((candidate) => candidate.id === account)!;
      await store.dangerouslyTamperAccountForTest({
        ...stored,
        creditsPostedMinor: stored.creditsPostedMinor + 1_000_000n,
      });
    } finally {
      await store.close();
    }
    const verify = await runCli(['journal', 'verify', '--db', seeded.db]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`account mismatch: ${account} stored`);
    expect(verify.stderr).toContain('error journal_account_mismatch');
  });
});
