// The charts' axes, labels and tooltip in the theme's tokens, so that they read in light and dark.
export const AXIS = "var(--color-border)";
export const TICK = { fontSize: 11, fill: "var(--color-muted-foreground)" };
export const TOOLTIP_STYLE = {
  contentStyle: {
    background: "var(--color-card)",
    border: "1px solid var(--color-border)",
    borderRadius: 6,
    color: "var(--color-foreground)",
  },
  labelStyle: { color: "var(--color-foreground)" },
  cursor: { fill: "var(--color-muted)", stroke: "var(--color-border)" },
};
