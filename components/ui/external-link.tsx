import type * as React from "react";

/**
 * A link that leaves the console: a new tab, with neither opener nor referrer. `className` replaces
 * its look (a button's, through Button asChild).
 */
export function ExternalLink({
  href,
  children,
  className,
}: {
  href: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <a
      href={href}
      target="_blank"
      rel="noopener noreferrer"
      className={className ?? "text-primary underline"}
    >
      {children}
    </a>
  );
}
