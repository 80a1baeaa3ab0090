import { Button, type ButtonProps } from "@/components/ui/button";

/** A form's submit button on its own line, disabled and saying `pendingLabel` while the action runs. */
export function SubmitButton({
  pending,
  pendingLabel = "Saving…",
  children,
  ...buttonProps
}: Omit<ButtonProps, "type" | "disabled"> & { pending: boolean; pendingLabel?: string }) {
  return (
    <div>
      <Button type="submit" disabled={pending} {...buttonProps}>
        {pending ? pendingLabel : children}
      </Button>
    </div>
  );
}
