// Chart colours and text as CSS variables (the theme's tokens), so that charts follow dark mode.

export const AXIS_TICK = { fontSize: 11, fill: "var(--color-muted-foreground)" } as const;
export const AXIS_LINE = "var(--color-border)";
export const TOOLTIP_STYLE = {
  backgroundColor: "var(--color-card, var(--color-background))",
  borderColor: "var(--color-border)",
  color: "var(--color-foreground)",
} as const;
export const LEGEND_STYLE = { color: "var(--color-foreground)", fontSize: 12 } as const;
