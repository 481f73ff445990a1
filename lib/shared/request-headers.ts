/** Request header proxy.ts sets to the raw (%-encoded) request path, for the pair page to read. */
export const RAW_PATH_HEADER = 'x-frontier-raw-path';
