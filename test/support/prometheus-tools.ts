import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestContext } from 'vitest';

/**
 * Debian's prometheus and prometheus-alertmanager packages (.ci/run installs them). On a machine
 * without them the tests that need them are skipped with the reason printed; .ci/run sets
 * FRONTIER_REQUIRE_PROMETHEUS=1 so that there a missing tool fails instead of skipping.
 */
export const TOOLS = {
  promtool: '/usr/bin/promtool',
  prometheus: '/usr/bin/prometheus',
  alertmanager: '/usr/bin/prometheus-alertmanager',
  amtool: '/usr/bin/amtool',
} as const;

export type Tool = keyof typeof TOOLS;

/** The tool's path, or a skip (fail under .ci/run) saying which package is missing. */
export function requireTool(context: TestContext, tool: Tool): string {
  const file = process.env[`FRONTIER_${tool.toUpperCase()}`] ?? TOOLS[tool];
  if (existsSync(file)) return file;
  const pkg = tool === 'alertmanager' || tool === 'amtool' ? 'prometheus-alertmanager' : 'prometheus';
  const reason = `skipped: ${file} not found — install Debian's ${pkg} package (apt-get install -y ${pkg}); .ci/run does`;
  if (process.env.FRONTIER_REQUIRE_PROMETHEUS === '1') throw new Error(`${reason} (FRONTIER_REQUIRE_PROMETHEUS=1 forbids skipping)`);
  console.warn(`[alerts] ${reason}`);
  context.skip(reason);
  return file; // not reached: skip() throws
}

export interface ToolRun {
  status: number | null;
  output: string;
}

/** Runs a tool to the end (bounded); stdout and stderr together, as a person would read them. */
export function runTool(file: string, args: string[], input?: string): ToolRun {
  const result = spawnSync(file, args, { encoding: 'utf8', input, timeout: 60_000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}
