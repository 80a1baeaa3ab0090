import type { PrismaClient } from "@/lib/generated/prisma/client";
import { savedViewHref } from "./query";

export interface SavedViewItem {
  id: string;
  name: string;
  /** The stored canonical query. */
  query: string;
  href: string;
  shared: boolean;
  ownerEmail: string;
}

export interface SavedViewLists {
  /** The user's own views, shared or not. */
  mine: SavedViewItem[];
  /** Views others shared with everyone. */
  shared: SavedViewItem[];
}

const byName = new Intl.Collator("en", { sensitivity: "base", numeric: true });

/** The views `userId` sees: their own and the shared ones, each list ordered by name. */
export async function listSavedViews(db: PrismaClient, userId: string): Promise<SavedViewLists> {
  const rows = await db.savedView.findMany({
    where: { OR: [{ ownerId: userId }, { shared: true }] },
    select: {
      id: true,
      name: true,
      query: true,
      shared: true,
      ownerId: true,
      owner: { select: { email: true } },
    },
  });
  const items = rows
    .map((row) => ({
      item: {
        id: row.id,
        name: row.name,
        query: row.query,
        href: savedViewHref(row.query),
        shared: row.shared,
        ownerEmail: row.owner.email,
      },
      mine: row.ownerId === userId,
    }))
    .sort(
      (a, b) =>
        byName.compare(a.item.name, b.item.name) || a.item.ownerEmail.localeCompare(b.item.ownerEmail),
    );
  return {
    mine: items.filter((i) => i.mine).map((i) => i.item),
    shared: items.filter((i) => !i.mine).map((i) => i.item),
  };
}
