// How a scan's changes are written beside their words ("+3 new, −1 resolved, 0 reopened"): a sign
// only on a count that moved, so that nothing reads "−0".

export const added = (n: number): string => (n === 0 ? "0" : `+${n}`);
export const removed = (n: number): string => (n === 0 ? "0" : `−${n}`);
