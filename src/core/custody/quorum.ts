// Quorum: given the approver groups a policy decision requires and the verified approvals so far, reports
// per group how many approvals count and how many are still missing. Quorum is reached when none is missing.

import type { Address } from './address.ts';
import { type ApproverGroup, isEligibleApprover } from './approver-groups.ts';
import type { Signer } from './parties.ts';
import { type Rejected, rejected } from './rejection.ts';

/** One group's progress toward its threshold. */
export interface GroupProgress {
  readonly groupId: string;
  readonly threshold: number;
  /** Distinct eligible signers who approved, in approval order. */
  readonly approvedBy: readonly Address[];
  readonly missing: number;
}

/** Whether quorum is reached, and each group's progress in the rule's order. */
export interface QuorumReport {
  readonly reached: boolean;
  readonly groups: readonly GroupProgress[];
}

/** Counts distinct eligible approvers per group; a signer counts toward every group it is eligible for. */
export function evaluateQuorum(
  groups: readonly ApproverGroup[],
  approvers: readonly Signer[],
  customerId: string | null,
): QuorumReport {
  const progress = groups.map((group): GroupProgress => {
    const approvedBy: Address[] = [];
    for (const signer of approvers) {
      if (!approvedBy.includes(signer.address) && isEligibleApprover(group, signer, customerId)) {
        approvedBy.push(signer.address);
      }
    }
    const missing = Math.max(0, group.threshold - approvedBy.length);
    return { groupId: group.id, threshold: group.threshold, approvedBy, missing };
  });
  // A rule with no groups never reaches quorum: policy validation refuses it, and this keeps it closed anyway.
  return { reached: groups.length > 0 && progress.every((group) => group.missing === 0), groups: progress };
}

export type CheckQuorumResult =
  | { readonly ok: true; readonly report: QuorumReport }
  | Rejected<'quorum_not_reached'>;

/** `evaluateQuorum` as a result: `quorum_not_reached` lists the groups still missing approvals. */
export function checkQuorum(
  groups: readonly ApproverGroup[],
  approvers: readonly Signer[],
  customerId: string | null,
): CheckQuorumResult {
  const report = evaluateQuorum(groups, approvers, customerId);
  if (report.reached) return { ok: true, report };
  const missing = report.groups
    .filter((group) => group.missing > 0)
    .map((group) => ({ groupId: group.groupId, missing: group.missing }));
  const sentence = missing.map((group) => `${group.missing} more from group ${group.groupId}`).join(', ');
  return rejected('quorum_not_reached', `quorum is not reached: ${sentence || 'no approver groups'}`, {
    missing,
  });
}
