/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection"), plus the
 * full-width forms that Apple Numbers normalises to them.
 */
const FORMULA_TRIGGERS = new Set(["=", "+", "-", "@", "\t", "\r", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"]);

/** Prefixes a cell that a spreadsheet would evaluate with `'`, so it is shown as text. */
export function neutralizeCell(value: string): string {
  return value.length > 0 && FORMULA_TRIGGERS.has(value[0]!) ? `'${value}` : value;
}
