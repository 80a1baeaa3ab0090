import { audit, type Actor } from "@/lib/audit/log";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { RoleName } from "@/lib/users/schema";
import { canonicalViewQuery } from "./query";
import { MAX_VIEWS_PER_USER, newViewSchema, type NewViewInput, viewNameSchema } from "./schema";

// Saved views: any signed-in user saves, renames and deletes their own; an admin shares one of
// theirs with everyone, unshares any shared one and may delete it. Each change and its audit entry
// commit in one transaction. Others' private views do not exist for a caller: refusals never tell
// them apart from a view that was deleted.

/** A refusal a person can act on; `field` names the form field it belongs beside. */
export class SavedViewError extends Error {
  constructor(
    message: string,
    readonly field?: "name",
  ) {
    super(message);
  }
}

/** Who acts: a signed-in user (a view always has an owner) with their role. */
export interface SavedViewActor extends Actor {
  actorId: string;
  role: RoleName;
}

export interface SavedView {
  id: string;
  name: string;
  query: string;
  shared: boolean;
}

type Tx = Prisma.TransactionClient;

const GONE = "That view no longer exists.";
const ADMINS_SHARE = "Only an admin can share or unshare a view.";
const taken = (name: string) => new SavedViewError(`You already have a view named "${name}".`, "name");
const isUniqueViolation = (err: unknown) =>
  err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

/** The view if the actor may see it (theirs, or shared), locked for the change. */
async function visibleView(tx: Tx, id: string, actor: SavedViewActor) {
  const [view] = await tx.$queryRaw<(SavedView & { ownerId: string; ownerEmail: string })[]>`
    SELECT v.id, v.name, v.query, v.shared, v.owner_id AS "ownerId", u.email AS "ownerEmail"
    FROM saved_views v JOIN users u ON u.id = v.owner_id
    WHERE v.id = ${id} AND (v.owner_id = ${actor.actorId} OR v.shared)
    FOR UPDATE OF v`;
  if (!view) throw new SavedViewError(GONE);
  return view;
}

const details = (view: { name: string; query: string; ownerEmail: string }) => ({
  name: view.name,
  query: view.query,
  owner: view.ownerEmail,
});

/** Saves the actor's filters under a name; the query is stored in the table's canonical form. */
export async function saveView(
  db: PrismaClient,
  input: NewViewInput,
  actor: SavedViewActor,
): Promise<SavedView> {
  const parsed = newViewSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SavedViewError(issue.message, issue.path[0] === "name" ? "name" : undefined);
  }
  const name = parsed.data.name;
  const query = canonicalViewQuery(parsed.data.query);
  try {
    return await db.$transaction(async (tx) => {
      const own = await tx.savedView.findMany({ where: { ownerId: actor.actorId }, select: { name: true } });
      if (own.some((v) => v.name === name)) throw taken(name);
      if (own.length >= MAX_VIEWS_PER_USER)
        throw new SavedViewError(
          `You have ${MAX_VIEWS_PER_USER} views, the most one user may keep: delete one first.`,
          "name",
        );
      const view = await tx.savedView.create({
        data: { ownerId: actor.actorId, name, query },
        select: { id: true, name: true, query: true, shared: true },
      });
      await audit(tx, {
        ...actor,
        action: "saved_view.create",
        target: view.id,
        details: details({ ...view, ownerEmail: actor.actorEmail }),
      });
      return view;
    });
  } catch (err) {
    // The same name saved twice at once: the unique index decides.
    if (isUniqueViolation(err)) throw taken(name);
    throw err;
  }
}

/** Renames one of the actor's views. */
export async function renameView(
  db: PrismaClient,
  id: string,
  newName: string,
  actor: SavedViewActor,
): Promise<SavedView> {
  const parsed = viewNameSchema.safeParse(newName);
  if (!parsed.success) throw new SavedViewError(parsed.error.issues[0]!.message, "name");
  const name = parsed.data;
  try {
    return await db.$transaction(async (tx) => {
      const view = await visibleView(tx, id, actor);
      if (view.ownerId !== actor.actorId) throw new SavedViewError("Only its owner can rename a view.");
      if (view.name === name) return view;
      const renamed = await tx.savedView.update({
        where: { id },
        data: { name },
        select: { id: true, name: true, query: true, shared: true },
      });
      await audit(tx, {
        ...actor,
        action: "saved_view.rename",
        target: id,
        details: { ...details(view), from: view.name, to: name },
      });
      return renamed;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(name);
    throw err;
  }
}

/** Deletes a view: its owner, or an admin when it is shared. */
export async function deleteView(db: PrismaClient, id: string, actor: SavedViewActor): Promise<void> {
  await db.$transaction(async (tx) => {
    const view = await visibleView(tx, id, actor);
    if (view.ownerId !== actor.actorId && actor.role !== "admin")
      throw new SavedViewError("Only its owner or an admin can delete a shared view.");
    await tx.savedView.delete({ where: { id } });
    await audit(tx, { ...actor, action: "saved_view.delete", target: id, details: details(view) });
  });
}

/**
 * An admin shares one of their views with everyone (listed under "Shared"), or ends the sharing
 * of any shared view (it stays its owner's).
 */
export async function setViewShared(
  db: PrismaClient,
  id: string,
  shared: boolean,
  actor: SavedViewActor,
): Promise<SavedView> {
  if (actor.role !== "admin") throw new SavedViewError(ADMINS_SHARE);
  return db.$transaction(async (tx) => {
    const view = await visibleView(tx, id, actor);
    if (view.shared === shared)
      throw new SavedViewError(shared ? "That view is already shared." : "That view is not shared.");
    const changed = await tx.savedView.update({
      where: { id },
      data: { shared },
      select: { id: true, name: true, query: true, shared: true },
    });
    await audit(tx, {
      ...actor,
      action: shared ? "saved_view.share" : "saved_view.unshare",
      target: id,
      details: details(view),
    });
    return changed;
  });
}
