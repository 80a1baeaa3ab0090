import { z } from "zod";

// A saved view as a user names it (console form, later the CLI): one schema, one set of messages.

export const VIEW_NAME_MAX = 80;
/** Views one user may keep: the sidebar lists them all. */
export const MAX_VIEWS_PER_USER = 50;
/** A canonical query is far shorter; anything longer is not one of the table's links. */
const VIEW_QUERY_MAX = 16_000;

export const viewNameSchema = z
  .string({ error: "A name is required." })
  .trim()
  .min(1, "A name is required.")
  .max(VIEW_NAME_MAX, `A name is at most ${VIEW_NAME_MAX} characters.`)
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), "A name cannot contain control characters.");

export const viewQuerySchema = z
  .string({ error: "The view's filters are missing." })
  .max(VIEW_QUERY_MAX, "Those filters are too long to save as a view.")
  .transform((query) => query.replace(/^\?/, ""));

export const newViewSchema = z.object({ name: viewNameSchema, query: viewQuerySchema });
export type NewViewInput = z.input<typeof newViewSchema>;

export const viewIdSchema = z
  .string({ error: "Choose a view." })
  .min(1, "Choose a view.")
  .max(64, "Choose a view.");
