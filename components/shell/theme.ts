/** The user's choice; "system" follows the operating system's light or dark setting. */
export type ThemeChoice = "system" | "light" | "dark";

const STORAGE_KEY = "kms-insights-theme";
const CHANGE_EVENT = "kms-insights-theme-change";

/**
 * Runs in <head> before the first paint (app/layout.tsx), so a dark page never flashes light: it
 * sets `class="dark"` on <html> from the stored choice or the system setting, and again whenever
 * either changes (the switch, another tab, the operating system).
 */
export const THEME_SCRIPT = `(function(){var m=matchMedia("(prefers-color-scheme: dark)");function a(){var t=null;try{t=localStorage.getItem("${STORAGE_KEY}")}catch(e){}var d=t==="dark"||(t!=="light"&&m.matches);document.documentElement.classList.toggle("dark",d)}a();m.addEventListener("change",a);addEventListener("storage",a);addEventListener("${CHANGE_EVENT}",a)})()`;

export function readThemeChoice(): ThemeChoice {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return stored === "light" || stored === "dark" ? stored : "system";
  } catch {
    return "system";
  }
}

export function saveThemeChoice(choice: ThemeChoice): void {
  try {
    if (choice === "system") localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    // Storage refused (some private modes): the choice cannot be kept, the system setting stays.
  }
  dispatchEvent(new Event(CHANGE_EVENT));
}

/** Calls `onChange` whenever the stored choice changes, here or in another tab. */
export function subscribeThemeChoice(onChange: () => void): () => void {
  addEventListener(CHANGE_EVENT, onChange);
  addEventListener("storage", onChange);
  return () => {
    removeEventListener(CHANGE_EVENT, onChange);
    removeEventListener("storage", onChange);
  };
}
