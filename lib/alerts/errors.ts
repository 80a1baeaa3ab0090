/** Input an alert destination or rule cannot take: a sentence, and the form field it is about. */
export class AlertInputError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
