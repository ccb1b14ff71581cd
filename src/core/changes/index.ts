import type { Action, DashboardContent, JsonObject } from '../types.js';
import { appChanges } from './app.js';
import { dashboardChanges } from './dashboard.js';
import { arrayOf, same } from './match.js';
import type { Change } from './types.js';
import { ChangeList, fieldChange } from './collect.js';

/*
 * Plain-language changes: what a person would say changed between two versions of a dashboard or
 * an app. Pure: plain data in, a list of changes out, in an order that depends on nothing but the
 * two definitions.
 */

export type { Change, ChangeAt, ChangeKind, ChangeWhat, ChangeWhere } from './types.js';

/** Which reading a definition gets: an app's (matched by id) or a free-form dashboard's. */
export type DefinitionFlavour = 'app' | 'dashboard';

/** True for an app definition (schema version 2: pages with sections), false for a free-form one. */
export function isAppDefinition(definition: JsonObject): boolean {
  const pages = arrayOf(definition.pages);
  return (
    pages.length > 0 &&
    pages.every((page) => page !== null && typeof page === 'object' && !Array.isArray(page) && 'sections' in page)
  );
}

/**
 * The changes between two definitions; either may be absent (created, deleted). The flavour is the
 * API's when the caller knows it; else an app is told from its shape.
 */
export function definitionChanges(
  before: JsonObject | undefined,
  after: JsonObject | undefined,
  flavour?: DefinitionFlavour,
): Change[] {
  const shapeOf = after ?? before;
  const reading = flavour ?? (shapeOf && isAppDefinition(shapeOf) ? 'app' : 'dashboard');
  return reading === 'app' ? appChanges(before, after) : dashboardChanges(before, after);
}

/** The changes between two versions of a dashboard or an app: its name first, then its definition. */
export function contentChanges(
  before: DashboardContent | undefined,
  after: DashboardContent | undefined,
  flavour?: DefinitionFlavour,
): Change[] {
  const changes = definitionChanges(before?.definition, after?.definition, flavour);
  if (!before || !after || same(before.name, after.name)) return changes;
  const reading = flavour ?? (isAppDefinition(after.definition) ? 'app' : 'dashboard');
  // Made as every other change is (collect.ts), so that its keys come in the same order.
  const renamed = new ChangeList();
  renamed.add(
    { page: 0, category: 0, element: 0 },
    {
      what: 'field',
      where: {},
      at: { before: '', after: '' },
      ...fieldChange('name', `the ${reading}`, before.name, after.name),
    },
  );
  return [...renamed.sorted(), ...changes];
}

// An action's changes, once per action object: the plan's text, JSON, Markdown and HTML each read them.
const told = new WeakMap<Action, Change[]>();

/**
 * What a person would say an action changes: an update's changes; for a create, what the new
 * dashboard or app holds (its pages, or its widgets, each as added); none for the other kinds. An
 * app is told from its definition's shape.
 */
export function actionChanges(action: Action): Change[] {
  if (action.kind !== 'update' && action.kind !== 'create') return [];
  let changes = told.get(action);
  if (!changes) {
    changes =
      action.kind === 'update'
        ? contentChanges(action.remote, action.local)
        : definitionChanges(undefined, action.local.definition);
    told.set(action, changes);
  }
  return changes;
}
