// Approver groups: who may approve a withdrawal under a policy rule, either every signer of one role or an
// explicit list of addresses, each with a threshold. A rule's groups are all required (AND).

import type { Address } from './address.ts';
import type { PartyRole, Signer } from './parties.ts';

/** Groups one rule may require. */
export const APPROVER_GROUPS_MAX = 8;

/** Largest threshold (and explicit list) of one group. */
export const APPROVER_GROUP_SIZE_MAX = 32;

/** `threshold` distinct approvals from signers of `role`. */
export interface RoleApproverGroup {
  readonly id: string;
  readonly threshold: number;
  readonly role: PartyRole;
}

/** `threshold` distinct approvals from the listed addresses (lower-case internal form). */
export interface SignerListApproverGroup {
  readonly id: string;
  readonly threshold: number;
  readonly signers: readonly Address[];
}

/** One group of required approvers. */
export type ApproverGroup = RoleApproverGroup | SignerListApproverGroup;

/**
 * Whether a registered signer's approval counts toward a group. A customer-role group accepts only the
 * customer whose instruction the request is (`customerId`); with no customer, no customer key counts.
 * A signer eligible for several groups counts toward each of them.
 */
export function isEligibleApprover(group: ApproverGroup, signer: Signer, customerId: string | null): boolean {
  if ('signers' in group) return group.signers.includes(signer.address);
  if (signer.role !== group.role) return false;
  return group.role !== 'customer' || (customerId !== null && signer.partyId === customerId);
}

/** A short description of a group for explanations ("2 of role trustee", "1 of [0xab…, 0xcd…]"). */
export function describeApproverGroup(group: ApproverGroup): string {
  if ('signers' in group)
    return `${group.threshold} of ${group.signers.length} listed signers (group ${group.id})`;
  return `${group.threshold} ${group.role} signer${group.threshold === 1 ? '' : 's'} (group ${group.id})`;
}
