/** What every server action returns to its form: a message, and field errors for bad input. */
export interface ActionResult {
  ok: boolean;
  message?: string;
  errors?: Record<string, string[]>;
}

export const initialResult: ActionResult = { ok: false };
