import './zod-config';
import { z } from 'zod';

/**
 * What a symbol and a timeframe may look like, written once for the API, the ops commands and
 * the browser. Syntax only: whether a timeframe exists is agg_timeframes' to say, and a symbol
 * is whatever the pipeline's bars_1m holds ("EUR/USD", "BRK B" on adopted databases).
 */
export const MAX_SYMBOL_LENGTH = 64;
export const TIMEFRAME_SYNTAX = /^[0-9A-Za-z]{1,16}$/;
// Control characters never occur in a symbol; refusing them keeps them out of logs.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

const show = (value: unknown, max = 40) => {
  const text = String(value);
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
};

export const symbolSchema = z
  .string()
  .min(1, { error: 'symbol must not be empty', abort: true })
  .max(MAX_SYMBOL_LENGTH, { error: `symbol must be at most ${MAX_SYMBOL_LENGTH} characters` })
  .refine((value) => value.trim() !== '', { error: 'symbol must not be blank' })
  .refine((value) => !CONTROL_CHARACTERS.test(value), { error: 'symbol must not contain control characters' });

export const timeframeSchema = z.string().regex(TIMEFRAME_SYNTAX, {
  error: (issue) => `timeframe must be a timeframe such as 5m or 1h, got ${show(issue.input)}`,
});

/** The first problem with a symbol, or null when it is a valid one. */
export function symbolProblem(value: string): string | null {
  const result = symbolSchema.safeParse(value);
  return result.success ? null : (result.error.issues[0]?.message ?? 'not a symbol');
}
