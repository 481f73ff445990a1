import { z } from 'zod';
import { badRequest, quoted } from './errors';

/**
 * Query-string plumbing shared by the routes: every parameter is named in its error message,
 * unknown and repeated parameters are refused (a typo must not silently mean "no filter").
 */
export function rejectUnknownAndRepeated(
  params: URLSearchParams,
  known: readonly string[],
  repeatable: readonly string[] = [],
): void {
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (!known.includes(name)) {
      throw badRequest(
        known.length > 0
          ? `unknown parameter ${quoted(name)}; known: ${known.join(', ')}`
          : `unknown parameter ${quoted(name)}; this endpoint takes none`,
      );
    }
    if (seen.has(name) && !repeatable.includes(name)) throw badRequest(`parameter ${name} is given more than once`);
    seen.add(name);
  }
}

/** Repeated and comma-separated values of one parameter (`?state=A&state=B,C`), trimmed. */
export function listValues(params: URLSearchParams, name: string): string[] {
  return params
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim());
}

/** A base-10 integer in [min, max]: no sign, exponent, decimals, hex, spaces or NaN. */
export function intParam(name: string, min: number, max: number) {
  return z.string().transform((value, context) => {
    const parsed = /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      context.addIssue({
        code: 'custom',
        message: `${name} must be an integer from ${min} to ${max}, got ${quoted(value)}`,
      });
      return z.NEVER;
    }
    return parsed;
  });
}

/** One of a fixed list, with a message that lists them and quotes what was sent. */
export function oneOf<const T extends readonly [string, ...string[]]>(name: string, values: T) {
  return z.enum(values, {
    error: (issue) => `${name} must be one of ${values.join(', ')}, got ${quoted(String(issue.input))}`,
  });
}

/** Parses with a schema and turns every issue into one 400 message. */
export function parseParams<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw badRequest(parsed.error.issues.map((issue) => issue.message).join('; '));
}
