/** Moves the focus to the first control of `form` marked invalid, in the order they are shown. */
export function focusFirstError(form: HTMLFormElement | null): void {
  form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
