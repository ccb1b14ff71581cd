import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closestName, elementWords } from '../../src/api/app-findings.js';
import { formatAppPath } from '../../src/core/app.js';
import { appSchemaText } from '../../src/api/app-schema.js';
import { validateApp } from '../../src/api/app-validation.js';
import { appContentFindings } from '../../src/flavours/apps/validation.js';
import { WIDGETS } from '../../src/api/app-widgets.js';
import type { WidgetType } from '../../src/api/app-widgets.js';
import { ROOT } from '../helpers.js';

/* The app vocabulary as one table: the schema made from it, each widget type, and the binding rules. */

type Obj = Record<string, unknown>;

// A one-page app with a scalar input, a form (a text field and a record group), a run group and a tap.
function app(page: { widgets?: Obj[]; group?: Obj } = {}): Obj {
  return {
    schemaVersion: 2,
    name: 'A',
    header: { title: 'A' },
    pages: [
      {
        id: 'p',
        label: 'Leads',
        project: { id: 'proj' },
        inputs: [
          { id: 'pick', type: 'select', options: ['a'] },
          {
            id: 'scenario',
            type: 'form',
            sections: [
              {
                fields: [
                  { id: 'region', type: 'text' },
                  { id: 'rows', type: 'record_group', fields: [{ id: 'sku', type: 'text' }] },
                ],
              },
            ],
          },
        ],
        runGroups: [
          { id: 'run', trigger: 'button', execute: ['c'], outputs: [{ id: 'tap', concept: 'c' }], ...page.group },
        ],
        sections: [{ id: 'main', widgets: page.widgets ?? [] }],
      },
    ],
  };
}

const errorsOf = (value: Obj): string[] =>
  validateApp(value).errors.map((problem) => `${formatAppPath(problem.path)}: ${problem.message}`);

describe('the app schema', () => {
  it('is committed exactly as the vocabulary table makes it (run npm run schemas after changing the table)', () => {
    expect(readFileSync(join(ROOT, 'schemas', 'app.schema.json'), 'utf8')).toBe(appSchemaText());
  });

  it('lists exactly the widget types of the table, as many as the README says', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`widgets of ${Object.keys(WIDGETS).length} types`);
    const schema = JSON.parse(appSchemaText()) as {
      definitions: { widget: { properties: { type: { enum: string[] } } } };
    };
    expect(schema.definitions.widget.properties.type.enum).toEqual(Object.keys(WIDGETS));
  });
});

describe('each widget type of the table', () => {
  // What each binding of a widget names on the page above.
  const target: Obj = {
    inputId: 'pick',
    groupId: 'run',
    outputId: 'tap',
    content: 'Hello',
    action: { type: 'run_group', groupId: 'run' },
  };
  for (const [type, spec] of Object.entries(WIDGETS) as Array<[string, WidgetType]>) {
    const binding = [spec.binds].flat()[0]!;
    const bound = spec.shows === 'form' ? { [binding]: 'scenario' } : { [binding]: target[binding] };

    it(`accepts a ${type} bound through ${binding}, and refuses one bound through nothing`, () => {
      expect(errorsOf(app({ widgets: [{ id: 'w', type, ...bound }] }))).toEqual([]);
      const unbound = errorsOf(app({ widgets: [{ id: 'w', type }] }));
      const needs = [spec.binds].flat();
      expect(unbound).toEqual([
        needs.length === 1
          ? `pages[0].sections[0].widgets[0].${binding}: is required`
          : `pages[0].sections[0].widgets[0]: needs ${needs.join(' or ')}`,
      ]);
    });
  }
});

