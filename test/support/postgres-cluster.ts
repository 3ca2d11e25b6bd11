// Starts a throwaway PostgreSQL 15 cluster on a free loopback port for tests and benchmarks, and removes it.
// initdb and postgres refuse to run as root, so as root the binaries run as the `postgres` user (runuser).

import { execFile } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const execFileAsync = promisify(execFile);

/** A running throwaway cluster; `url` points at its database `ringfence`. */
export interface PostgresCluster {
  readonly url: string;
  /** The server's data and socket directory, removed by `stop()`. */
  readonly directory: string;
  stop(): Promise<void>;
}

/** PostgreSQL could not be found, initialised or started. */
export class PostgresClusterError extends Error {
  override name = 'PostgresClusterError';
}

const MAJOR_VERSION = 15;
const DATABASE_NAME = 'ringfence';
const START_ATTEMPTS_MAX = 3;

/** Finds the PostgreSQL 15 binaries, initialises a cluster in a temp dir and starts it (fsync on). */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bindir = await findBinDirectory();
  const asRoot = process.getuid?.() === 0;
  const directory = mkdtempSync(join(tmpdir(), 'ringfence-pg-'));
  const dataDirectory = join(directory, 'data');
  const run = async (binary: string, args: readonly string[]) => {
    const file = join(bindir, binary);
    // As root, hand the directory to the postgres user and run every binary as that user.
    const [command, commandArgs] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', file, ...args]]
      : [file, args];
    try {
      return await execFileAsync(command, commandArgs, { cwd: directory });
    } catch (error) {
      throw new PostgresClusterError(`${binary} failed: ${describeExecError(error)}`, { cause: error });
    }
  };
  try {
    if (asRoot) {
      const { uid, gid } = await postgresUser();
      chownSync(directory, uid, gid);
    }
    // initdb's own fsync is skipped (a test cluster need not survive a crash during setup); the server runs
    // with fsync=on so commit timings are durable ones.
    await run('initdb', [
      '-D',
      dataDirectory,
      '--auth=trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    let lastError: unknown;
    for (let attempt = 0; attempt < START_ATTEMPTS_MAX; attempt++) {
      const port = await findFreePort();
      const options = [
        '-c listen_addresses=127.0.0.1',
        `-c port=${port}`,
        `-c unix_socket_directories=${directory}`,
        '-c fsync=on',
        '-c synchronous_commit=on',
        // Every test opens its own pool; leave room for parallel test files.
        '-c max_connections=200',
      ].join(' ');
      try {
        await run('pg_ctl', [
          '-D',
          dataDirectory,
          '-l',
          join(directory, 'server.log'),
          '-w',
          '-o',
          options,
          'start',
        ]);
      } catch (error) {
        // Another process may have taken the port between the probe and the start: try a new one.
        lastError = error;
        continue;
      }
      const stop = () => stopCluster(run, dataDirectory, directory);
      try {
        await createDatabase(port);
      } catch (error) {
        await stop();
        throw error;
      }
      return { url: `postgresql://postgres@127.0.0.1:${port}/${DATABASE_NAME}`, directory, stop };
    }
    throw new PostgresClusterError(`could not start PostgreSQL after ${START_ATTEMPTS_MAX} attempts`, {
      cause: lastError,
    });
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}

async function stopCluster(
  run: (binary: string, args: readonly string[]) => Promise<unknown>,
  dataDirectory: string,
  directory: string,
): Promise<void> {
  try {
    await run('pg_ctl', ['-D', dataDirectory, '-m', 'fast', '-w', 'stop']);
  } catch (error) {
    // pg_ctl could not stop it: signal the postmaster by the pid it recorded, so no server outlives the run.
    const pid = readPostmasterPid(dataDirectory);
    if (pid === null) throw error;
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      // Already gone.
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function readPostmasterPid(dataDirectory: string): number | null {
  try {
    const pid = Number.parseInt(
      readFileSync(join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '',
      10,
    );
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function createDatabase(port: number): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
}

/** /usr/lib/postgresql/15/bin, else `pg_config --bindir`, else the directory of `initdb` on PATH. */
async function findBinDirectory(): Promise<string> {
  const candidates: string[] = [`/usr/lib/postgresql/${MAJOR_VERSION}/bin`];
  try {
    const { stdout } = await execFileAsync('pg_config', ['--bindir']);
    candidates.push(stdout.trim());
  } catch {
    // No pg_config on PATH; fall through to searching PATH itself.
  }
  candidates.push(...(process.env.PATH ?? '').split(delimiter).filter((entry) => entry.length > 0));
  for (const candidate of candidates) {
    if (isExecutable(join(candidate, 'initdb')) && isExecutable(join(candidate, 'pg_ctl'))) return candidate;
  }
  throw new PostgresClusterError(
    'PostgreSQL binaries (initdb, pg_ctl) not found: install postgresql-15 (apt-get install -y postgresql-15) ' +
      'or set RINGFENCE_TEST_PG_URL to an existing server.',
  );
}

function isExecutable(path: string): boolean {
  if (!existsSync(path)) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', 'postgres']),
      execFileAsync('id', ['-g', 'postgres']),
    ]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch (error) {
    throw new PostgresClusterError('running as root but there is no `postgres` user to run PostgreSQL as', {
      cause: error,
    });
  }
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new PostgresClusterError('could not find a free port'));
      });
    });
  });
}

function describeExecError(error: unknown): string {
  if (error !== null && typeof error === 'object' && 'stderr' in error) {
    const stderr = String((error as { stderr: unknown }).stderr).trim();
    if (stderr.length > 0) return stderr.split('\n').slice(-3).join(' | ');
  }
  return error instanceof Error ? error.message : String(error);
}
