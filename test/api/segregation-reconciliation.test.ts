// Proves the reconciliation routes over HTTP on SQLite and PostgreSQL, in-process: a custodian statement that
// shows a vault short raises a break (direction, amount, age), a top-up instruction and a shortfall in the
// pro-forma; the run reads back as JSON and CSV; the audited resolution (the resolver is the key) removes the
// top-up; a malformed statement records nothing; the chain reconciliation against a fake chain adapter, and
// 503 without one; and the alert stream delivers an alert raised after the client connected.
//
// The harness book, funded on Tuesday 2030-01-01: vault:derivatives holds 6 BTC on the books (alice 2, bob 3,
// residual interest 1) and vault:spot 1,000 USDC (alice).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChainAdapter } from '../../src/chain/chain-adapter.ts';
import { bookVaults } from '../support/book.ts';
import { STORE_KINDS } from '../support/stores.ts';
import { type ApiHarness, type CallResult, openApiHarness } from './harness.ts';

const WEDNESDAY_10AM = Date.parse('2030-01-02T10:00:00Z');
const HOUR_MS = 3_600_000;
const HEADER = 'custodian,statement_date,vault_id,asset,balance';
/** Acme Trust says vault:derivatives holds 5.5 BTC: 0.5 less than the books. */
const SHORT_STATEMENT = `${HEADER}\nAcme Trust,2030-01-01,vault:derivatives,BTC,5.5\n`;
const BREAK_ID = 'rec-1:vault:derivatives:BTC';

function expectCode(response: CallResult, status: number, code: string): void {
  expect(response.body?.error?.code, JSON.stringify(response.body)).toBe(code);
  expect(response.status).toBe(status);
}

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies dynamically.
function btcDerivatives(segments: readonly any[]): any {
  return segments.find((s) => s.asset === 'BTC' && s.accountClass === 'derivatives');
}

/** A chain adapter that reports fixed balances per (vault address, asset) at block 7. */
function fakeChain(balances: ReadonlyMap<string, bigint>): ChainAdapter {
  return {
    chainId: 31_337,
    readHeadBlockNumber: async () => 7n,
    readVaultControl: async (vault) => ({ kind: 'account', owners: [vault], threshold: 1 }),
    readVaultBalances: async (input) => ({
      chainId: 31_337,
      blockNumber: 7n,
      blockHash: `0x${'ab'.repeat(32)}`,
      balances: input.vaults.flatMap((vault) =>
        input.assets.map((asset) => ({
          vault,
          assetId: asset.assetId,
          balanceMinor: balances.get(`${vault}/${asset.assetId}`) ?? 0n,
        })),
      ),
    }),
  };
}

function vaultAddress(id: string): string {
  const vault = bookVaults().find((candidate) => candidate.id === id);
  if (vault === undefined) throw new Error(`no vault ${id}`);
  return vault.address.toLowerCase();
}

