// An in-process API over a fresh ledger for the HTTP tests: the standard book from test/support/book.ts
// (funded), one key per role plus customer keys for alice and bob, a settable clock, a `call` helper
// and `expectUnchanged`, which proves a request changed neither the journal nor any balance.

import type { OpenAPIHono } from '@hono/zod-openapi';
import { expect } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import type { AppEnv } from '../../src/api/app-env.ts';
import type { Command } from '../../src/core/ledger/types.ts';
import { createApiKey } from '../../src/service/api-keys.ts';
import { LedgerService } from '../../src/service/ledger-service.ts';
import {
  bookSetupCommands,
  booksFingerprint,
  deposit,
  houseCapital,
  residualInterestDeposit,
} from '../support/book.ts';
import { openTestStore, type StoreKind, type TestStore } from '../support/stores.ts';

/** Secrets of the keys every harness creates. */
export interface HarnessKeys {
  readonly operator: string;
  readonly auditor: string;
  readonly alice: string;
  readonly bob: string;
}

/** What a request answered: its status and its parsed JSON body. */
export interface CallResult {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies dynamically.
  readonly body: any;
  readonly headers: Headers;
}

/** How `call` sends a request. */
export interface CallOptions {
  /** A key secret; omit to send no Authorization header. */
  readonly key?: string;
  /** A JSON body (serialised here). */
  readonly json?: unknown;
  /** A raw body sent as application/json, for malformed-JSON tests. */
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A fresh, funded ledger behind the app, with keys and helpers. */
export interface ApiHarness {
  readonly app: OpenAPIHono<AppEnv>;
  readonly service: LedgerService;
  readonly store: TestStore;
  readonly keys: HarnessKeys;
  /** The service's clock in ms; tests move it forward to expire holds. */
  nowMs: number;
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  /** Runs `action` and asserts the journal head and every balance (in memory and in storage) are unchanged. */
  expectUnchanged(action: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** Funding of the standard book: house capital, residual interest, and deposits for alice and bob. */
export const FUNDING: readonly Command[] = [
  houseCapital('BTC', 10_00000000n),
  residualInterestDeposit('derivatives', 'BTC', 1_00000000n),
  deposit('alice', 'derivatives', 'BTC', 2_00000000n),
  deposit('bob', 'derivatives', 'BTC', 3_00000000n),
  deposit('alice', 'spot', 'USDC', 1000_000000n),
];

/** Opens a store of `kind`, sets up and funds the standard book, and creates the keys. */
export async function openApiHarness(kind: StoreKind): Promise<ApiHarness> {
  const store = await openTestStore(kind);
  const harness = {
    nowMs: Date.parse('2030-01-01T00:00:00Z'),
  } as ApiHarness;
  const service = await LedgerService.open(store, { clock: () => harness.nowMs });
  for (const commands of [bookSetupCommands(), [...FUNDING]]) {
    const results = await service.submit(commands);
    for (const result of results) if (!result.ok) throw new Error(`setup rejected: ${result.error.code}`);
  }
  const keys: HarnessKeys = {
    operator: (await createApiKey(store, 'operator', null)).secret,
    auditor: (await createApiKey(store, 'auditor', null)).secret,
    alice: (await createApiKey(store, 'customer', 'alice')).secret,
    bob: (await createApiKey(store, 'customer', 'bob')).secret,
  };
  const app = createApp(service);
  const call = async (method: string, path: string, options: CallOptions = {}): Promise<CallResult> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
    let body: string | undefined;
    if (options.json !== undefined || options.raw !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = options.raw ?? JSON.stringify(options.json);
    }
    const response = await app.request(
      path,
      body === undefined ? { method, headers } : { method, headers, body },
    );
    const text = await response.text();
    return {
      status: response.status,
      body: text.length > 0 ? JSON.parse(text) : null,
      headers: response.headers,
    };
  };
  const fingerprint = async (): Promise<string> => {
    const books = await service.read(booksFingerprint);
    const storedHeadSeq = await store.readHeadSeq();
    const storedAccounts = await store.readAccounts();
    return JSON.stringify({ books, storedHeadSeq, storedAccounts }, (_key, value) =>
      typeof value === 'bigint' ? value.toString() : value,
    );
  };
  return Object.assign(harness, {
    app,
    service,
    store,
    keys,
    call,
    async expectUnchanged(action: () => Promise<void>) {
      const before = await fingerprint();
      await action();
      expect(await fingerprint()).toBe(before);
    },
    close: () => service.close(),
  });
}

let idCounter = 0;
/** A fresh transfer id in engine form, unique within the test process (distinct from book.ts ids). */
export function newId(): string {
  idCounter += 1;
  return `a${idCounter.toString(16).padStart(31, '0')}`;
}
