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

export function toolFile(tool: Tool): string {
  return process.env[`FRONTIER_${tool.toUpperCase()}`] ?? TOOLS[tool];
}

/**
 * Why a test that needs these tools cannot run here, or undefined when they are all there.
 * Under FRONTIER_REQUIRE_PROMETHEUS=1 (.ci/run) a missing tool throws instead: no skipping.
 */
export function missingTools(...tools: Tool[]): string | undefined {
  const missing = tools.filter((tool) => !existsSync(toolFile(tool)));
  if (missing.length === 0) return undefined;
  const packages = [
    ...new Set(
      missing.map((tool) => (tool === 'alertmanager' || tool === 'amtool' ? 'prometheus-alertmanager' : 'prometheus')),
    ),
  ];
  const reason = `skipped: ${missing.map(toolFile).join(', ')} not found — install Debian's ${packages.join(' and ')} (apt-get install -y ${packages.join(' ')}); .ci/run does`;
  if (process.env.FRONTIER_REQUIRE_PROMETHEUS === '1')
    throw new Error(`${reason} (FRONTIER_REQUIRE_PROMETHEUS=1 forbids skipping)`);
  console.warn(`[alerts] ${reason}`);
  return reason;
}

/** The tool's path for a vitest test, or a skip (a failure under .ci/run) saying what is missing. */
export function requireTool(context: TestContext, tool: Tool): string {
  const reason = missingTools(tool);
  if (reason) context.skip(reason);
  return toolFile(tool);
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
