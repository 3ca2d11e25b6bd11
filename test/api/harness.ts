// An in-process API over a fresh ledger for the HTTP tests: the standard book from test/support/book.ts
// (funded), one key per role plus customer keys for alice and bob, a settable clock, a `call` helper
// and `expectUnchanged`, which proves a request changed neither the journal nor any balance. With
// `custody: true` it also serves a withdrawal service over a fake chain executor and the real trustee
// co-signer (the fixture parties' signers, the standard policy on vault:derivatives, one allowlisted address).
// With `segregation` it serves the segregation service on the harness clock (and a chain adapter, if given);
// with `reserves` it serves the proof-of-reserves services the test builds over the harness ledger; with
// `resolution` it serves the resolution service (reading the segregation service's breaks, if served).

import type { OpenAPIHono } from '@hono/zod-openapi';
import { expect } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import type { AppEnv } from '../../src/api/app-env.ts';
import type { CustodyApiServices } from '../../src/api/custody-services.ts';
import type { ReservesApiServices } from '../../src/api/routes/reserves-routes.ts';
import type { ResolutionApiServices } from '../../src/api/routes/resolution-routes.ts';
import type { SegregationApiServices } from '../../src/api/segregation-services.ts';
import type { ChainAdapter } from '../../src/chain/chain-adapter.ts';
import type { Command } from '../../src/core/ledger/types.ts';
import { createApiKey } from '../../src/service/api-keys.ts';
import { TrusteeCosigner } from '../../src/service/custody/trustee-cosigner.ts';
import { WithdrawalService } from '../../src/service/custody/withdrawal-service.ts';
import { LedgerService } from '../../src/service/ledger-service.ts';
import { ResolutionService } from '../../src/service/resolution/resolution-service.ts';
import { SegregationService } from '../../src/service/segregation/segregation-service.ts';
import {
  bookSetupCommands,
  booksFingerprint,
  deposit,
  houseCapital,
  residualInterestDeposit,
} from '../support/book.ts';
import { PLATFORM_PARTY_ID, parties } from '../support/custody-core.ts';
import { openTestStore, type StoreKind, type TestStore } from '../support/stores.ts';
import {
  ALLOWED_DESTINATION,
  FakeExecutor,
  keySigner,
  standardPolicy,
  VAULT_ID,
} from '../support/withdrawals.ts';

/** Secrets of the keys every harness creates. */
export interface HarnessKeys {
  readonly operator: string;
  readonly auditor: string;
  readonly alice: string;
  readonly bob: string;
  /** Two officers: residual-interest withdrawals need two distinct officer approvals. */
  readonly officer: string;
  readonly officer2: string;
}

/** What a request answered: its status and its parsed JSON body (the text itself for text/* responses). */
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

/** The custody side of a harness opened with `custody: true`. */
export interface CustodyHarness extends CustodyApiServices {
  readonly executor: FakeExecutor;
  readonly trustee: TrusteeCosigner;
}

/** How `openApiHarness` builds the app. */
export interface ApiHarnessOptions {
  /** Serve the custody routes over a withdrawal service with a fake executor. */
  readonly custody?: boolean;
  /** Replaces the fake executor (e.g. one whose chain is down). */
  readonly executor?: FakeExecutor;
  /** Extra custody services (deposit crediting) to serve. */
  readonly deposits?: CustodyApiServices['deposits'];
  /** Serve the segregation routes; `{ chain }` adds a chain adapter for chain reconciliation. */
  readonly segregation?: boolean | { readonly chain: ChainAdapter | null };
  /** Serve the reserves routes over what this builds on the harness ledger. */
  readonly reserves?: (ledger: LedgerService) => Promise<ReservesApiServices>;
  /** Serve the resolution routes (the freeze installs itself on the harness ledger). */
  readonly resolution?: boolean;
}

/** The firm the harness's segregation services name on documents. */
export const HARNESS_FIRM_NAME = 'Harness Futures LLC';

