import { describe, expect, it } from 'vitest';
import { catalogExport, exportFileName, projectOfPages, readPlatformApp } from '../../src/core/catalog-export.js';

/* The platform's app formats as pure rules: which shapes are read, and what the catalog JSON holds. */

const definition = {
  schemaVersion: 2,
  header: { title: 'T' },
  pages: [{ id: 'p', label: 'P', project: { id: 'sales' }, inputs: [], runGroups: [], sections: [] }],
};

describe('the catalog export and px app files', () => {
  it('writes the get answer without an id, the name inside the definition, and reads it back', () => {
    const json = catalogExport({ name: 'Top', projectId: 'sales', definition: { ...definition, id: 'old' } });
    expect(json).toEqual({
      project_id: 'sales',
      name: 'Top',
      definition: { schemaVersion: 2, name: 'Top', header: { title: 'T' }, pages: definition.pages },
    });
    expect(readPlatformApp(json)).toEqual({ name: 'Top', projectId: 'sales', definition, at: ['definition'] });
  });

  it('reads a bare definition with its id and without its editor hint, its project left to its pages', () => {
    const app = readPlatformApp({ $schema: 'x', id: 'a1', name: 'Top', ...definition });
    expect(app).toEqual({ name: 'Top', id: 'a1', definition, at: [] });
    expect(projectOfPages(definition)).toBe('sales');
    expect(projectOfPages({ pages: [...definition.pages, { project: { id: 'crm' } }] })).toBeUndefined();
  });

  it('says where a value is not an app', () => {
    expect(readPlatformApp('x')).toMatchObject({ path: [] });
    expect(readPlatformApp({ definition: [] })).toMatchObject({ path: ['definition'] });
    expect(readPlatformApp({ title: 'x' })).toMatchObject({ path: [], message: expect.stringContaining('not an app') });
    expect(readPlatformApp({ definition: { pages: [] } })).toMatchObject({ path: ['definition', 'name'] });
    expect(readPlatformApp({ name: 'x', ontology_id: '', definition: { pages: [] } })).toMatchObject({
      path: ['ontology_id'],
    });
  });

  it('names the file after the app, without what a file system refuses', () => {
    expect(exportFileName('Top Customers')).toBe('Top Customers.json');
    expect(exportFileName('a/b: c?')).toBe('a_b_ c_.json');
    expect(exportFileName('..')).toBe('app.json');
  });
});
