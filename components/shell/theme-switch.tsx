"use client";

import { Monitor, Moon, Sun } from "lucide-react";
import { useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { readThemeChoice, saveThemeChoice, subscribeThemeChoice, type ThemeChoice } from "./theme";

const CHOICES: Record<ThemeChoice, { label: string; Icon: typeof Sun }> = {
  system: { label: "System", Icon: Monitor },
  light: { label: "Light", Icon: Sun },
  dark: { label: "Dark", Icon: Moon },
};

/** System, light or dark; remembered in this browser. */
export function ThemeSwitch() {
  // The server cannot know the stored choice: it renders "system", the browser then shows the real one.
  const choice = useSyncExternalStore(subscribeThemeChoice, readThemeChoice, () => "system" as const);
  const { label, Icon } = CHOICES[choice];
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`Theme: ${label}`} data-testid="theme-switch">
          <Icon className="h-4 w-4" aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel>Theme</DropdownMenuLabel>
        <DropdownMenuRadioGroup value={choice} onValueChange={(v) => saveThemeChoice(v as ThemeChoice)}>
          {(Object.keys(CHOICES) as ThemeChoice[]).map((value) => {
            const { label: itemLabel, Icon: ItemIcon } = CHOICES[value];
            return (
              <DropdownMenuRadioItem key={value} value={value}>
                <ItemIcon className="h-4 w-4" aria-hidden />
                {itemLabel}
              </DropdownMenuRadioItem>
            );
          })}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
