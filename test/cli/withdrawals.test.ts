// Proves `ringfence withdrawals` and `ringfence custody plan` as a user drives them, against a real HTTP
// server (startServer with custody on port 0, a withdrawal service over a fake chain executor) on both
// stores: the CLI's own dispatcher runs in-process with captured output, exit codes and --json.

import { sign } from 'viem/accounts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/api/server.ts';
import { runCli } from '../../src/cli/run-cli.ts';
import { type ApiHarness, openApiHarness } from '../api/harness.ts';
import { parties, type TestParty } from '../support/custody-core.ts';
import { STORE_KINDS } from '../support/stores.ts';
import { ALLOWED_DESTINATION, OTHER_DESTINATION, VAULT_ID } from '../support/withdrawals.ts';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe.each(STORE_KINDS)('ringfence withdrawals and custody plan on %s', (kind) => {
  let api: ApiHarness;
  let server: RunningServer;
  beforeEach(async () => {
    api = await openApiHarness(kind, { custody: true });
    if (api.custody === null) throw new Error('custody harness');
    server = await startServer({ service: api.service, port: 0, custody: api.custody });
  });
  afterEach(async () => {
    await server.close();
    await api.close();
  });

  async function cli(args: readonly string[], key = api.keys.operator): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const code = await runCli([...args, '--url', server.url, '--key', key], {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      env: {},
    });
    return { code, stdout, stderr };
  }
  // biome-ignore lint/suspicious/noExplicitAny: tests read the printed JSON dynamically.
  async function json(args: readonly string[], key?: string): Promise<any> {
    const run = await cli([...args, '--json'], key);
    expect(run.code, `${args.join(' ')}: ${run.stdout}${run.stderr}`).toBe(0);
    return JSON.parse(run.stdout);
  }
  const signDigest = (digest: string, who: TestParty) =>
    sign({ hash: digest as `0x${string}`, privateKey: who.key, to: 'hex' });
  const requestArgs = (extra: string[] = []) => [
    'withdrawals',
    'request',
    '--vault',
    VAULT_ID,
    '--asset',
    'BTC',
    '--amount',
    '0.25',
    '--destination',
    ALLOWED_DESTINATION,
    '--expires-at',
    new Date(api.nowMs + 3_600_000).toISOString(),
    ...extra,
  ];

  it('requests, shows, approves, executes and lists a withdrawal', async () => {
    const requested = await json(requestArgs(), api.keys.alice);
    expect(requested.duplicate).toBe(false);
    const view = requested.withdrawal;
    expect(view).toMatchObject({ state: 'awaiting_approvals', customerId: 'alice', amount: '0.25' });

    const shown = await cli(['withdrawals', 'show', view.requestId], api.keys.alice);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^state: +awaiting_approvals$/m);
    expect(shown.stdout).toMatch(/^matched rule: +2 allowlisted: /m);
    expect(shown.stdout).toMatch(/^missing approvals: +1 from customer, 1 from trustee$/m);
    expect(shown.stdout).toMatch(new RegExp(`^digest to sign: +${view.digest}$`, 'm'));

    const approved = await cli([
      'withdrawals',
      'approve',
      view.requestId,
      '--signature',
      await signDigest(view.digest, parties.alice),
      '--signature',
      await signDigest(view.digest, parties.trustee),
    ]);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toMatch(/^state: +approved$/m);
    expect(approved.stdout).toMatch(/^SIGNER +ROLE +LABEL$/m);

    const executed = await json(['withdrawals', 'execute', view.requestId]);
    expect(executed.withdrawal.state).toBe('executed');
    const table = await cli(['withdrawals', 'list', '--state', 'executed']);
    expect(table.stdout).toMatch(/^REQUEST +CUSTOMER +VAULT +AMOUNT +STATE +DESTINATION$/m);
    expect(table.stdout).toContain(`${view.requestId}  alice`);
    expect((await json(['withdrawals', 'list', '--customer', 'alice'])).withdrawals).toHaveLength(1);
  });

  it('prints refusals with their codes and exit 1, usage errors with exit 2', async () => {
    const refused = await cli(requestArgs(['--customer', 'alice', '--nonce', '9']));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error withdrawal_nonce_mismatch: /);
    expect(refused.stderr).toContain('status: 422');

    const denied = await json(requestArgs(['--destination', OTHER_DESTINATION]), api.keys.alice);
    expect(denied.withdrawal.decision.code).toBe('policy_rule_denied');
    const noQuorum = await cli(['withdrawals', 'execute', denied.withdrawal.requestId, '--json']);
    expect(noQuorum.code).toBe(1);
    expect(JSON.parse(noQuorum.stdout)).toMatchObject({ error: { code: 'withdrawal_not_approved' } });

    const pending = await json(requestArgs(), api.keys.alice);
    const platformOnly = await cli([
      'withdrawals',
      'approve',
      pending.withdrawal.requestId,
      '--signature',
      await signDigest(pending.withdrawal.digest, parties.platform1),
    ]);
    expect(platformOnly.stderr).toMatch(/^error signature_wrong_signer: /);
    const cancelled = await json(['withdrawals', 'cancel', pending.withdrawal.requestId], api.keys.alice);
    expect(cancelled.withdrawal.state).toBe('cancelled');

    for (const args of [
      ['withdrawals'],
      ['withdrawals', 'frob'],
      ['withdrawals', 'show'],
      ['withdrawals', 'approve', pending.withdrawal.requestId],
      ['withdrawals', 'request', '--vault', VAULT_ID],
      ['custody'],
    ]) {
      const run = await cli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^error usage_invalid: /);
    }
  });

  it('prints the hot-wallet plan', async () => {
    const plan = await json(['custody', 'plan']);
    expect(plan.instructions[0]).toMatchObject({ asset: 'BTC', direction: 'cold_to_hot', amount: '0.1' });
    const table = await cli(['custody', 'plan', '--cap-bps', '100', '--floor-bps', '10']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Hot-wallet plan as of journal seq \d+: cap 100 bps, floor 10 bps$/m);
    expect(table.stdout).toMatch(/^BTC +cold to hot +0\.05 +0\.05$/m);
    const refused = await cli(['custody', 'plan', '--cap-bps', '20000']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error hot_wallet_cap_bps_invalid: /);
    const customer = await cli(['custody', 'plan'], api.keys.alice);
    expect(customer.stderr).toMatch(/^error forbidden_role: /);
  });
});
