"use client";

import { signOut } from "next-auth/react";
import { Button } from "@/components/ui/button";
import { useHydrated } from "@/components/ui/use-hydrated";

/** Disabled until the page is interactive: a click before then would do nothing. */
export function SignOutButton() {
  const hydrated = useHydrated();
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={!hydrated}
      onClick={() => signOut({ callbackUrl: "/login" })}
    >
      Sign out
    </Button>
  );
}
