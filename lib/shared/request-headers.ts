/** Request header proxy.ts sets to the raw (%-encoded) request path, for the pair page to read. */
export const RAW_PATH_HEADER = 'x-frontier-raw-path';

/**
 * Request header of a reverse proxy's access check (deploy/nginx: auth_request): "may these
 * credentials read this path?" proxy.ts answers 204 or the refusal, and the route never runs.
 */
export const ACCESS_CHECK_HEADER = 'x-frontier-access-check';
