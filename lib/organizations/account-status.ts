// How an account's place in its organization reads on screen: null when it is scanned as usual.

export function orgStatusLabel(a: {
  orgStatus: string | null;
  excludedReason: string | null;
}): string | null {
  switch (a.orgStatus) {
    case "SUSPENDED":
      return "Suspended";
    case "PENDING_CLOSURE":
      return "Closing";
    case "CLOSED":
      return "Closed";
    case "LEFT":
      return "Left the organization";
  }
  return a.excludedReason ? "Excluded by rule" : null;
}
