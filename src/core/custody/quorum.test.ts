// Proves quorum counting: distinct eligible signers per group, every group required, and the report of
// which groups still miss how many approvals (code quorum_not_reached).

import { describe, expect, it } from 'vitest';
import { parties, testRegistry } from '../../../test/support/custody-core.ts';
import type { ApproverGroup } from './approver-groups.ts';
import type { Signer } from './parties.ts';
import { checkQuorum, evaluateQuorum } from './quorum.ts';

const registry = testRegistry();
const signer = (who: keyof typeof parties): Signer => registry.signers.get(parties[who].address)!;
const groups: ApproverGroup[] = [
  { id: 'ops', threshold: 2, role: 'platform' },
  { id: 'trustee', threshold: 1, signers: [parties.trustee.address, parties.recovery.address] },
];

describe('quorum', () => {
  it('reports the missing approvals per group', () => {
    const report = evaluateQuorum(groups, [signer('platform1'), signer('platform1')], null);
    expect(report.reached).toBe(false);
    expect(report.groups.map((g) => [g.groupId, g.approvedBy.length, g.missing])).toEqual([
      ['ops', 1, 1],
      ['trustee', 0, 1],
    ]);
  });

  it('is reached when every group meets its threshold', () => {
    const report = evaluateQuorum(
      groups,
      [signer('platform1'), signer('recovery'), signer('platform3')],
      null,
    );
    expect(report.reached).toBe(true);
  });

  it('counts a signer toward every group it is eligible for', () => {
    const overlapping: ApproverGroup[] = [
      { id: 'a', threshold: 1, role: 'trustee' },
      { id: 'b', threshold: 1, signers: [parties.trustee.address] },
    ];
    expect(evaluateQuorum(overlapping, [signer('trustee')], null).reached).toBe(true);
  });

  it('never reaches quorum with no groups', () => {
    expect(evaluateQuorum([], [signer('trustee')], null).reached).toBe(false);
  });

  it('refuses with quorum_not_reached, listing the missing groups', () => {
    const result = checkQuorum(groups, [signer('trustee')], null);
    expect(result.ok ? null : [result.error.code, result.error.details.missing]).toEqual([
      'quorum_not_reached',
      [{ groupId: 'ops', missing: 2 }],
    ]);
    expect(result.ok ? '' : result.error.message).toBe('quorum is not reached: 2 more from group ops');
  });
});
