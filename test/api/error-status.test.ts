// Proves the error table is complete: every rejection code the ledger rules, the engine, amount parsing,
// custody and segregation (core and service) can return (read from their sources) has a status, and each
// status class holds what it should.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, statusOfErrorCode } from '../../src/api/error-status.ts';

/** A `type FooCode = | 'a' | 'b'` union (captured whole; `codesIn` splits its literals). */
const CODE_UNION_PATTERN = /type \w*Code\s*=((?:\s*\|?\s*'[a-z0-9_]+')+)/g;

/** Where rejection codes are written, and how each source spells them. */
const SOURCES = [
  // The engine and the transfer rules: reject('code', ...) / rejected('code', ...) and each class's negativeCode.
  {
    directory: 'src/core/ledger',
    patterns: [/\b(?:reject|rejected)\(\s*'([a-z][a-z0-9_]+)'/g, /negativeCode:\s*'([a-z][a-z0-9_]+)'/g],
  },
  // Custody core and service: every `type ...Code =` union of string literals, and rejected('code', ...)
  // and its local spellings (fail, deny) where a code is written inline.
  ...['src/core/custody', 'src/service/custody'].map((directory) => ({
    directory,
    patterns: [CODE_UNION_PATTERN, /\b(?:rejected|fail|deny)\(\s*'([a-z][a-z0-9_]+)'/g],
  })),
  // Segregation, reserves and resolution, core and service: every `type ...ErrorCode =` union (the statement,
  // the gate, the custodian statement, client money, the liability tree, the reserves service, the claims and
  // contagion core, the resolution service; AlertCode names alerts and
  // the verifiers' FailureCode names what a customer's offline check found, not API rejections) and
  // rejected('code', ...).
  ...[
    'src/core/segregation',
    'src/service/segregation',
    'src/core/reserves',
    'src/service/reserves',
    'src/core/resolution',
    'src/service/resolution',
  ].map((directory) => ({
    directory,
    patterns: [/type \w*ErrorCode\s*=((?:\s*\|?\s*'[a-z0-9_]+')+)/g, /\brejected\(\s*'([a-z][a-z0-9_]+)'/g],
  })),
  // Amount parsing: the AmountErrorCode union.
  { directory: 'src/core/money', patterns: [/\|\s*'(amount_[a-z_]+)'/g] },
];

/** Every rejection code written in the core sources. */
function rejectionCodesInCore(): Set<string> {
  const codes = new Set<string>();
  for (const { directory, patterns } of SOURCES) {
    for (const file of readdirSync(directory)) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      const source = readFileSync(join(directory, file), 'utf8');
      for (const pattern of patterns) {
        for (const match of source.matchAll(pattern)) {
          for (const literal of match[1]!.matchAll(/([a-z][a-z0-9_]+)/g)) codes.add(literal[1]!);
        }
      }
    }
  }
  return codes;
}

describe('error status table', () => {
  it('has a status for every rejection code in core', () => {
    const codes = rejectionCodesInCore();
    expect(codes.size).toBeGreaterThan(180);
    for (const code of [
      'policy_platform_unilateral_quorum',
      'withdrawal_request_conflict',
      'quorum_not_reached',
      'statement_correction_required',
      'residual_interest_over_25_percent_approval_required',
      'custodian_statement_duplicate_row',
    ]) {
      expect(codes).toContain(code);
    }
    const missing = [...codes].filter((code) => !Object.hasOwn(ERROR_STATUS, code));
    expect(missing).toEqual([]);
  });

  it('maps input errors to 400, ids taken to 409, rule refusals to 422', () => {
    for (const code of [
      'request_invalid',
      'amount_invalid',
      'amount_too_many_decimals',
      'amount_not_positive',
      'amount_overflow',
      'transfer_id_invalid',
    ]) {
      expect(statusOfErrorCode(code)).toBe(400);
    }
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      if (
        code.startsWith('idempotency_') ||
        code.endsWith('_already_exists') ||
        code.endsWith('_already_registered')
      ) {
        expect(status).toBe(409);
      }
      if (
        code.startsWith('segregation_') &&
        code !== 'segregation_class_unknown' &&
        code !== 'segregation_unavailable'
      )
        expect(status).toBe(422);
      if (code.endsWith('_unknown') && /^(statement|reconciliation|break|ri_withdrawal)_/.test(code))
        expect(status).toBe(404);
      if (code.startsWith('residual_interest_') && code !== 'residual_interest_amount_invalid')
        expect(status).toBe(422);
      if (code.startsWith('correction_')) expect(status).toBe(422);
    }
    expect(statusOfErrorCode('unauthorized')).toBe(401);
    expect(statusOfErrorCode('forbidden_role')).toBe(403);
    expect(statusOfErrorCode('forbidden_not_own_account')).toBe(403);
    expect(statusOfErrorCode('not_found')).toBe(404);
    expect(statusOfErrorCode('batch_too_large')).toBe(413);
    expect(statusOfErrorCode('service_unavailable')).toBe(503);
    expect(statusOfErrorCode('custody_unavailable')).toBe(503);
    expect(statusOfErrorCode('chain_unavailable')).toBe(503);
    expect(statusOfErrorCode('segregation_unavailable')).toBe(503);
    expect(statusOfErrorCode('residual_interest_withdrawal_requires_gate')).toBe(422);
    expect(statusOfErrorCode('policy_platform_unilateral_quorum')).toBe(422);
    expect(statusOfErrorCode('withdrawal_request_conflict')).toBe(409);
    expect(statusOfErrorCode('internal_error')).toBe(500);
  });

  it('answers 422 for a rule code the table does not know yet', () => {
    expect(statusOfErrorCode('some_future_rule')).toBe(422);
  });
});
