import {
  fieldErrorsOf,
  formOptional,
  formText,
  formTexts,
  type FieldErrors,
} from "@/lib/actions/form-values";
import { destinationInputSchema } from "./destination-schema";
import { ruleInputSchema } from "./rule-schema";

// The console's alert forms: what the browser posts, read the same way by the browser's check
// before sending and by the server actions.

export function readDestinationForm(form: FormData) {
  return {
    kind: formText(form, "kind"),
    name: formText(form, "name"),
    url: formText(form, "url"),
    secret: formOptional(form, "secret"),
    slackUrl: formOptional(form, "slackUrl"),
    host: formText(form, "host"),
    port: formText(form, "port"),
    security: formText(form, "security"),
    username: formOptional(form, "username"),
    password: formOptional(form, "password"),
    from: formText(form, "from"),
    to: formText(form, "to"),
  };
}

export function checkDestinationForm(form: FormData): FieldErrors {
  const parsed = destinationInputSchema.safeParse(readDestinationForm(form));
  return parsed.success ? {} : fieldErrorsOf(parsed.error.issues);
}

/** Every value of a repeated field (checkboxes), each possibly comma, space or newline separated. */
const listOf = (form: FormData, name: string) =>
  formTexts(form, name)
    .flatMap((v) => v.split(/[\s,]+/))
    .filter(Boolean);

export function readRuleForm(form: FormData) {
  return {
    name: formText(form, "name"),
    kind: formText(form, "kind"),
    destinationId: formText(form, "destinationId"),
    enabled: form.get("enabled") !== "off",
    severities: formTexts(form, "severities"),
    accountIds: listOf(form, "accountIds"),
    ouIds: listOf(form, "ouIds"),
    tagKey: formOptional(form, "tagKey"),
    tagValue: formOptional(form, "tagValue"),
    days: formOptional(form, "days"),
  };
}

export function checkRuleForm(form: FormData): FieldErrors {
  const parsed = ruleInputSchema.safeParse(readRuleForm(form));
  return parsed.success ? {} : fieldErrorsOf(parsed.error.issues);
}
