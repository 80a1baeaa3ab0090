import * as React from "react";
import { cn } from "@/lib/utils";

export function Input({ className, type, ...props }: React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <input
      type={type}
      // The look is the `input` class (app/globals.css): one word in the page's HTML.
      className={cn("input", className)}
      {...props}
    />
  );
}
