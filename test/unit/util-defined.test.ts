import { describe, expect, it } from 'vitest';
import { definedOnly } from '../../src/util/defined.js';

describe('definedOnly', () => {
  it('leaves out the keys whose value is undefined and keeps the others in their order', () => {
    const fields = definedOnly({ id: 'a', fileId: undefined, name: '', count: 0, flag: false, none: null });
    expect(Object.keys(fields)).toEqual(['id', 'name', 'count', 'flag', 'none']);
    expect(JSON.stringify(fields)).toBe('{"id":"a","name":"","count":0,"flag":false,"none":null}');
  });

  it('gives an empty object when every value is undefined, so a spread adds nothing', () => {
    expect({ kind: 'create', ...definedOnly({ fileId: undefined, updatedAt: undefined }) }).toEqual({ kind: 'create' });
    expect('fileId' in { ...definedOnly({ fileId: undefined }) }).toBe(false);
  });
});