describe.each(STORE_KINDS)('segregation reconciliation routes on %s', (kind) => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind, { segregation: true });
    api.nowMs = WEDNESDAY_10AM;
  });
  afterEach(async () => {
    await api.close();
  });

  const importStatement = (csv: string, key = api.keys.operator, contentType = 'text/csv') =>
    api.call('POST', '/v1/segregation/reconciliations/custodian-statements', {
      key,
      raw: csv,
      headers: { 'content-type': contentType },
    });

  it('lists an unfavourable break with its direction, amount and age, a top-up, and the shortfall in the pro-forma', async () => {
    const imported = await importStatement(SHORT_STATEMENT);
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const run = imported.body;
    expect(run).toMatchObject({
      id: 'rec-1',
      by: api.keyIds.operator,
      source: 'custodian',
      sourceReference: 'Acme Trust 2030-01-01',
      custodianStatement: { custodian: 'Acme Trust', statementDate: '2030-01-01' },
    });
    expect(run.external).toEqual([
      {
        vaultId: 'vault:derivatives',
        asset: 'BTC',
        accountClass: 'derivatives',
        ledger: '6',
        observed: '5.5',
        difference: '-0.5',
      },
    ]);
    expect(run.notCovered).toEqual([
      { vaultId: 'vault:derivatives', asset: 'USDC', accountClass: 'derivatives', ledger: '0' },
    ]);
    expect(run.breaks).toEqual([
      expect.objectContaining({ id: BREAK_ID, direction: 'observed_below_ledger', amount: '0.5', ageMs: 0 }),
    ]);
    expect(run.shortfalls).toEqual([{ asset: 'BTC', accountClass: 'derivatives', shortfall: '0.5' }]);
    expect(btcDerivatives(run.internal)).toMatchObject({
      segregatedCustody: '6',
      difference: '0',
      balanced: true,
    });

    api.nowMs += HOUR_MS;
    const breaks = await api.call('GET', '/v1/segregation/breaks', { key: api.keys.auditor });
    expect(breaks.body.breaks).toEqual([
      expect.objectContaining({
        id: BREAK_ID,
        status: 'open',
        vaultId: 'vault:derivatives',
        direction: 'observed_below_ledger',
        amount: '0.5',
        ageMs: HOUR_MS,
        resolution: null,
        resolvedBy: null,
      }),
    ]);
    const topUps = await api.call('GET', '/v1/segregation/top-ups', { key: api.keys.auditor });
    expect(topUps.body.topUps).toEqual([
      {
        id: `topup:${BREAK_ID}`,
        breakId: BREAK_ID,
        asset: 'BTC',
        accountClass: 'derivatives',
        vaultId: 'vault:derivatives',
        from: 'house',
        amount: '0.5',
        dueAtMs: Date.parse('2030-01-03T00:00:00Z'),
        dueAt: '2030-01-03T00:00:00.000Z',
      },
    ]);
    const proForma = await api.call('GET', '/v1/segregation/pro-forma', { key: api.keys.officer });
    expect(btcDerivatives(proForma.body.segments)).toMatchObject({
      fundsHeld: '6',
      unresolvedShortfall: '0.5',
      fundsHeldNet: '5.5',
      excess: '0.5',
    });
    const alerts = await api.call('GET', '/v1/segregation/alerts', { key: api.keys.auditor });
    expect(alerts.body.alerts).toEqual([
      expect.objectContaining({ code: 'reconciliation_shortfall', severity: 'critical', amount: '0.5' }),
    ]);

    // The run reads back as JSON and as CSV (external lines by default, internal on request).
    const listed = await api.call('GET', '/v1/segregation/reconciliations', { key: api.keys.auditor });
    expect(listed.body.reconciliations).toEqual([
      expect.objectContaining({
        id: 'rec-1',
        source: 'custodian',
        lines: 1,
        breaks: 1,
        topUps: 1,
        internalBalanced: true,
      }),
    ]);
    const shown = await api.call('GET', '/v1/segregation/reconciliations/rec-1', { key: api.keys.auditor });
    expect(shown.body).toEqual(run);
    const csv = await api.call('GET', '/v1/segregation/reconciliations/rec-1?format=csv', {
      key: api.keys.auditor,
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.body).toBe(
      'reconciliation_id,source,source_reference,vault_id,asset,account_class,ledger,observed,difference,break_id,direction\n' +
        `rec-1,custodian,Acme Trust 2030-01-01,vault:derivatives,BTC,derivatives,6,5.5,-0.5,${BREAK_ID},observed_below_ledger\n`,
    );
    const internal = await api.call(
      'GET',
      '/v1/segregation/reconciliations/rec-1?format=csv&lines=internal',
      {
        key: api.keys.auditor,
      },
    );
    expect(internal.body).toContain(
      'reconciliation_id,asset,account_class,segregated_custody,customer_claims,residual_interest,difference,balanced\n',
    );
    expect(internal.body).toContain('rec-1,BTC,derivatives,6,5,1,0,true\n');
    expectCode(
      await api.call('GET', '/v1/segregation/reconciliations/rec-9', { key: api.keys.auditor }),
      404,
      'reconciliation_unknown',
    );
  });

  it('resolves a break as an audited action: the resolver is the key, and the top-up goes', async () => {
    await importStatement(SHORT_STATEMENT);
    await api.expectUnchanged(async () => {
      const byAuditor = await api.call('POST', `/v1/segregation/breaks/${BREAK_ID}/resolve`, {
        key: api.keys.auditor,
        json: { resolution: 'looked at it' },
      });
      expectCode(byAuditor, 403, 'forbidden_role');
      const blank = await api.call('POST', `/v1/segregation/breaks/${BREAK_ID}/resolve`, {
        key: api.keys.officer,
        json: { resolution: ' ' },
      });
      expectCode(blank, 422, 'segregation_text_invalid');
    });
    api.nowMs += 2 * HOUR_MS;
    const resolution = 'custodian statement cut off before the 0.5 BTC deposit settled; confirmed by Acme';
    const resolved = await api.call(
      'POST',
      `/v1/segregation/breaks/${encodeURIComponent(BREAK_ID)}/resolve`,
      {
        key: api.keys.officer,
        json: { resolution },
      },
    );
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body).toMatchObject({
      id: BREAK_ID,
      status: 'resolved',
      resolution,
      resolvedBy: api.keyIds.officer,
      resolvedAt: '2030-01-02T12:00:00.000Z',
      ageMs: 2 * HOUR_MS,
    });
    expect(
      (await api.call('GET', '/v1/segregation/top-ups', { key: api.keys.operator })).body.topUps,
    ).toEqual([]);
    const proForma = await api.call('GET', '/v1/segregation/pro-forma', { key: api.keys.operator });
    expect(btcDerivatives(proForma.body.segments)).toMatchObject({ unresolvedShortfall: '0', excess: '1' });

    await api.expectUnchanged(async () => {
      const again = await api.call('POST', `/v1/segregation/breaks/${BREAK_ID}/resolve`, {
        key: api.keys.operator,
        json: { resolution: 'again' },
      });
      expectCode(again, 422, 'break_not_open');
      const unknown = await api.call('POST', '/v1/segregation/breaks/rec-9:vault:spot:BTC/resolve', {
        key: api.keys.operator,
        json: { resolution: 'nothing' },
      });
      expectCode(unknown, 404, 'break_unknown');
    });
  });

  it('refuses a malformed custodian statement with its code, and records nothing', async () => {
    await api.expectUnchanged(async () => {
      expectCode(await importStatement(SHORT_STATEMENT, api.keys.auditor), 403, 'forbidden_role');
      expectCode(
        await importStatement('custodian,date\nAcme,2030-01-01\n'),
        400,
        'custodian_statement_header_invalid',
      );
      expectCode(await importStatement(''), 400, 'custodian_statement_empty');
      expectCode(
        await importStatement(`${HEADER}\nAcme Trust,2030-01-01,vault:nowhere,BTC,1\n`),
        422,
        'custodian_statement_vault_unknown',
      );
      expectCode(
        await importStatement(`${HEADER}\nAcme Trust,2030-01-01,vault:derivatives,BTC,1.000000001\n`),
        400,
        'custodian_statement_amount_invalid',
      );
      expectCode(
        await importStatement(SHORT_STATEMENT, api.keys.operator, 'application/json'),
        415,
        'media_type_unsupported',
      );
    });
  });

  it('answers 503 chain_unavailable for a chain reconciliation when the server reads no chain', async () => {
    await api.expectUnchanged(async () => {
      const refused = await api.call('POST', '/v1/segregation/reconciliations/chain', {
        key: api.keys.operator,
      });
      expectCode(refused, 503, 'chain_unavailable');
    });
  });

  it('delivers an alert raised after connecting on the server-sent event stream', async () => {
    const response = await api.app.request('/v1/segregation/alerts/stream', {
      headers: { authorization: `Bearer ${api.keys.auditor}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before ${pattern}: ${text}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    try {
      await readUntil(/: connected\n\n/);
      expect((await importStatement(SHORT_STATEMENT)).status).toBe(201);
      await readUntil(/event: alert\ndata: .*\nid: \d+\n\n/);
      const event = /event: alert\ndata: (.*)\nid: (\d+)\n\n/.exec(text)!;
      const alert = JSON.parse(event[1]!);
      expect(alert).toMatchObject({
        code: 'reconciliation_shortfall',
        severity: 'critical',
        asset: 'BTC',
        accountClass: 'derivatives',
        amount: '0.5',
        raisedAt: '2030-01-02T10:00:00.000Z',
      });
      expect(Number(event[2])).toBe(alert.seq);
    } finally {
      await reader.cancel();
    }
    // The stream unsubscribed: raising more alerts is harmless.
    const next = `${HEADER}\nAcme Trust,2030-01-02,vault:spot,USDC,999\n`;
    expect((await importStatement(next)).status).toBe(201);
  });
});

describe.each(STORE_KINDS)('chain reconciliation on %s', (kind) => {
  it('reconciles every customer vault at one block and finds the vault the chain shows short', async () => {
    const chain = fakeChain(
      new Map([
        [`${vaultAddress('vault:derivatives')}/BTC`, 6_00000000n],
        [`${vaultAddress('vault:spot')}/USDC`, 999_000000n],
      ]),
    );
    const api = await openApiHarness(kind, { segregation: { chain } });
    api.nowMs = WEDNESDAY_10AM;
    try {
      expectCode(
        await api.call('POST', '/v1/segregation/reconciliations/chain', { key: api.keys.auditor }),
        403,
        'forbidden_role',
      );
      const run = await api.call('POST', '/v1/segregation/reconciliations/chain', { key: api.keys.operator });
      expect(run.status, JSON.stringify(run.body)).toBe(201);
      expect(run.body.source).toBe('chain');
      expect(run.body.sourceReference).toBe(`chain 31337 block 7 0x${'ab'.repeat(32)}`);
      expect(run.body.external).toHaveLength(4);
      expect(run.body.breaks).toEqual([
        expect.objectContaining({
          vaultId: 'vault:spot',
          asset: 'USDC',
          direction: 'observed_below_ledger',
          amount: '1',
        }),
      ]);
      expect(run.body.topUps).toEqual([expect.objectContaining({ vaultId: 'vault:spot', amount: '1' })]);
    } finally {
      await api.close();
    }
  });
});
