// Deterministic hostile input for fuzz tests: SQL fragments, huge values, odd unicode, repeated and
// unknown parameters, broken percent-encoding.

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  "' OR 1=1 --",
  "'; DROP TABLE kms_keys; --",
  "1; SELECT pg_sleep(5)",
  '" OR ""="',
  "%' AND '%'='",
  "\\",
  "%%%%",
  "_",
  "$1",
  "::text",
  "NULL",
  "\u0000",
  "\u202Egnp.exe",
  "👩‍👩‍👧‍👦",
  "Z̴͑̀a̴͓l̷go",
  "<script>alert(1)</script>",
  "=cmd|'/C calc'!A0",
  "../../etc/passwd",
  "-",
  "0",
  "-1",
  "999999999999999999999999",
  "1e309",
  "NaN",
  "CRITICAL",
  "critical",
  "NOT_APPLICABLE",
  "123456789012",
  "us-east-1",
  "-severity",
  "severity",
  "tags",
  "Environment",
  "prod",
];
const NAMES = [
  "account",
  "severity",
  "region",
  "tag",
  "tagValue",
  "q",
  "sort",
  "page",
  "pageSize",
  "cols",
  "x",
  "__proto__",
  "constructor",
  "toString",
  "state",
  "ou",
  "status",
  "change",
  "since",
  "scan",
  "cursor",
  "format",
  "limit",
  "",
  "severity[]",
  "q ",
];

export function hostileValue(r: () => number): string {
  const pick = r();
  if (pick < 0.05) return "x".repeat(1 + Math.floor(r() * 20_000));
  if (pick < 0.1)
    return String.fromCharCode(
      ...Array.from({ length: 1 + Math.floor(r() * 40) }, () => Math.floor(r() * 0xd7ff)),
    );
  const parts = Array.from(
    { length: 1 + Math.floor(r() * 3) },
    () => FRAGMENTS[Math.floor(r() * FRAGMENTS.length)]!,
  );
  return parts.join(r() < 0.5 ? "" : " ");
}

/** A query string (without "?") of 0–12 parameters, some names unknown, some repeated. */
export function hostileQuery(r: () => number): string {
  const n = Math.floor(r() * 12);
  const params = new URLSearchParams();
  for (let i = 0; i < n; i++) params.append(NAMES[Math.floor(r() * NAMES.length)]!, hostileValue(r));
  let qs = params.toString();
  if (r() < 0.05) qs += "&q=%E0%A4%A&page=%"; // broken percent-encoding
  return qs;
}
