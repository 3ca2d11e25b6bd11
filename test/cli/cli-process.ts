// Runs the real `ringfence` executable (node bin/ringfence.mjs) as a child process, the way a user does:
// one-shot commands to completion, serving commands until a line appears, then stopped with a signal.

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli as runCliInProcess } from '../../src/cli/run-cli.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/ringfence.mjs', import.meta.url));
const WAIT_MS_MAX = 45_000;

/** What a finished command printed and how it exited. */
export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment of every child: the parent's, without RINGFENCE_* settings that would leak into tests. */
function childEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (extra.RINGFENCE_URL === undefined) delete env.RINGFENCE_URL;
  if (extra.RINGFENCE_KEY === undefined) delete env.RINGFENCE_KEY;
  return env;
}

function spawnCli(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], { cwd: REPOSITORY_ROOT, env: childEnv(env) });
}

/** Runs `ringfence ...args` to completion. */
export function runCli(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliRun> {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`ringfence ${args.join(' ')} did not finish in ${WAIT_MS_MAX} ms\n${stdout}\n${stderr}`),
      );
    }, WAIT_MS_MAX);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A serving command that is running: what it printed so far, and `stop` to signal it and wait for its exit. */
export interface RunningCli {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` (SIGINT by default) and resolves with the exit once the process has ended. */
  stop(signal?: NodeJS.Signals): Promise<CliRun>;
}

/** Starts `ringfence ...args` and resolves once stdout matches `ready`; rejects if it exits first. */
export function startCli(
  args: readonly string[],
  ready: RegExp,
  env: Readonly<Record<string, string>> = {},
): Promise<RunningCli> {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<CliRun>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const running: RunningCli = {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `ringfence ${args.join(' ')} printed no ${ready} in ${WAIT_MS_MAX} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, WAIT_MS_MAX);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (ready.test(stdout)) {
        clearTimeout(timer);
        resolve(running);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    void exited.then((run) => {
      clearTimeout(timer);
      reject(
        new Error(
          `ringfence ${args.join(' ')} exited (${run.code ?? run.signal}) before it was ready\n${run.stdout}\n${run.stderr}`,
        ),
      );
    });
  });
}

/** Runs `ringfence ...args` in this process (the CLI's dispatcher, no child) and collects what it printed. */
export async function runCliHere(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCliInProcess(args, {
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
