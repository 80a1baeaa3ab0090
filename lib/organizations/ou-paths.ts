import {
  DescribeOrganizationalUnitCommand,
  paginateListParents,
  paginateListRoots,
  type OrganizationsClient,
} from "@aws-sdk/client-organizations";

// The OU path of each account, from ListParents up to the root, with a cache for one sync: each
// OU's parent and name are asked once (an organization of 1,000 accounts in 50 OUs costs one
// ListParents per account, and one ListParents and one DescribeOrganizationalUnit per OU).

/** Organizations nests OUs five deep under the root; more is a hostile or broken answer. */
const MAX_DEPTH = 10;

export interface OuPath {
  /** Root first, then each OU down to the account's parent. */
  ids: string[];
  /** "Root / Prod / Payments". */
  path: string;
}

export class OuPathCache {
  private readonly parents = new Map<string, Promise<string | null>>();
  private readonly names = new Map<string, Promise<string>>();
  describes = 0;

  private constructor(
    private readonly client: OrganizationsClient,
    roots: { id: string; name: string }[],
  ) {
    for (const root of roots) {
      this.parents.set(root.id, Promise.resolve(null));
      this.names.set(root.id, Promise.resolve(root.name));
    }
  }

  static async load(client: OrganizationsClient): Promise<OuPathCache> {
    const roots: { id: string; name: string }[] = [];
    for await (const page of paginateListRoots({ client }, {}))
      for (const r of page.Roots ?? []) if (r.Id) roots.push({ id: r.Id, name: r.Name ?? "Root" });
    return new OuPathCache(client, roots);
  }

  private async listParent(childId: string): Promise<string | null> {
    for await (const page of paginateListParents({ client: this.client }, { ChildId: childId }))
      for (const p of page.Parents ?? []) if (p.Id) return p.Id;
    return null;
  }

  private parentOf(ouId: string): Promise<string | null> {
    let parent = this.parents.get(ouId);
    if (!parent) {
      parent = this.listParent(ouId);
      // A failure is not kept: the next account asks again.
      parent.catch(() => this.parents.delete(ouId));
      this.parents.set(ouId, parent);
    }
    return parent;
  }

  private nameOf(ouId: string): Promise<string> {
    let name = this.names.get(ouId);
    if (!name) {
      this.describes++;
      name = this.client
        .send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: ouId }))
        .then((r) => (r.OrganizationalUnit?.Name ?? ouId).slice(0, 128));
      name.catch(() => this.names.delete(ouId));
      this.names.set(ouId, name);
    }
    return name;
  }

  /** The path of the account from its root. */
  async pathOf(accountId: string): Promise<OuPath> {
    const ids: string[] = [];
    let current = await this.listParent(accountId);
    while (current && ids.length < MAX_DEPTH) {
      if (ids.includes(current)) break; // a cycle: stop rather than loop
      ids.unshift(current);
      current = await this.parentOf(current);
    }
    const names = await Promise.all(ids.map((id) => this.nameOf(id)));
    return { ids, path: names.join(" / ") };
  }
}
