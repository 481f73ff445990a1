import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { HEALTH_STATES } from '../../lib/shared/types';
import { requireTool, runTool } from '../support/prometheus-tools';

const RULES = path.resolve('deploy/prometheus/alerts.yml');
const RULE_TESTS = path.resolve('deploy/prometheus/alerts.test.yml');
const ALERTMANAGER = path.resolve('deploy/alertmanager/alertmanager.yml');
const rulesText = readFileSync(RULES, 'utf8');

/** The rules one by one, as text: enough to check what promtool does not (for:, labels, links). */
function ruleBlocks(): { name: string; text: string }[] {
  return rulesText
    .split(/^ {6}- alert: /m)
    .slice(1)
    .map((block) => ({ name: block.split('\n')[0]!.trim(), text: block }));
}

describe('deploy/prometheus/alerts.yml', () => {
  test('promtool check rules accepts every rule', (context) => {
    const promtool = requireTool(context, 'promtool');
    const run = runTool(promtool, ['check', 'rules', RULES]);
    expect(run.output).toContain(`SUCCESS: ${ruleBlocks().length} rules found`);
    expect(run.status).toBe(0);
  });

  test('promtool test rules: each rule fires after its for:, never on a flapping series or a closed market', (context) => {
    const promtool = requireTool(context, 'promtool');
    const run = runTool(promtool, ['test', 'rules', RULE_TESTS]);
    expect(run.output.trim()).toBe(`Unit Testing:  ${RULE_TESTS}\n  SUCCESS`);
    expect(run.status).toBe(0);
  });

  test('every rule has a for:, a severity, a one-line summary and a runbook link into the dashboard', () => {
    const rules = ruleBlocks();
    expect(rules.map((rule) => rule.name)).toEqual([
      'FrontierPairFailing',
      'FrontierPairStalled',
      'FrontierPairCursorAhead',
      'FrontierPairCursorNull',
      'FrontierPairDrift',
      'FrontierSourceStale',
      'FrontierManyPairsInState',
      'FrontierPairSeriesCapped',
      'FrontierWorkerNotRunning',
      'FrontierDashboardSnapshotStale',
      'FrontierReplicaBehind',
      'FrontierMetricsAbsent',
    ]);
    for (const { name, text } of rules) {
      expect(text, name).toMatch(/^ {8}for: ([2-9]|1[0-5])m$/m);
      expect(text, name).toMatch(/^ {10}severity: (critical|warning)$/m);
      expect(text, name).toMatch(/^ {10}summary: '[^\n]+'$/m);
      expect(text, name).toMatch(
        /^ {10}runbook_url: '\{\{ \$externalLabels\.dashboard_url \}\}\/(pairs\/|incidents|\?q=|')/m,
      );
    }
  });

  test('rules name only states the dashboard has (DRIFT and CLOSED come with the audit and market issues)', () => {
    const named = [...rulesText.matchAll(/state(?:=|!~)"([A-Z_|]+)"/g)].flatMap((match) => match[1]!.split('|'));
    expect(named.length).toBeGreaterThan(8);
    const known = new Set<string>([...HEALTH_STATES, 'DRIFT', 'CLOSED']);
    expect(named.filter((state) => !known.has(state))).toEqual([]);
    // Never a rule for a closed market; CLOSED only appears to be left out.
    expect(rulesText).not.toMatch(/state="CLOSED"/);
  });
});

describe('deploy/alertmanager/alertmanager.yml', () => {
  test('amtool check-config accepts it', (context) => {
    const amtool = requireTool(context, 'amtool');
    const run = runTool(amtool, ['check-config', ALERTMANAGER]);
    expect(run.output).toContain('SUCCESS');
    expect(run.output).toContain(' - 4 inhibit rules');
    expect(run.status).toBe(0);
  });

  test("a pair alert takes the per-symbol route, a team's pair its team's route, a global one stays on the default route (grouping: test/alerts/e2e.test.ts)", (context) => {
    const amtool = requireTool(context, 'amtool');
    const route = (...labels: string[]) =>
      runTool(amtool, ['config', 'routes', 'test', `--config.file=${ALERTMANAGER}`, '--tree', ...labels]);
    const pair = route('alertname=FrontierPairFailing', 'symbol=EURUSD', 'timeframe=5m', 'state=FAILING');
    expect(pair.output).toContain(
      'Matching routes:\n.\n└── default-route\n    └── {symbol=~".+"}  receiver: frontier-oncall',
    );
    // The fx team's pairs page the fx receiver; another team's, or none, stays on on-call.
    const fx = route('alertname=FrontierPairFailing', 'symbol=USDJPY', 'timeframe=5m', 'state=FAILING', 'team=fx');
    expect(fx.output).toContain('Matching routes:\n.\n└── default-route\n    └── {team="fx"}  receiver: frontier-fx');
    const feed = route('alertname=FrontierSourceStale', 'symbol=USDJPY', 'state=SOURCE_STALE', 'team=fx');
    expect(feed.output).toContain('receiver: frontier-fx');
    const rates = route('alertname=FrontierPairFailing', 'symbol=ESZ6', 'timeframe=5m', 'state=FAILING', 'team=rates');
    expect(rates.output).toContain('    └── {symbol=~".+"}  receiver: frontier-oncall');
    expect(rates.output).not.toContain('frontier-fx');
    const global = route('alertname=FrontierWorkerNotRunning');
    expect(global.output).toContain('Matching routes:\n.\n└── default-route  receiver: frontier-oncall');
    expect(global.output).not.toContain('symbol=~');
  });
});
