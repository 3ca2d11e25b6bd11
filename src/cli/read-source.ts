// The read commands ask either a running server (--url/--key) or the database itself (--db, read-only).

import { usageError } from './cli-error.ts';
import type { CliIo } from './command.ts';
import { SERVER_OPTIONS, type ServerTarget, serverTarget } from './http-client.ts';

/** Options of a command that reads from a server or, with --db, from the database directly. */
export const READ_SOURCE_OPTIONS = { ...SERVER_OPTIONS, db: { type: 'string' } } as const;

/** Where a read command reads from. */
export type ReadSource =
  | { readonly type: 'database'; readonly db: string }
  | { readonly type: 'server'; readonly target: ServerTarget };

/** --db wins; otherwise the server from --url/--key or the environment. Both at once is a usage error. */
export function readSource(
  command: string,
  io: CliIo,
  values: { db?: string | undefined; url?: string | undefined; key?: string | undefined },
): ReadSource {
  if (values.db !== undefined) {
    if (values.url !== undefined || values.key !== undefined)
      throw usageError('pass either --db or --url/--key, not both', command);
    return { type: 'database', db: values.db };
  }
  return { type: 'server', target: serverTarget(command, io, values) };
}

/** The help lines of the read-source options. */
export const READ_SOURCE_HELP = `  --url <url>     Server to ask (default $RINGFENCE_URL or http://127.0.0.1:8080)
  --key <secret>  API key (default $RINGFENCE_KEY)
  --db <db>       Read the database directly instead (SQLite file or postgres:// URL; read-only)`;