/** A fresh, funded ledger behind the app, with keys and helpers. */
export interface ApiHarness {
  readonly app: OpenAPIHono<AppEnv>;
  readonly service: LedgerService;
  readonly store: TestStore;
  readonly keys: HarnessKeys;
  /** The id of each key (what the API records as `by`, `resolvedBy`, an approving officer). */
  readonly keyIds: Readonly<Record<keyof HarnessKeys, string>>;
  /** The custody services, when opened with `custody: true`. */
  readonly custody: CustodyHarness | null;
  /** The segregation services, when opened with `segregation`. */
  readonly segregation: SegregationApiServices | null;
  /** The resolution services, when opened with `resolution: true`. */
  readonly resolution: ResolutionApiServices | null;
  /** The service's clock in ms; tests move it forward to expire holds. */
  nowMs: number;
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  /** Runs `action` and asserts the journal head, every balance (in memory and in storage) and the custody and segregation events are unchanged. */
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
export async function openApiHarness(kind: StoreKind, options: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const store = await openTestStore(kind);
  const harness = {
    nowMs: Date.parse('2030-01-01T00:00:00Z'),
  } as ApiHarness;
  const service = await LedgerService.open(store, { clock: () => harness.nowMs });
  for (const commands of [bookSetupCommands(), [...FUNDING]]) {
    const results = await service.submit(commands);
    for (const result of results) if (!result.ok) throw new Error(`setup rejected: ${result.error.code}`);
  }
  const created = {
    operator: await createApiKey(store, 'operator', null),
    auditor: await createApiKey(store, 'auditor', null),
    alice: await createApiKey(store, 'customer', 'alice'),
    bob: await createApiKey(store, 'customer', 'bob'),
    officer: await createApiKey(store, 'officer', null),
    officer2: await createApiKey(store, 'officer', null),
  };
  const keys = Object.fromEntries(
    Object.entries(created).map(([name, key]) => [name, key.secret]),
  ) as unknown as HarnessKeys;
  const keyIds = Object.fromEntries(
    Object.entries(created).map(([name, key]) => [name, key.record.id]),
  ) as unknown as Record<keyof HarnessKeys, string>;
  const custody =
    options.custody === true ? await openCustody(service, store, () => harness.nowMs, options) : null;
  const segregation =
    options.segregation === undefined || options.segregation === false
      ? null
      : {
          service: await SegregationService.open(service, { clock: () => harness.nowMs }),
          chain: options.segregation === true ? null : options.segregation.chain,
          firmName: HARNESS_FIRM_NAME,
          clock: () => harness.nowMs,
        };
  const reserves = options.reserves === undefined ? null : await options.reserves(service);
  const resolution =
    options.resolution === true
      ? {
          service: await ResolutionService.open(service, {
            clock: () => harness.nowMs,
            segregation: segregation?.service ?? null,
          }),
          firmName: HARNESS_FIRM_NAME,
        }
      : null;
  const app = createApp(service, {
    ...(custody === null ? {} : { custody }),
    ...(segregation === null ? {} : { segregation }),
    ...(reserves === null ? {} : { reserves }),
    ...(resolution === null ? {} : { resolution }),
  });
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
    // CSV, HTML and plain-text views come back as text; everything else is JSON.
    const json = !/^text\//.test(response.headers.get('content-type') ?? '');
    return {
      status: response.status,
      body: text.length === 0 ? null : json ? JSON.parse(text) : text,
      headers: response.headers,
    };
  };
  const fingerprint = async (): Promise<string> => {
    const books = await service.read(booksFingerprint);
    const storedHeadSeq = await store.readHeadSeq();
    const storedAccounts = await store.readAccounts();
    const custodyEvents = await store.readCustodyEvents();
    const segregationEvents = await store.readSegregationEvents();
    const reservesEvents = await store.readReservesEvents();
    const resolutionEvents = await store.readResolutionEvents();
    return JSON.stringify(
      {
        books,
        storedHeadSeq,
        storedAccounts,
        custodyEvents,
        segregationEvents,
        reservesEvents,
        resolutionEvents,
      },
      (_key, value) => (typeof value === 'bigint' ? value.toString() : value),
    );
  };
  return Object.assign(harness, {
    app,
    service,
    store,
    keys,
    keyIds,
    custody,
    segregation,
    resolution,
    call,
    async expectUnchanged(action: () => Promise<void>) {
      const before = await fingerprint();
      await action();
      expect(await fingerprint()).toBe(before);
    },
    close: () => service.close(),
  });
}

async function openCustody(
  ledger: LedgerService,
  store: TestStore,
  clock: () => number,
  options: ApiHarnessOptions,
): Promise<CustodyHarness> {
  const executor = options.executor ?? new FakeExecutor();
  const trustee = new TrusteeCosigner({ store, ledger, signer: keySigner(parties.trustee.key), clock });
  const withdrawals = await WithdrawalService.open({
    ledger,
    executor,
    platformSigner: keySigner(parties.platform1.key),
    trustee,
    clock,
  });
  const steps = [
    await withdrawals.registerSigners(
      Object.values(parties).map((party) => party.input),
      PLATFORM_PARTY_ID,
    ),
    await withdrawals.installPolicy(VAULT_ID, standardPolicy()),
    await withdrawals.addAllowlistEntry(VAULT_ID, ALLOWED_DESTINATION),
  ];
  for (const step of steps) if (!step.ok) throw new Error(`custody setup refused: ${step.error.code}`);
  return options.deposits === undefined
    ? { withdrawals, executor, trustee }
    : { withdrawals, executor, trustee, deposits: options.deposits };
}

let idCounter = 0;
/** A fresh transfer id in engine form, unique within the test process (distinct from book.ts ids). */
export function newId(): string {
  idCounter += 1;
  return `a${idCounter.toString(16).padStart(31, '0')}`;
}
