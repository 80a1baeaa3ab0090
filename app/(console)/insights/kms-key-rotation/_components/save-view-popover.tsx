"use client";

import { Bookmark } from "lucide-react";
import { useActionState, useEffect, useState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { initialResult } from "@/lib/actions/result-shape";
import { VIEW_NAME_MAX } from "@/lib/saved-views/schema";
import { saveViewAction } from "../../../views/actions";

const NAME_ID = "save-view-name";

/** "Save view": names the table's current filters (`query`, canonical) and keeps them in the sidebar. */
export function SaveViewPopover({ query }: { query: string }) {
  return (
    <Popover>
      <PopoverTrigger asChild>
        <Button variant="outline" size="sm">
          <Bookmark className="h-4 w-4" aria-hidden />
          Save view
        </Button>
      </PopoverTrigger>
      <PopoverContent align="end" className="w-80 bg-card" aria-label="Save view">
        {/* Inside the popover, so that each opening starts afresh (no message of the last one). */}
        <SaveViewForm query={query} />
      </PopoverContent>
    </Popover>
  );
}

function SaveViewForm({ query }: { query: string }) {
  const [result, action, pending] = useActionState(saveViewAction, initialResult);
  // Controlled, so that a refused name stays as typed (React resets uncontrolled fields).
  const [name, setName] = useState("");
  const [seen, setSeen] = useState(result);
  if (result !== seen) {
    setSeen(result);
    if (result.ok) setName("");
  }
  const nameErrors = result.errors?.name;
  useEffect(() => {
    if (nameErrors?.length) document.getElementById(NAME_ID)?.focus();
  }, [nameErrors]);
  return (
    <form action={action} className="grid gap-3" aria-label="Save view">
      <input type="hidden" name="query" value={query} />
      <FormField
        id={NAME_ID}
        label="Name"
        hint="The table's filters, sort and page size, listed under My views in the sidebar."
        errors={nameErrors}
        name="name"
        autoComplete="off"
        required
        maxLength={VIEW_NAME_MAX}
        value={name}
        onChange={(ev) => setName(ev.target.value)}
      />
      <ActionMessage result={result.errors ? { ok: false } : result} />
      <SubmitButton pending={pending} size="sm">
        Save
      </SubmitButton>
    </form>
  );
}
