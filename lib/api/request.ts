import { z } from "zod";
import { quoteForNotice } from "@/lib/query-params";

// Reading a request's query and body with the endpoint's zod schema. Every refusal names the
// parameter or field and says what is expected; nothing here throws.

export interface FieldError {
  name: string;
  message: string;
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldError[] };

const unwrap = (schema: z.ZodType): z.ZodType =>
  schema instanceof z.ZodOptional ? unwrap(schema.unwrap() as z.ZodType) : schema;

/**
 * The query as the schema's object: a parameter whose schema is an array takes every value given,
 * any other exactly one. Unknown parameters are refused, so that a typo never silently widens a
 * selection.
 */
export function parseQuery<S extends z.ZodObject>(schema: S, params: URLSearchParams): Parsed<z.output<S>> {
  const shape = schema.shape as Record<string, z.ZodType>;
  const errors: FieldError[] = [];
  const input: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    // Own keys only: `constructor` or `__proto__` are unknown parameters, not Object's.
    const field = Object.hasOwn(shape, name) ? shape[name] : undefined;
    if (!field) {
      const known = Object.keys(shape).join(", ");
      errors.push({
        name,
        message: `Unknown parameter ${quoteForNotice(name)}; this endpoint takes ${known || "none"}.`,
      });
    } else if (unwrap(field) instanceof z.ZodArray) input[name] = values;
    else if (values.length > 1)
      errors.push({ name, message: `Give "${name}" once (it was given ${values.length} times).` });
    else input[name] = values[0]!;
  }
  if (errors.length) return { ok: false, errors };
  return fromZod(schema.safeParse(input));
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): Parsed<z.output<S>> {
  return fromZod(schema.safeParse(body));
}

function fromZod<T>(result: z.ZodSafeParseResult<T>): Parsed<T> {
  if (result.success) return { ok: true, data: result.data };
  return {
    ok: false,
    errors: result.error.issues.slice(0, 10).map((issue) => ({
      name: issue.path.length ? issue.path.join(".") : "body",
      message: issue.message,
    })),
  };
}

/** Refusals as one sentence for a problem's `detail`. */
export const describeErrors = (errors: FieldError[]) =>
  errors
    .map((e) =>
      e.message.startsWith(e.name) || e.message.includes(`"${e.name}"`)
        ? e.message
        : `${e.name}: ${e.message}`,
    )
    .join(" ");
