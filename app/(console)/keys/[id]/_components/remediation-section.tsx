import { CopyButton } from "@/components/ui/copy-button";
import type { Remediation } from "@/lib/verdict/remediation";
import { Section } from "./section";

/** What fixes the finding: AWS CLI commands to copy, and the steps that are not one command. */
export function RemediationSection({ remediation }: { remediation: Remediation }) {
  return (
    <Section id="fix-heading" title="How to fix">
      <p className="mb-3 text-sm">{remediation.summary}</p>
      {remediation.commands.length > 0 && (
        <ol className="mb-3 space-y-2" aria-label="AWS CLI commands">
          {remediation.commands.map((command, i) => (
            <li key={command} className="flex items-start gap-2">
              <pre
                className="min-w-0 flex-1 overflow-x-auto rounded-md bg-muted px-3 py-2 text-xs"
                data-testid="fix-command"
              >
                <code>{command}</code>
              </pre>
              <CopyButton
                value={command}
                label={remediation.commands.length === 1 ? "Copy the command" : `Copy command ${i + 1}`}
              />
            </li>
          ))}
        </ol>
      )}
      {remediation.steps.length > 0 && (
        <ol className="list-decimal space-y-1 pl-5 text-sm break-words">
          {remediation.steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      )}
    </Section>
  );
}
