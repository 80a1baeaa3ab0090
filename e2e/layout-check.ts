import type { Page } from "@playwright/test";

/**
 * Controls side by side that do not line up: buttons, inputs and selects of one flex row and one
 * line whose heights differ or whose centres are more than 2 px apart (a small button beside a
 * large one, a field that sits lower than its neighbour). One line per row found.
 */
export function misalignedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const visible = [...document.querySelectorAll("main .btn, main .input, main select, main button")].filter(
      (el) => (el as HTMLElement).offsetParent !== null,
    );
    // Grouped by the nearest flex container: the row they were laid out in.
    const rows = new Map<Element, Element[]>();
    for (const el of visible) {
      let row = el.parentElement;
      while (row && row !== document.body && !getComputedStyle(row).display.includes("flex"))
        row = row.parentElement;
      if (row) rows.set(row, [...(rows.get(row) ?? []), el]);
    }
    for (const els of rows.values()) {
      // A wrapped row has several lines: controls whose boxes overlap from top to bottom share one
      // (a field pushed 20 px down still overlaps its neighbour; the next line does not).
      const lines: { top: number; bottom: number; boxes: { el: Element; r: DOMRect }[] }[] = [];
      for (const el of els) {
        const r = el.getBoundingClientRect();
        const line = lines.find((l) => r.top < l.bottom && r.bottom > l.top);
        if (line) line.boxes.push({ el, r });
        else lines.push({ top: r.top, bottom: r.bottom, boxes: [{ el, r }] });
      }
      for (const { boxes } of lines) {
        if (boxes.length < 2) continue;
        const heights = new Set(boxes.map(({ r }) => Math.round(r.height)));
        const centres = boxes.map(({ r }) => r.top + r.height / 2);
        if (heights.size === 1 && Math.max(...centres) - Math.min(...centres) <= 2) continue;
        const name = (el: Element) =>
          (
            el.getAttribute("aria-label") ||
            el.textContent ||
            (el as HTMLInputElement).placeholder ||
            el.tagName
          )
            .trim()
            .slice(0, 24);
        found.push(
          boxes
            .map(({ el, r }) => `"${name(el)}" ${Math.round(r.height)} px high at ${Math.round(r.top)}`)
            .join(", "),
        );
      }
    }
    return found;
  });
}
