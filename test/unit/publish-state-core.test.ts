import { describe, expect, it } from 'vitest';
import { pendingPublishes, publishStatusOf, publishStepNeeded } from '../../src/core/deploy.js';
import type { Plan } from '../../src/core/types.js';

describe('publish state from an app versions list (newest first)', () => {
  it('tells unpublished, current and draft-ahead apart, with the version numbers', () => {
    expect(publishStatusOf([{ number: 2 }, { number: 1 }])).toEqual({ state: 'unpublished', draft: 2 });
    expect(publishStatusOf([{ number: 3, published: true }, { number: 2 }])).toEqual({
      state: 'published',
      draft: 3,
      published: 3,
    });
    expect(publishStatusOf([{ number: 5 }, { number: 4 }, { number: 3, published: true }])).toEqual({
      state: 'draft-ahead',
      draft: 5,
      published: 3,
    });
  });

  it('counts versions from the oldest when the server gives no numbers', () => {
    expect(publishStatusOf([{}, { published: true }, {}])).toEqual({ state: 'draft-ahead', draft: 3, published: 2 });
  });

  it('publishes only apps whose viewers are behind, and unpublishes only apps viewers see', () => {
    const app = (state: 'unpublished' | 'published' | 'draft-ahead') => ({
      path: `dashboards/p/${state}.yaml`,
      projectId: 'p',
      folder: 'p',
      id: state,
      name: state,
      status: { state, draft: 2, ...(state === 'unpublished' ? {} : { published: 1 }) },
    });
    const plan: Plan = {
      actions: [],
      unmanaged: [],
      unchanged: 3,
      publishing: [app('unpublished'), app('published'), app('draft-ahead')],
    };
    expect(pendingPublishes(plan).map((a) => a.id)).toEqual(['unpublished', 'draft-ahead']);
    expect(publishStepNeeded('unpublish', app('unpublished').status)).toBe(false);
    expect(publishStepNeeded('unpublish', app('draft-ahead').status)).toBe(true);
    expect(pendingPublishes({ actions: [], unmanaged: [], unchanged: 0 })).toEqual([]);
  });
});
