/**
 * One error shape for every response: { error, message, details? }.
 * 4xx errors are the user's to fix and say how; 5xx never leak internals.
 */
export type ErrorDetail = object;

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: ErrorDetail[]) =>
  new HttpError(400, 'bad_request', message, details);

/**
 * Why a file cannot be imported, as the `error` code: a client says it in its own language and
 * points at its own controls (the import dialog's 坐标系 and 属性编码), the message says it in
 * English for API users.
 */
export const FILE_ERROR_CODES = ['unknown_projection', 'wrong_encoding', 'incomplete_shapefile', 'no_coordinates', 'no_features', 'unreadable_file', 'unsupported_file'] as const;
export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];

export const badFile = (code: FileErrorCode, message: string) => new HttpError(400, code, message);

export const invalidParameter = (parameter: string, message: string) =>
  new HttpError(400, 'invalid_parameter', `${parameter}: ${message}`, [{ parameter, message }]);

export const notFound = (message: string) => new HttpError(404, 'not_found', message);

export const conflict = (message: string, details?: ErrorDetail[]) => new HttpError(409, 'conflict', message, details);

export const unprocessable = (code: string, message: string, details?: ErrorDetail[]) =>
  new HttpError(422, code, message, details);

/** A start-up problem the operator fixes by a setting: printed as one line, no stack trace. */
export class StartupError extends Error {}
