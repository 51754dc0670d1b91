// The API's errors: a status, a message that says what went wrong, and a hint that says what to do.
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export function badRequest(message: string, hint?: string): ApiError {
  return new ApiError(400, message, hint);
}
