"use client";

import { useActionState, useEffect, useRef, useState, useTransition } from "react";
import { focusFirstError } from "@/components/forms/focus-first-error";
import { hasErrors, type FieldErrors } from "@/lib/actions/form-values";
import { FIX_FIELDS_NOT_SENT, initialResult, type ActionResult } from "@/lib/actions/result-shape";

type FormAction = (previous: ActionResult, form: FormData) => Promise<ActionResult>;

interface ActionFormOptions {
  /** The browser's check before sending, with the server's rules (from lib/); errors block sending. */
  check?: (form: FormData) => FieldErrors;
  /** Empty the form after a success (a form that adds things); otherwise it keeps what it shows. */
  resetOnSuccess?: boolean;
  /** What the form shows before its first answer (a message the page was opened with). */
  initial?: ActionResult;
}

/**
 * The one way a console form talks to its server action. The form is submitted from `onSubmit`
 * (React's form action would reset every field afterwards), so a refused form keeps what was
 * typed; `check` stops a form the server would refuse before it is sent; after each outcome the
 * first field marked invalid gets the focus. `action` stays on the form for a browser without
 * JavaScript yet. Spread `formProps` on the <form>, show `result` in an ActionMessage on top and
 * `errors[name]` beside each field.
 */
export function useActionForm(action: FormAction, options: ActionFormOptions = {}) {
  const [start] = useState(options.initial ?? initialResult);
  const [serverResult, dispatch, pending] = useActionState(action, start);
  const [, startTransition] = useTransition();
  const ref = useRef<HTMLFormElement>(null);
  // What the form shows: the server's last answer, or the browser's refusal made after it.
  const [outcome, setOutcome] = useState(serverResult);
  const [seen, setSeen] = useState(serverResult);
  if (serverResult !== seen) {
    setSeen(serverResult);
    setOutcome(serverResult);
  }

  const { check, resetOnSuccess } = options;
  useEffect(() => {
    const form = ref.current;
    if (!form || outcome === start || outcome === initialResult) return;
    if (outcome.ok) {
      if (resetOnSuccess) form.reset();
      return;
    }
    focusFirstError(form);
  }, [outcome, start, resetOnSuccess]);

  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const errors = check?.(data) ?? {};
    if (hasErrors(errors)) {
      setOutcome({ ok: false, message: FIX_FIELDS_NOT_SENT, errors });
      return;
    }
    setOutcome(initialResult);
    startTransition(() => dispatch(data));
  };

  return {
    result: outcome,
    errors: outcome.errors ?? {},
    pending,
    formProps: { ref, action: dispatch, onSubmit, noValidate: true },
  };
}
