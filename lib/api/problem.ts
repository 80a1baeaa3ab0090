// Errors of the API as RFC 9457 problem details (application/problem+json): a status, a title
// and a `detail` a person can act on; `errors` lists each refused parameter or field.

export const PROBLEM_TYPE = "application/problem+json";

export interface Problem {
  status: number;
  title: string;
  detail: string;
  errors?: { name: string; message: string }[];
}

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Unprocessable content",
  429: "Too many requests",
  500: "Internal server error",
  503: "Service unavailable",
};

export function problem(
  status: number,
  detail: string,
  extra: { errors?: Problem["errors"]; headers?: Record<string, string> } = {},
): Response {
  const body: Problem = { status, title: TITLES[status] ?? "Error", detail };
  if (extra.errors?.length) body.errors = extra.errors;
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": PROBLEM_TYPE, "Cache-Control": "no-store", ...extra.headers },
  });
}
