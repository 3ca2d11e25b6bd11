// Proves the command line's surface as a user meets it: the program's help, each command's help, and
// that an unknown command or option is a usage error (exit 2) naming the code usage_invalid.

import { describe, expect, it } from 'vitest';
import { runCli } from './cli-process.ts';

const COMMANDS = [
  'demo',
  'serve',
  'keys',
  'balances',
  'accounts',
  'pools',
  'holds',
  'transfer',
  'withdrawals',
  'custody',
  'segregation',
  'resolution',
  'journal',
];

describe('ringfence --help', () => {
  it('lists every command and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: ringfence <command> [options]');
    for (const command of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it.each(COMMANDS)('prints the help of %s', async (command) => {
    const run = await runCli([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: ringfence ${command}`));
    expect(run.stdout).toContain('--json');
  });

  it('refuses an unknown command with exit code 2', async () => {
    const run = await runCli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error usage_invalid: unknown command "frobnicate"');
  });

  it('refuses an unknown option as JSON on stdout with --json', async () => {
    const run = await runCli(['pools', '--frob', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'usage_invalid' } });
  });

  it('needs an API key for server reads', async () => {
    const run = await runCli(['balances', '--url', 'http://127.0.0.1:9']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('RINGFENCE_KEY');
  });

  it('reports an unreachable server as server_unreachable', async () => {
    const run = await runCli(['pools', '--url', 'http://127.0.0.1:9', '--key', 'rf_x']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error server_unreachable: cannot reach http:\/\/127\.0\.0\.1:9/);
  });
});
