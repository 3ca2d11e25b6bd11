// Proves the segregation statement routes over HTTP on SQLite and PostgreSQL, in-process: who may call what
// (auditors read, officers set targets, customers see nothing), compute -> finalise -> show as JSON, CSV and
// the printable HTML, the refusals of a second seal and of an uncorrected second statement (nothing changes),
// the correction flow with its diff, the pro-forma, and 503 without the segregation services.
//
// The harness book (BTC, scale 8, account class derivatives), funded on Tuesday 2030-01-01: alice 2 and bob 3
// BTC of customer collateral, 1 BTC of residual interest -> requirement 5, funds held 6, excess 1.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deposit } from '../support/book.ts';
import { STORE_KINDS } from '../support/stores.ts';
import { type ApiHarness, type CallResult, HARNESS_FIRM_NAME, openApiHarness } from './harness.ts';

const WEDNESDAY_10AM = Date.parse('2030-01-02T10:00:00Z');
const TUESDAY = '2030-01-01';

function expectCode(response: CallResult, status: number, code: string): void {
  expect(response.body?.error?.code, JSON.stringify(response.body)).toBe(code);
  expect(response.status).toBe(status);
}

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies dynamically.
function btcDerivatives(segments: readonly any[]): any {
  const segment = segments.find((s) => s.asset === 'BTC' && s.accountClass === 'derivatives');
  expect(segment).toBeDefined();
  return segment;
}

