import { describe, expect, it } from 'vitest';
import { dashboardYaml, namesIn, read, run, tree, until, useEmulators, write } from '../../helpers.js';
import type { RunResult } from '../../helpers.js';

/*
 * Servers that take their time: a save committed after dashsync stopped waiting (its own
 * DASHSYNC_TIMEOUT, a gateway's 504 while the backend finishes, a connection reset after the
 * commit), an answer sent one byte at a time, a server that fails everything. Issue 20, items 2 and
 * 9: 6 files once gave 12 dashboards and "6 created"; a trickling server held plan past 50 s.
 */

const server = useEmulators();
const FILES = 6;

/** A folder of FILES new dashboard files, d0.yaml to d5.yaml, in project p. */
function sixFiles(): string {
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) files[`dashboards/p/d${i}.yaml`] = dashboardYaml(`D${i}`);
  return tree(files);
}

/** An emulator that counts the saves it has committed, so a test can wait for the late ones. */
async function counting(
  options: Parameters<typeof server>[0],
): Promise<Awaited<ReturnType<typeof server>> & { settled(): Promise<string[]> }> {
  let committed = 0;
  const s = await server({ ...options, afterSave: () => void committed++ });
  // Every save that arrived has been committed (the late ones included): the names then held.
  const settled = async (): Promise<string[]> => {
    await until(() => committed === s.stats.save, 'every save that arrived to be committed');
    return namesIn(s, 'p');
  };
  return Object.assign(s, { settled });
}

const SIX = Array.from({ length: FILES }, (_, i) => `D${i}`);

/** Every file holds the id of a dashboard the emulator has, and no two files the same. */
function expectIdsWritten(dir: string, s: Awaited<ReturnType<typeof server>>): void {
  const ids = SIX.map((_, i) => /^id: (.+)$/m.exec(read(dir, `dashboards/p/d${i}.yaml`))?.[1]);
  expect(new Set(ids).size).toBe(FILES);
  for (const id of ids) expect(s.store.get('user', 'p', id!), `dashboard ${id}`).toBeDefined();
}