describe('binding rules', () => {
  it('accepts a reference to a real field of a form, and names the missing one with the closest field', () => {
    expect(errorsOf(app({ group: { params: { region: '{{scenario.region}}' } } }))).toEqual([]);
    expect(errorsOf(app({ group: { params: { region: '{{scenario.regoin}}' } } }))).toEqual([
      'pages[0].runGroups[0].params.region: {{scenario.regoin}}: form "scenario" has no field "regoin" (did you mean "region"?)',
    ]);
    expect(errorsOf(app({ widgets: [{ id: 'w', type: 'text', content: 'For {{scenario.zzz}}' }] }))).toEqual([
      'pages[0].sections[0].widgets[0].content: {{scenario.zzz}}: form "scenario" has no field "zzz"',
    ]);
  });

  it("accepts facts bound to a form's record group, and refuses every other binding", () => {
    const facts = (value: unknown): string[] => errorsOf(app({ group: { facts: { adjust: value } } }));
    expect(facts('{{ scenario.rows }}')).toEqual([]);
    const rule = "pages[0].runGroups[0].facts.adjust: facts bind a form's record group, as {{formId.recordGroupId}}";
    expect(facts('{{scenario.region}}')).toEqual([
      `${rule}: field "region" of form "scenario" is a text field, not a record_group`,
    ]);
    expect(facts('{{scenario}}')).toEqual([`${rule}: {{scenario}} names the whole form, not one of its record groups`]);
    expect(facts('{{pick}}')).toEqual([`${rule}: "pick" is a select input, not a form`]);
    expect(facts('rows')).toEqual([`${rule}, not "rows"`]);
    expect(facts('{{nobody.rows}}')).toEqual([
      'pages[0].runGroups[0].facts.adjust: {{nobody}} is published by nothing on this page (no input, form, row selection or context key of that name)',
    ]);
  });

  it('keeps a warning apart from the errors: weights on a section not laid out in columns', () => {
    const value = app();
    ((value.pages as Obj[])[0]!.sections as Obj[])[0]!.weights = [8, 4];
    const found = validateApp(value);
    expect(found.errors).toEqual([]);
    expect(found.warnings).toEqual([
      {
        path: ['pages', 0, 'sections', 0, 'weights'],
        message: `weights apply to layout "columns" only (this section's layout is not set)`,
      },
    ]);
    ((value.pages as Obj[])[0]!.sections as Obj[])[0]!.layout = 'columns';
    expect(validateApp(value)).toEqual({ errors: [], warnings: [] });
  });
});

describe('the words of a finding', () => {
  it('names the element a path is in as the platform does: a page by its label, the rest by id', () => {
    const value = app({ widgets: [{ id: 'w_table', type: 'rich_table', outputId: 'tap' }] });
    expect(elementWords(value, ['pages', 0, 'runGroups', 0, 'outputs', 0, 'concept'])).toBe(
      "page 'Leads': run group 'run'",
    );
    expect(elementWords(value, ['pages', 0, 'sections', 0, 'widgets', 0, 'span'])).toBe(
      "page 'Leads': section 'main': widget 'w_table'",
    );
    expect(elementWords(value, ['pages', 0, 'inputs', 1, 'sections'])).toBe("page 'Leads': form 'scenario'");
    expect(elementWords(value, ['schemaVersion'])).toBe('');
  });

  it("lists what is allowed at an unknown key: in an app file's definition, not the app's own id and name", () => {
    const { name, ...definition } = app();
    const unknown = { ...definition, colour: 'red' };
    const allowedIn = (message: string): string[] => /\(allowed here: (.*)\)$/.exec(message)![1]!.split(', ');
    // The app as the API saves it (the emulator's words): id and name belong at its top.
    const [saved] = validateApp({ ...unknown, id: 'x', name }).errors;
    expect(saved!.path).toEqual(['colour']);
    expect(allowedIn(saved!.message)).toEqual(expect.arrayContaining(['id', 'name', 'pages']));
    // The same app in a file: its id and name are the file's top-level keys, never the definition's.
    const text = `name: ${name}\ndefinition:\n  colour: red\n`;
    const [inFile] = appContentFindings('a.yaml', Buffer.from(text), {
      name: String(name),
      definition: unknown,
    }).problems;
    expect(inFile!.message).toMatch(/^"definition\.colour" is not in the app vocabulary \(allowed here: /);
    expect(allowedIn(inFile!.message)).toContain('pages');
    expect(allowedIn(inFile!.message)).not.toContain('id');
    expect(allowedIn(inFile!.message)).not.toContain('name');
    expect([inFile!.line, inFile!.col]).toEqual([3, 3]);
  });

  it('suggests the closest known name only when it is close', () => {
    expect(closestName('regon', ['region', 'min_total'])).toBe('region');
    expect(closestName('Region', ['region'])).toBe('region');
    expect(closestName('totally', ['region', 'min_total'])).toBeUndefined();
  });
});
