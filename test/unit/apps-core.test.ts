import { describe, expect, it } from 'vitest';
import { appDefinitionForFile, appFileContent, folderOfProject } from '../../src/core/app.js';
import type { AppReading } from '../../src/core/app.js';
import type { JsonObject } from '../../src/core/types.js';
import { keepUntouchedLines } from '../../src/local/untouched-lines.js';
import { toYamlText } from '../../src/local/yaml.js';
import { loadYaml } from '../../src/util/lazy.js';

/* The pure rules of apps mode: which folder a page's project stands for, and how files are read and written. */

const reading: AppReading = {
  aliases: { sales: ['sales', 'sales-analytics', 'prod-sales'], crm: ['crm', 'crm-leads', 'prod-crm'] },
  current: { sales: 'prod-sales', crm: 'prod-crm' },
  home: { sales: 'sales-analytics', crm: 'crm-leads' },
};
const app = (...projects: string[]): JsonObject => ({
  pages: projects.map((id, i) => ({ id: `p${i}`, project: { id } })),
});
const projectsOf = (d: JsonObject): string[] =>
  (d.pages as Array<{ project: { id: string } }>).map((p) => p.project.id);

describe('apps: page projects', () => {
  it('finds the folder a project id stands for, the own folder first, and none for an unknown id', () => {
    expect(folderOfProject('sales-analytics', 'sales', reading)).toBe('sales');
    expect(folderOfProject('crm-leads', 'sales', reading)).toBe('crm');
    expect(folderOfProject('elsewhere', 'sales', reading)).toBeUndefined();
  });

  it('reads every page bound to a mapped project as what the environment maps its folder to, leaving others alone', () => {
    const read = appFileContent(
      { name: 'A', definition: app('sales-analytics', 'crm-leads', 'elsewhere') },
      'sales',
      'prod-sales',
      reading,
    );
    expect(projectsOf(read.definition)).toEqual(['prod-sales', 'prod-crm', 'elsewhere']);
  });

  it("writes page projects as the file had them when they name the same folder, else as the folder's top-level id", () => {
    const written = appDefinitionForFile(app('prod-sales', 'prod-crm', 'prod-crm', 'elsewhere'), 'sales', reading, [
      { written: 'sales', rendered: 'sales' },
      { written: '${{ var.crm }}', rendered: 'crm-leads' },
      { written: 'sales-analytics', rendered: 'sales-analytics' },
    ]);
    expect(projectsOf(written)).toEqual(['sales', '${{ var.crm }}', 'crm-leads', 'elsewhere']);
  });
});

describe('rewritten YAML keeps the lines that did not change', () => {
  it('takes back the old text of restyled lines and changes only the changed one', () => {
    const old = 'name: A\ndefinition:\n  execute: [a, b]\n  chart: { x: region, y: [revenue] }\n  title: Old\n';
    const doc = loadYaml().parseDocument(old);
    doc.setIn(['definition', 'title'], 'New');
    const after = toYamlText(doc);
    expect(after).not.toBe(old.replace('Old', 'New'));
    expect(keepUntouchedLines(old, toYamlText(loadYaml().parseDocument(old)), after)).toBe(old.replace('Old', 'New'));
  });
});
