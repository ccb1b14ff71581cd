// The serial baseline, written honestly the way the peers work today: one request at a time, no
// sync state, a full YAML parse (the `yaml` package) of every file on every run.
// Usage: node baseline.mjs plan|apply|pull|validate <dir>   (URL and token from DASHSYNC_URL/TOKEN)
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { Agent, request } from 'undici';
import { Ajv } from 'ajv';

const [op, dir] = process.argv.slice(2);
const base = `${process.env.DASHSYNC_URL}/api/v1`.replace(/\/api\/v1\/api\/v1$/, '/api/v1');
const headers = { authorization: `Bearer ${process.env.DASHSYNC_TOKEN}`, 'content-type': 'application/json' };
const agent = new Agent({ connections: 1 });
let requests = 0;
async function call(method, path, body) {
  requests++;
  const r = await request(`${base}${path}`, {
    method,
    headers,
    dispatcher: agent,
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const j = await r.body.json();
  if (r.statusCode >= 300) throw new Error(`${method} ${path}: ${r.statusCode} ${j.message}`);
  return j.data;
}
const sorted = (v) =>
  Array.isArray(v)
    ? v.map(sorted)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sorted(v[k])]),
        )
      : v;
function files() {
  const out = [];
  for (const p of readdirSync(join(dir, 'dashboards')).sort())
    for (const f of readdirSync(join(dir, 'dashboards', p)).sort())
      if (f.endsWith('.yaml')) out.push({ project: p, path: join(dir, 'dashboards', p, f) });
  return out;
}

if (op === 'validate') {
  const validate = new Ajv().compile({
    type: 'object',
    required: ['name', 'definition'],
    additionalProperties: false,
    properties: { id: { type: 'string' }, name: { type: 'string' }, definition: { type: 'object' } },
  });
  let bad = 0;
  for (const f of files()) if (!validate(YAML.parse(readFileSync(f.path, 'utf8')))) bad++;
  console.log(JSON.stringify({ bad }));
} else if (op === 'plan') {
  const remote = await call('GET', '/dashboards/list?scope=user');
  let changes = 0;
  for (const f of files()) {
    const local = YAML.parse(readFileSync(f.path, 'utf8'));
    const r = remote.find((d) => d.id === local.id);
    if (!r) {
      changes++;
      continue;
    }
    const full = await call('GET', `/dashboards/${f.project}/${local.id}?scope=user`);
    if (
      JSON.stringify(sorted({ name: full.name, definition: full.definition })) !==
      JSON.stringify(sorted({ name: local.name, definition: local.definition }))
    )
      changes++;
  }
  console.log(JSON.stringify({ changes }));
} else if (op === 'apply') {
  for (const f of files()) {
    const local = YAML.parse(readFileSync(f.path, 'utf8'));
    const { id } = await call('POST', `/dashboards/${f.project}/save`, {
      scope: 'user',
      dashboard: { name: local.name, definition: local.definition },
    });
    writeFileSync(f.path, YAML.stringify({ id, ...local }));
  }
} else if (op === 'pull') {
  const remote = await call('GET', '/dashboards/list?scope=user');
  for (const r of remote) {
    const full = await call('GET', `/dashboards/${r.project_id}/${r.id}?scope=user`);
    mkdirSync(join(dir, 'dashboards', r.project_id), { recursive: true });
    writeFileSync(
      join(dir, 'dashboards', r.project_id, `${r.id}.yaml`),
      YAML.stringify({ id: full.id, name: full.name, definition: full.definition }),
    );
  }
}
await agent.close();
process.stderr.write(`baseline requests: ${requests}\n`);