describe.each(STORE_KINDS)('segregation statement routes on %s', (kind) => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind, { segregation: true });
    api.nowMs = WEDNESDAY_10AM;
  });
  afterEach(async () => {
    await api.close();
  });

  const compute = (json: Record<string, unknown> = { businessDate: TUESDAY }, key = api.keys.operator) =>
    api.call('POST', '/v1/segregation/statements', { key, json });

  it('admits operators and officers to compute, auditors to read, officers alone to set targets; customers to nothing', async () => {
    const target = {
      asset: 'BTC',
      accountClass: 'derivatives',
      amount: '0.5',
      approvalReference: 'minute 4',
    };
    await api.expectUnchanged(async () => {
      expectCode(await compute(undefined, api.keys.auditor), 403, 'forbidden_role');
      expectCode(await compute(undefined, api.keys.alice), 403, 'forbidden_role');
      for (const key of [api.keys.operator, api.keys.auditor, api.keys.alice]) {
        expectCode(
          await api.call('PUT', '/v1/segregation/targets', { key, json: target }),
          403,
          'forbidden_role',
        );
      }
      expectCode(
        await api.call('GET', '/v1/segregation/statements', { key: api.keys.alice }),
        403,
        'forbidden_role',
      );
      expectCode(await api.call('GET', '/v1/segregation/statements'), 401, 'unauthorized');
    });
    for (const key of [api.keys.operator, api.keys.auditor, api.keys.officer]) {
      expect((await api.call('GET', '/v1/segregation/statements', { key })).status).toBe(200);
      expect((await api.call('GET', '/v1/segregation/targets', { key })).status).toBe(200);
    }
    expect((await compute(undefined, api.keys.officer)).status).toBe(201);

    const set = await api.call('PUT', '/v1/segregation/targets', { key: api.keys.officer, json: target });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.targets).toEqual([
      expect.objectContaining({ ...target, setBy: api.keyIds.officer, setAt: '2030-01-02T10:00:00.000Z' }),
    ]);
    // A zero target is a valid board decision; a new version joins the history.
    const zero = await api.call('PUT', '/v1/segregation/targets', {
      key: api.keys.officer2,
      json: { ...target, amount: '0', approvalReference: 'minute 9' },
    });
    expect(zero.body.targets).toHaveLength(1);
    expect(zero.body.targets[0]).toMatchObject({ amount: '0', setBy: api.keyIds.officer2 });
    expect(zero.body.history.map((version: { amount: string }) => version.amount)).toEqual(['0.5', '0']);
  });

  it('refuses bad target input with its code and records nothing', async () => {
    const put = (json: Record<string, unknown>) =>
      api.call('PUT', '/v1/segregation/targets', { key: api.keys.officer, json });
    const base = { asset: 'BTC', accountClass: 'derivatives', amount: '1', approvalReference: 'minute 4' };
    await api.expectUnchanged(async () => {
      expectCode(await put({ ...base, asset: 'DOGE' }), 422, 'segregation_asset_unknown');
      expectCode(await put({ ...base, accountClass: 'options' }), 422, 'segregation_account_class_unknown');
      expectCode(await put({ ...base, approvalReference: '  ' }), 422, 'segregation_text_invalid');
      expectCode(await put({ ...base, amount: '-1' }), 400, 'amount_not_positive');
      expectCode(await put({ ...base, amount: '0.000000001' }), 400, 'amount_too_many_decimals');
    });
  });

  it('computes, finalises and shows a statement as JSON, CSV and printable HTML', async () => {
    const computed = await compute();
    expect(computed.status, JSON.stringify(computed.body)).toBe(201);
    const draft = computed.body;
    expect(draft).toMatchObject({
      id: 'seg-2030-01-01-1',
      businessDate: TUESDAY,
      regime: 'cftc',
      status: 'draft',
      hash: null,
      sealVerified: null,
      supersededBy: null,
      computedBy: api.keyIds.operator,
    });
    expect(draft.cutoff.seq).toBe(await api.service.read((engine) => engine.headSeq));
    expect(btcDerivatives(draft.segments)).toMatchObject({
      netLedgerBalance: '5',
      deficitsAddedBack: '0',
      requirement: '5',
      fundsHeld: '6',
      fundsHeldNet: '6',
      excess: '1',
      targetResidualInterest: '0',
      residualInterestLedger: '1',
      status: 'compliant',
    });

    const finalised = await api.call('POST', `/v1/segregation/statements/${draft.id}/finalise`, {
      key: api.keys.officer,
    });
    expect(finalised.status, JSON.stringify(finalised.body)).toBe(200);
    const sealed = finalised.body;
    expect(sealed).toMatchObject({
      id: draft.id,
      status: 'final',
      sealVerified: true,
      finalisedBy: api.keyIds.officer,
    });
    expect(sealed.hash).toMatch(/^[0-9a-f]{64}$/);

    await api.expectUnchanged(async () => {
      const again = await api.call('POST', `/v1/segregation/statements/${draft.id}/finalise`, {
        key: api.keys.operator,
      });
      expectCode(again, 422, 'statement_already_finalised');
      expect(again.body.error.details.hash).toBe(sealed.hash);
    });

    const json = await api.call('GET', `/v1/segregation/statements/${draft.id}`, { key: api.keys.auditor });
    expect(json.status).toBe(200);
    expect(json.body).toEqual(sealed);

    const csv = await api.call('GET', `/v1/segregation/statements/${draft.id}?format=csv`, {
      key: api.keys.auditor,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = (csv.body as string).trimEnd().split('\n');
    expect(rows[0]).toBe(
      'statement_id,business_date,status,hash,cutoff_seq,asset,account_class,line,label,amount',
    );
    expect(rows).toContain(
      `${draft.id},${TUESDAY},final,${sealed.hash},${sealed.cutoff.seq},BTC,derivatives,requirement,Requirement: funds required in segregation,5`,
    );
    expect(rows).toContain(
      `${draft.id},${TUESDAY},final,${sealed.hash},${sealed.cutoff.seq},BTC,derivatives,excess,Excess (deficiency): residual interest,1`,
    );

    const html = await api.call('GET', `/v1/segregation/statements/${draft.id}?format=html`, {
      key: api.keys.officer,
    });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.body).toMatch(/^<!doctype html>/);
    expect(html.body).toContain(sealed.hash);
    expect(html.body).toContain(HARNESS_FIRM_NAME);

    expectCode(
      await api.call('GET', `/v1/segregation/statements/${draft.id}?format=pdf`, { key: api.keys.auditor }),
      400,
      'request_invalid',
    );
    expectCode(
      await api.call('GET', '/v1/segregation/statements/seg-1999-01-01-1', { key: api.keys.auditor }),
      404,
      'statement_unknown',
    );
  });

  it('requires a correction for a finalised day, supersedes the old statement with it, and diffs the two', async () => {
    const first = (await compute()).body;
    const firstSealed = await api.call('POST', `/v1/segregation/statements/${first.id}/finalise`, {
      key: api.keys.operator,
    });

    // A second statement for the same day cannot be sealed beside the first.
    const second = await compute();
    expect(second.status).toBe(201);
    await api.expectUnchanged(async () => {
      const refused = await api.call('POST', `/v1/segregation/statements/${second.body.id}/finalise`, {
        key: api.keys.operator,
      });
      expectCode(refused, 422, 'statement_correction_required');
      expect(refused.body.error.details.inForce).toBe(first.id);
    });

    // A deposit found late: the correction includes it by naming the journal position.
    const [late] = await api.service.submit([deposit('carol', 'derivatives', 'BTC', 50_000000n)]);
    if (late === undefined || !late.ok) throw new Error('the late deposit is accepted');
    const correction = await compute({ businessDate: TUESDAY, supersedes: first.id, cutoffSeq: late.seq });
    expect(correction.status, JSON.stringify(correction.body)).toBe(201);
    expect(correction.body.supersedes).toEqual({ id: first.id, hash: firstSealed.body.hash });
    const sealed = await api.call('POST', `/v1/segregation/statements/${correction.body.id}/finalise`, {
      key: api.keys.officer,
    });
    expect(sealed.status).toBe(200);

    const old = (await api.call('GET', `/v1/segregation/statements/${first.id}`, { key: api.keys.auditor }))
      .body;
    expect(old).toMatchObject({ status: 'superseded', supersededBy: correction.body.id, sealVerified: true });

    const listed = await api.call('GET', '/v1/segregation/statements', { key: api.keys.auditor });
    expect(
      listed.body.statements.map((s: { id: string; status: string }) => [s.id, s.status]).sort(),
    ).toEqual([
      [first.id, 'superseded'],
      [second.body.id, 'draft'],
      [correction.body.id, 'final'],
    ]);
    const summary = listed.body.statements.find((s: { id: string }) => s.id === correction.body.id);
    expect(summary).toMatchObject({ supersedes: first.id, hash: sealed.body.hash, cutoffSeq: late.seq });
    expect(btcDerivatives(summary.segments)).toEqual({
      asset: 'BTC',
      accountClass: 'derivatives',
      status: 'compliant',
      requirement: '5.5',
      excess: '1',
    });

    const diff = await api.call('GET', `/v1/segregation/statements/${first.id}/diff/${correction.body.id}`, {
      key: api.keys.auditor,
    });
    expect(diff.status).toBe(200);
    expect(diff.body.from).toBe(first.id);
    const btc = diff.body.differences.filter((line: { asset: string }) => line.asset === 'BTC');
    expect(btc.map((line: { line: string; change: string }) => [line.line, line.change])).toEqual([
      ['netLedgerBalance', '0.5'],
      ['netEquity', '0.5'],
      ['requirement', '0.5'],
      ['fundsHeld', '0.5'],
      ['fundsHeldNet', '0.5'],
    ]);
    const diffCsv = await api.call(
      'GET',
      `/v1/segregation/statements/${first.id}/diff/${correction.body.id}?format=csv`,
      { key: api.keys.auditor },
    );
    expect(diffCsv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(diffCsv.body).toContain(
      'BTC,derivatives,requirement,Requirement: funds required in segregation,5,5.5,0.5',
    );
    expectCode(
      await api.call('GET', `/v1/segregation/statements/${first.id}/diff/seg-nope`, {
        key: api.keys.auditor,
      }),
      404,
      'statement_unknown',
    );
  });

  it('refuses bad statement input with its code and records nothing', async () => {
    await api.expectUnchanged(async () => {
      expectCode(await compute({ businessDate: '2030-02-30' }), 400, 'statement_business_date_invalid');
      expectCode(
        await compute({ businessDate: TUESDAY, cutoffSeq: 10_000 }),
        422,
        'statement_cutoff_invalid',
      );
      expectCode(
        await compute({ businessDate: TUESDAY, supersedes: 'seg-nope' }),
        422,
        'statement_supersedes_invalid',
      );
      expectCode(await compute({ businessDate: TUESDAY, cutoffSeq: -1 }), 400, 'request_invalid');
      expectCode(
        await api.call('POST', '/v1/segregation/statements/seg-nope/finalise', { key: api.keys.operator }),
        404,
        'statement_unknown',
      );
    });
  });

  it('computes today by default, and shows the pro-forma at the journal head without recording it', async () => {
    const today = await api.call('POST', '/v1/segregation/statements', { key: api.keys.operator });
    expect(today.status, JSON.stringify(today.body)).toBe(201);
    expect(today.body.businessDate).toBe('2030-01-02');

    const eventsBefore = (await api.store.readSegregationEvents()).length;
    const proForma = await api.call('GET', '/v1/segregation/pro-forma', { key: api.keys.auditor });
    expect(proForma.status).toBe(200);
    expect(proForma.body.computedAt).toBe('2030-01-02T10:00:00.000Z');
    expect(btcDerivatives(proForma.body.segments)).toMatchObject({ requirement: '5', excess: '1' });
    expect((await api.store.readSegregationEvents()).length).toBe(eventsBefore);
  });
});

describe('segregation routes without the segregation services', () => {
  it('answer 503 segregation_unavailable after authentication, and change nothing', async () => {
    const api = await openApiHarness('sqlite');
    try {
      await api.expectUnchanged(async () => {
        for (const [method, path] of [
          ['GET', '/v1/segregation/statements'],
          ['POST', '/v1/segregation/statements'],
          ['GET', '/v1/segregation/alerts/stream'],
          ['POST', '/v1/segregation/residual-interest/withdrawals'],
        ] as const) {
          expectCode(
            await api.call(method, path, { key: api.keys.operator }),
            503,
            'segregation_unavailable',
          );
        }
        expectCode(await api.call('GET', '/v1/segregation/statements'), 401, 'unauthorized');
      });
    } finally {
      await api.close();
    }
  });
});
