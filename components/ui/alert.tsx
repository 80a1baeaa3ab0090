import * as React from "react";
import { cn } from "@/lib/utils";

const tones = {
  info: "border-primary/30 bg-primary/5 text-foreground",
  warning: "border-warning/40 bg-warning/10 text-foreground",
  error: "border-critical/40 bg-critical/10 text-foreground",
} as const;

export function Alert({
  tone = "info",
  className,
  ...props
}: React.HTMLAttributes<HTMLDivElement> & { tone?: keyof typeof tones }) {
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={cn("rounded-md border px-4 py-3 text-sm", tones[tone], className)}
      {...props}
    />
  );
}
