// The organization as the sandbox serves it: the generated one, less the members that have left.
import type { SandboxOrganization, SandboxOrgMember, SandboxOrgUnit } from "./estate-types";

export class OrganizationState {
  private readonly members = new Map<string, SandboxOrgMember>();
  private readonly units = new Map<string, SandboxOrgUnit>();
  private readonly unitsByParent = new Map<string, SandboxOrgUnit[]>();
  private readonly membersByParent = new Map<string, SandboxOrgMember[]>();
  private readonly left = new Set<string>();
  private leaverPending: boolean;

  constructor(readonly organization: SandboxOrganization) {
    for (const unit of organization.units) {
      this.units.set(unit.id, unit);
      this.unitsByParent.set(unit.parentId, [...(this.unitsByParent.get(unit.parentId) ?? []), unit]);
    }
    for (const member of organization.members) {
      this.members.set(member.accountId, member);
      const siblings = this.membersByParent.get(member.parentId) ?? [];
      siblings.push(member);
      this.membersByParent.set(member.parentId, siblings);
    }
    this.leaverPending = organization.leaverId !== undefined;
  }

  /** A member that has not left, or undefined. */
  member(accountId: string): SandboxOrgMember | undefined {
    return this.left.has(accountId) ? undefined : this.members.get(accountId);
  }

  isCurrent = (member: SandboxOrgMember) => !this.left.has(member.accountId);

  /** All members ever (left ones too), in a fixed order: paging walks this and skips the left. */
  allMembers(): readonly SandboxOrgMember[] {
    return this.organization.members;
  }

  unit(id: string): SandboxOrgUnit | undefined {
    return this.units.get(id);
  }

  isParent(id: string): boolean {
    return id === this.organization.rootId || this.units.has(id);
  }

  pathOf(parentId: string): string {
    return this.units.get(parentId)?.path ?? `${this.organization.id}/${this.organization.rootId}/`;
  }

  unitsUnder(parentId: string): readonly SandboxOrgUnit[] {
    return this.unitsByParent.get(parentId) ?? [];
  }

  membersUnder(parentId: string): readonly SandboxOrgMember[] {
    return this.membersByParent.get(parentId) ?? [];
  }

  /** May call the read APIs: the management account and delegated administrators. */
  isAdministrator(accountId: string): boolean {
    if (this.member(accountId) === undefined) return false;
    const org = this.organization;
    return accountId === org.managementAccountId || org.delegatedAdministrators.includes(accountId);
  }

  /** Called when a ListAccounts answers its last page: the leaver goes after the first one. */
  listingCompleted(): void {
    if (!this.leaverPending) return;
    this.leaverPending = false;
    this.left.add(this.organization.leaverId!);
  }

  /** Removes a member now; a message when it cannot leave. */
  leave(accountId: string): string | undefined {
    if (accountId === this.organization.managementAccountId)
      return "the management account cannot leave its organization";
    if (this.member(accountId) === undefined) return `${accountId} is not a member of the organization`;
    this.left.add(accountId);
    if (accountId === this.organization.leaverId) this.leaverPending = false;
    return undefined;
  }

  leftAccounts(): string[] {
    return [...this.left];
  }
}
