import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { write } from '../../helpers.js';
import type { RunResult } from '../../helpers.js';

/*
 * What the hostile-environment suite checks after every run: nothing changed outside the folders a
 * run may touch, and no output a terminal or a CI log would act on.
 */

/** A folder outside any repository, holding files a run must never touch. */
export function outsideFolder(files: Record<string, string> = { 'precious.txt': 'do not touch\n' }): string {
  const dir = mkdtempSync(join(tmpdir(), 'dashsync-outside-'));
  for (const [name, content] of Object.entries(files)) write(dir, name, content);
  return dir;
}

/** Every entry under `dir` (links not followed) with its kind, mode and content: compared before and after a run. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = rel ? `${rel}/${name}` : name;
      const abs = join(dir, path);
      const stat = lstatSync(abs);
      const mode = (stat.mode & 0o7777).toString(8);
      if (stat.isSymbolicLink()) out[path] = `link -> ${readlinkSync(abs)}`;
      else if (stat.isDirectory()) {
        out[path] = `dir ${mode}`;
        walk(path);
      } else out[path] = `file ${mode} ${readFileSync(abs, 'utf8')}`;
    }
  };
  walk('');
  return out;
}

/** No raw control character, and no line GitHub Actions would run as a workflow command. */
export function expectInertOutput(r: RunResult): void {
  for (const text of [r.stdout, r.stderr]) {
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    for (const line of text.split('\n')) {
      expect(line, 'a line GitHub runs as a workflow command').not.toMatch(/^\s*::/);
      expect(line, "GitHub's older ##[command] form").not.toContain('##[');
    }
  }
}
