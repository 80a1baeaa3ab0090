"use client";

import { Bookmark } from "lucide-react";
import { ActionMessage } from "@/components/forms/action-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { VIEW_NAME_MAX } from "@/lib/saved-views/schema";
import { saveViewAction } from "../../../views/actions";

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
  // The console's one form pattern: a refused name stays as typed and gets the focus; a saved
  // one empties the field.
  const { result, errors, pending, formProps } = useActionForm(saveViewAction, { resetOnSuccess: true });
  return (
    <form {...formProps} className="grid gap-3" aria-label="Save view">
      <input type="hidden" name="query" value={query} />
      <FormField
        id="save-view-name"
        label="Name"
        hint="The table's filters, sort and page size, listed under My views in the sidebar."
        errors={errors.name}
        name="name"
        autoComplete="off"
        required
        maxLength={VIEW_NAME_MAX}
      />
      <ActionMessage result={result.errors ? { ok: false } : result} />
      <SubmitButton pending={pending} size="sm">
        Save
      </SubmitButton>
    </form>
  );
}