describe('a save the server commits after dashsync stopped waiting', () => {
  it.each([
    ['keeps the ids it is given', 'accept'],
    ['makes ids of its own', 'ignore'],
  ] as const)(
    'makes each dashboard once when the server commits 1.5 s after the timeout and %s',
    async (_what, clientIds) => {
      const s = await counting({ misbehave: { slowSaveMs: 2500 }, clientIds });
      const dir = sixFiles();
      const r = await run(dir, ['apply', '--yes'], { ...s.env, DASHSYNC_TIMEOUT: '1' });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('Apply complete: 6 created, 0 updated, 0 deleted.');
      expect(r.stderr).toBe('');
      // Once every attempt sent has landed: one dashboard per file, each id in its file.
      expect(await s.settled()).toEqual(SIX);
      expectIdsWritten(dir, s);
      const plan = await run(dir, ['plan', '--detailed-exitcode'], s.env);
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    },
  );

  it.each(['accept', 'ignore', 'reject'] as const)(
    'makes each dashboard once when a gateway answers 504 and the backend commits 1.5 s later (client ids: %s)',
    async (clientIds) => {
      const s = await counting({ misbehave: { commitAfter504Ms: 1500 }, clientIds });
      const dir = sixFiles();
      const r = await run(dir, ['apply', '--yes', '--debug'], s.env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('Apply complete: 6 created, 0 updated, 0 deleted.');
      // The look before sending again is in the debug lines, with the wait that found the late commit.
      expect(r.stderr).toMatch(/create of "D\d" not listed yet; looking again in \d+ ms/);
      expect(r.stderr).not.toContain('sending it again');
      expect(await s.settled()).toEqual(SIX);
      expectIdsWritten(dir, s);
    },
  );

  it('makes each dashboard once when the connection is reset after every save was committed', async () => {
    const s = await server({ misbehave: { resetAfterSave: true }, clientIds: 'ignore' });
    const dir = sixFiles();
    const r = await run(dir, ['apply', '--yes'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Apply complete: 6 created');
    expect(namesIn(s, 'p')).toEqual(SIX);
    expectIdsWritten(dir, s);
  });

  it('says an update whose answer was lost may have been saved, and the next plan tells', async () => {
    const s = await server({ misbehave: { resetAfterSave: true } });
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    write(dir, 'dashboards/p/a.yaml', read(dir, 'dashboards/p/a.yaml').replace('name: A', 'name: A2'));
    const r = await run(dir, ['apply', '--yes'], { ...s.env, DASHSYNC_RETRIES: '1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /FAILED +dashboards\/p\/a\.yaml: POST \/dashboards\/p\/save failed: .*; it may have been done all the same \(its answer was lost\): the next plan shows whether it was/,
    );
    // It was: the workspace holds the new name, and the next plan has nothing to send.
    expect(namesIn(s, 'p')).toEqual(['A2']);
  });

  it('names the copy to delete and exits 1 when a commit lands after dashsync looked, sent again, and before the run ends', async () => {
    // Ids of the server's own, a 2 s timeout: the first attempt is committed at 8 s, after the 5 s
    // look-again window (2 to 7 s); the second, sent at 7 s, is committed at 8.5 s and answered.
    const s = await server({ misbehave: { slowSaveMs: [8000, 1500] }, clientIds: 'ignore' });
    const dir = tree({ 'dashboards/p/late.yaml': dashboardYaml('Late') });
    const r = await run(dir, ['apply', '--yes', '--json'], { ...s.env, DASHSYNC_TIMEOUT: '2' });
    expect(r.code, r.stderr).toBe(1);
    const kept = /^id: (.+)$/m.exec(read(dir, 'dashboards/p/late.yaml'))![1]!;
    const copy = s.store.list('user', 'p').find((d) => d.id !== kept)!.id;
    expect(s.store.list('user', 'p')).toHaveLength(2);
    const message =
      `project p holds 2 dashboards named "Late" (ids ${kept}, ${copy}): the server committed more than one ` +
      `attempt of a dashsync create whose answer was lost; keep ${kept} (the one dashsync recorded) and delete ${copy} in the workspace`;
    expect(r.stderr).toContain(`warning: ${message}`);
    expect(r.stderr).toContain(
      'Apply finished with errors: 1 created, 0 updated, 0 deleted, 1 made twice by the server (see above).',
    );
    const json = JSON.parse(r.stdout) as { summary: Record<string, number>; results: Array<Record<string, unknown>> };
    expect(json.summary).toMatchObject({ created: 1, failed: 0, duplicated: 1 });
    expect(json.results[0]).toMatchObject({ outcome: 'done', id: kept, message });
  }, 30_000);

  it('stops the next plan and apply, naming the copy to delete, when a commit lands after the run', async () => {
    // A 1 s timeout: the first attempt is committed at 7.5 s, after the look-again window (1 to 6
    // s); the second, sent at 6 s, times out at 7 s, and the look at 8 s finds the first: adopted.
    // The second is committed at 9 s, when apply has ended.
    const s = await server({ misbehave: { slowSaveMs: [7500, 3000] }, clientIds: 'ignore' });
    const dir = tree({ 'dashboards/p/late.yaml': dashboardYaml('Late') });
    const r = await run(dir, ['apply', '--yes'], { ...s.env, DASHSYNC_TIMEOUT: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Apply complete: 1 created');
    await until(() => s.store.list('user', 'p').length === 2, 'the second attempt to land', 15_000);
    const kept = /^id: (.+)$/m.exec(read(dir, 'dashboards/p/late.yaml'))![1]!;
    const copy = s.store.list('user', 'p').find((d) => d.id !== kept)!.id;
    const message =
      `project p holds 2 dashboards named "Late" (ids ${kept}, ${copy}): the server committed more than one ` +
      `attempt of a dashsync create whose answer was lost; keep ${kept} (the one dashsync recorded) and delete ${copy} in the workspace`;
    const plan = await run(dir, ['plan'], s.env);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('x dashboards/p/late.yaml  "Late"');
    expect(plan.stdout).toContain(message);
    expect(plan.stderr).not.toContain('duplicates, from two deploys at once');
    const apply = await run(dir, ['apply', '--yes'], s.env);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('error: the plan has 1 error (marked x above): nothing was applied');
    expect(s.store.list('user', 'p')).toHaveLength(2);
    // Once the copy is deleted, all is well again.
    await s.store.delete('user', 'p', copy);
    const after = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(after.code, after.stdout).toBe(0);
  }, 45_000);
});

describe('an answer that never ends', () => {
  it('gives up on a server that sends one byte at a time at DASHSYNC_TIMEOUT, every command', async () => {
    // A byte a second: the list alone would last most of a minute.
    const s = await server({ misbehave: { trickleMs: 1000 } });
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    const env = { ...s.env, DASHSYNC_TIMEOUT: '2', DASHSYNC_RETRIES: '1' };
    const timed = async (args: string[]): Promise<RunResult & { ms: number }> => {
      const started = Date.now();
      const r = await run(dir, args, env);
      return { ...r, ms: Date.now() - started };
    };
    // plan takes no lock: the three run at once; pull and apply one after the other (the lock).
    const [plan, pull] = await Promise.all([timed(['plan']), timed(['pull'])]);
    const apply = await timed(['apply', '--yes']);
    for (const r of [plan, pull, apply]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^error: GET \/dashboards\/list\?scope=user failed: the server did not answer in time \(the whole answer within 2 s, DASHSYNC_TIMEOUT\)/,
      );
      // One attempt of 2 s, not the trickle's 40 s and more: a bound loose enough for a loaded
      // machine (starting Node is part of it), far below what waiting for the answer would take.
      expect(r.ms).toBeLessThan(15_000);
    }
    expect(s.store.count()).toBe(0);
  }, 60_000);
});

describe('a server that fails everything', () => {
  it('spends one retry budget for the whole command, not five attempts for each of its calls', async () => {
    let saves = 0;
    const s = await server({
      intercept: (method) => {
        if (method !== 'POST') return undefined;
        saves++;
        return 503;
      },
    });
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`dashboards/p/b${i}.yaml`] = dashboardYaml(`B${i}`);
    const dir = tree(files);
    const r = await run(dir, ['apply', '--yes', '--concurrency', '4'], s.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Apply finished with errors: 0 created, 0 updated, 0 deleted, 40 failed.');
    expect(r.stderr).toContain('FAILED  dashboards/p/b0.yaml: POST /dashboards/p/save failed (503)');
    // Five attempts each would be 200 saves; the budget (10, one per connection, one per success:
    // the list) allows 15 retries for the whole run.
    expect(saves).toBe(40 + 15);
    expect(s.store.count()).toBe(0);
  });
});

describe('a list that lags behind the saves', () => {
  it('neither makes again nor removes a dashboard the list does not show yet', async () => {
    // Dashboards appear in lists 3 s after they are made; ids of the server's own.
    const s = await server({ misbehave: { listLagMs: 3000 }, clientIds: 'ignore' });
    const dir = tree({ 'dashboards/p/a.yaml': dashboardYaml('A') });
    expect((await run(dir, ['apply', '--yes'], s.env)).code).toBe(0);
    const id = s.store.list('user', 'p')[0]!.id;
    const plan = await run(dir, ['plan', '--detailed-exitcode'], s.env);
    expect(plan.code, plan.stdout).toBe(0);
    const again = await run(dir, ['apply', '--yes'], s.env);
    expect(again.code).toBe(0);
    const pull = await run(dir, ['pull', '--prune'], s.env);
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.stdout).not.toContain('removed dashboards/p/a.yaml');
    expect(read(dir, 'dashboards/p/a.yaml')).toBe(`id: ${id}\n${dashboardYaml('A')}`);
    expect(s.store.list('user', 'p').map((d) => d.id)).toEqual([id]);
  });

  it('sends a lost create again only as far as the retry budget of the command allows', async () => {
    let saves = 0;
    // Every save answered 500: its outcome unknown, looked for, not found, sent again.
    const s = await server({ intercept: (method) => (method === 'POST' ? (saves++, 500) : undefined) });
    const files: Record<string, string> = {};
    for (let i = 0; i < 8; i++) files[`dashboards/p/d${i}.yaml`] = dashboardYaml(`D${i}`);
    const dir = tree(files);
    const r = await run(dir, ['apply', '--yes', '--concurrency', '2'], s.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Apply finished with errors: 0 created, 0 updated, 0 deleted, 8 failed.');
    // 5 sends each would be 40; the budget is 10, one per connection and one for the plan's list
    // (the look-ups of lost creates earn nothing).
    expect(saves).toBe(8 + 13);
    expect(s.store.count()).toBe(0);
  });
});
