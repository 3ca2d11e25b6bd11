// Vitest global setup: one throwaway PostgreSQL 15 cluster and one temp directory for the whole run, handed
// to tests with provide/inject (read them through test/support/stores.ts). With RINGFENCE_TEST_PG_URL set,
// that server is used instead and the schemas this run created are dropped at the end.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type PostgresCluster, startPostgresCluster } from './postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the run's PostgreSQL database; tests make a schema each (see stores.ts). */
    ringfencePostgresUrl: string;
    /** Prefix of every schema this run creates, unique per run. */
    ringfenceTestSchemaPrefix: string;
    /** Directory for SQLite files and other scratch, removed after the run. */
    ringfenceTestDirectory: string;
  }
}

/** Starts the cluster (unless RINGFENCE_TEST_PG_URL is set) and returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const directory = mkdtempSync(join(tmpdir(), 'ringfence-test-'));
  const schemaPrefix = `rf_${randomBytes(4).toString('hex')}_`;
  const externalUrl = process.env.RINGFENCE_TEST_PG_URL;
  let cluster: PostgresCluster | null = null;
  try {
    // Missing PostgreSQL binaries fail the whole run: storage tests must cover both stores.
    if (externalUrl === undefined || externalUrl === '') cluster = await startPostgresCluster();
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  const url = cluster?.url ?? externalUrl!;
  project.provide('ringfencePostgresUrl', url);
  project.provide('ringfenceTestSchemaPrefix', schemaPrefix);
  project.provide('ringfenceTestDirectory', directory);

  return async () => {
    try {
      if (cluster !== null) await cluster.stop();
      else await dropSchemas(url, schemaPrefix);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  };
}

async function dropSchemas(url: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      'SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1)',
      [prefix],
    );
    for (const { name } of rows) await client.query(`DROP SCHEMA ${name} CASCADE`);
  } finally {
    await client.end();
  }
}
