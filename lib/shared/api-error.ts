/**
 * The one error class of the HTTP API, on both sides: the server throws it to answer
 * `{ "error": { code, message } }` with its status (lib/api/respond.ts), and the browser's
 * fetch helper throws it for a failed call (components/hooks/api-fetch.ts). Pure: no Node or
 * browser imports, so both bundles can use it.
 */

/** Codes the server answers with. */
export type ServerErrorCode = 'bad_request' | 'not_found' | 'db_unavailable' | 'internal';
/** Codes the browser gives a call that got no answer from the API, or not the API's answer. */
export type ClientErrorCode = 'timeout' | 'network' | 'bad_response' | `http_${number}`;

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when there was no answer at all. */
    readonly status: number,
    /** A server code, or whatever code an error body carried (the server may be newer). */
    readonly code: ServerErrorCode | ClientErrorCode | (string & {}),
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}
