"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";
import { isCurrentNavItem, type NavItem } from "./nav-items";

/** A sidebar link that tells sighted users and screen readers which page they are on. */
export function NavLink({ item }: { item: NavItem }) {
  const current = isCurrentNavItem(item, usePathname());
  return (
    <Link
      href={item.href}
      aria-current={current ? "page" : undefined}
      className={cn(
        "rounded-md px-2 py-1.5 text-sm hover:bg-background",
        current && "bg-background font-medium text-primary",
      )}
    >
      {item.label}
    </Link>
  );
}
