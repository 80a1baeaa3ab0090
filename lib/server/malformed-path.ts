// A request whose path has a %-escape that does not decode (`/keys/%ff`, `/fixes/%E0%A4%A`): Next.js
// answers those with a bare 500 when the path has a dynamic segment. The web server answers them
// itself, before Next.js, with a 400 that says what is wrong (lib/server/web.ts).

/** Whether the path of a request's URL (its query left out) has a %-escape that does not decode. */
export function hasMalformedPath(url: string | undefined): boolean {
  const path = (url ?? "/").split("?", 1)[0]!;
  if (!path.includes("%")) return false;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

export const MALFORMED_PATH_MESSAGE =
  "Bad request: the address has a %-escape that does not decode (a % must be followed by two hex " +
  "digits, and the bytes must be UTF-8). Check the link, or go to the console's home page: /\n";
