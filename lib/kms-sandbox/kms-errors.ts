/** An awsJson1_1 error: served as `{"__type": code, "message": message}` with `status`. */
export class KmsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra members of the error body (Organizations' Reason, the Account API's fieldList). */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export const notFound = (message: string) => new KmsError("NotFoundException", message);
export const validation = (message: string) => new KmsError("ValidationException", message);
export const serialization = (message: string) => new KmsError("SerializationException", message);
export const invalidState = (message: string) => new KmsError("KMSInvalidStateException", message);
export const unsupported = (message: string) => new KmsError("UnsupportedOperationException", message);
export const accessDenied = (
  callerArn: string,
  operation: string,
  resource: string,
  why = "because no identity-based policy allows the kms:" + operation + " action",
) =>
  new KmsError(
    "AccessDeniedException",
    `User: ${callerArn} is not authorized to perform: kms:${operation} on resource: ${resource} ${why}`,
  );
export const internalError = () =>
  new KmsError("KMSInternalException", "An internal error occurred. Please try again.", 500);
export const dependencyTimeout = () =>
  new KmsError(
    "DependencyTimeoutException",
    "The system timed out while trying to fulfill the request.",
    503,
  );
export const throttled = (operation: string) =>
  new KmsError(
    "ThrottlingException",
    `You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls to ${operation}.`,
  );
