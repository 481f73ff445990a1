import type pg from 'pg';
import { target } from './calendar-commands';
import { UsageError } from './errors';
import { opsActor } from './policy-commands';
import { formatTable } from './table';

/** `npm run ops -- owner …`: which team owns a symbol or pattern (sql/020, docs/HEALTH.md "Owners"). */
export type OwnerCommand =
  | { kind: 'owner'; action: 'list' }
  | { kind: 'owner'; action: 'remove'; match: 'exact' | 'like'; pattern: string }
  | { kind: 'owner'; action: 'set'; match: 'exact' | 'like'; pattern: string; team: string; note: string };

export const OWNER_USAGE = `
  owner list                     owners, their teams and the pairs each owns
  owner set SYMBOL | --like PATTERN TEAM [--note TEXT]
                                 give a symbol or pattern to a team; an exact symbol beats a
                                 pattern, the most literal pattern wins
  owner remove SYMBOL | --like PATTERN
                                 its symbols go to the next owner that matches, or to none`;

const TEAM = /^[a-z0-9][a-z0-9_-]{0,62}$/;

function teamArg(value: string | undefined): string {
  if (!value) throw new UsageError('missing TEAM (e.g. fx)');
  if (!TEAM.test(value))
    throw new UsageError(`not a team: ${JSON.stringify(value)} (lower-case letters, digits, - and _)`);
  return value;
}

/** SYMBOL or --like PATTERN at the head of args, and what follows it. */
function splitTarget(args: string[]): [{ match: 'exact' | 'like'; pattern: string }, string[]] {
  const width = args[0] === '--like' ? 2 : 1;
  return [target(args.slice(0, width)), args.slice(width)];
}

export function parseOwnerArgs(args: string[]): OwnerCommand {
  const [action, ...rest] = args;
  switch (action) {
    case 'list':
      if (rest.length > 0) throw new UsageError(`unexpected argument: ${JSON.stringify(rest[0])}`);
      return { kind: 'owner', action };
    case 'remove': {
      const [what, more] = splitTarget(rest);
      if (more.length > 0) throw new UsageError(`unexpected argument: ${JSON.stringify(more[0])}`);
      return { kind: 'owner', action, ...what };
    }
    case 'set': {
      const [what, [team, ...more]] = splitTarget(rest);
      let note = '';
      if (more[0] === '--note') {
        if (more[1] === undefined) throw new UsageError('--note needs a text');
        note = more[1];
        more.splice(0, 2);
      }
      if (more.length > 0) throw new UsageError(`unexpected argument: ${JSON.stringify(more[0])}`);
      return { kind: 'owner', action, ...what, team: teamArg(team), note };
    }
    case undefined:
      throw new UsageError('owner needs list, set or remove');
    default:
      throw new UsageError(`unknown owner command: ${JSON.stringify(action)}`);
  }
}

const describeTarget = (c: { match: 'exact' | 'like'; pattern: string }) =>
  c.match === 'like' ? `symbols like '${c.pattern}'` : c.pattern;

export async function runOwnerCommand(client: pg.ClientBase, command: OwnerCommand): Promise<string[]> {
  switch (command.action) {
    case 'list':
      return listOwners(client);
    case 'set': {
      const { rows } = await client.query<{ r: { created: boolean; previous_team: string | null } }>(
        'SELECT owner_set($1, $2, $3, $4, $5, $6, $7) AS r',
        [opsActor(), 'admin', 'ops', command.match, command.pattern, command.team, command.note],
      );
      const r = rows[0]!.r;
      return [
        r.created
          ? `${describeTarget(command)}: owned by ${command.team}`
          : `${describeTarget(command)}: owned by ${command.team} (was ${r.previous_team})`,
      ];
    }
    case 'remove':
      await client.query('SELECT owner_remove($1, $2, $3, $4, $5)', [
        opsActor(),
        'admin',
        'ops',
        command.match,
        command.pattern,
      ]);
      return [`${describeTarget(command)}: no longer owned here`];
  }
}

async function listOwners(client: pg.ClientBase): Promise<string[]> {
  // Pairs counted by the team each registered symbol resolves to: a row shadowed by a more
  // specific one counts only the pairs it still owns.
  const { rows } = await client.query<Record<string, unknown>>(
    `WITH resolved AS (SELECT s.canonical_symbol, owner_team(s.canonical_symbol) AS team FROM data_agg_state s)
     SELECT o.team, o.match, o.pattern,
            (SELECT count(*) FROM resolved r WHERE r.team = o.team
                AND ((o.match = 'exact' AND r.canonical_symbol = o.pattern)
                  OR (o.match = 'like' AND r.canonical_symbol COLLATE "C" LIKE o.pattern)))::int AS pairs,
            o.note
       FROM owners o ORDER BY o.team, o.match, o.pattern`,
  );
  if (rows.length === 0) return ['no owners: no pair belongs to a team'];
  return formatTable(rows, [
    ['team', 'team'],
    ['match', 'match'],
    ['pattern', 'symbol/pattern'],
    ['pairs', 'pairs'],
    ['note', 'note'],
  ]);
}
