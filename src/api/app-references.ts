import { closestName } from './app-findings.js';
import type { AppFindings, AppProblem } from './app-findings.js';
import { FORM_TYPE, RECORD_GROUP_TYPE, WEIGHTED_LAYOUT } from './app-vocabulary.js';
import { WIDGETS } from './app-widgets.js';
import type { WidgetType } from './app-widgets.js';

/*
 * The rules between the parts of an app that its JSON Schema cannot express, as the server checks
 * them at save: unique ids, references from widgets and run groups to the page's inputs, forms, run
 * groups and output taps, and the bindings of `params`, `facts` and text `content`. Written to run
 * on any value, valid against the schema or not, so that every finding comes at once.
 */

// Readers of a value that may be anything: the value when it has the expected type, else an empty one.
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const obj = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

type Path = Array<string | number>;

/** A `{{root}}` or `{{root.field...}}` reference in a template. */
interface Reference {
  root: string;
  field?: string;
}

const REFERENCE = /\{\{\s*([A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w-]*))?/g;

/** The references in a value (a template, or a list or object of them). */
function referencesIn(value: unknown, found: Reference[] = []): Reference[] {
  if (typeof value === 'string')
    for (const match of value.matchAll(REFERENCE))
      found.push(match[2] === undefined ? { root: match[1]! } : { root: match[1]!, field: match[2] });
  else if (Array.isArray(value)) for (const item of value) referencesIn(item, found);
  else if (value !== null && typeof value === 'object')
    for (const item of Object.values(value)) referencesIn(item, found);
  return found;
}

// A `facts` value as it must be written: exactly one reference to a form's record group.
const FACTS_BINDING = /^\s*\{\{\s*([A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w-]*))?\s*\}\}\s*$/;

const unpublished = (root: string): string =>
  `{{${root}}} is published by nothing on this page ` + '(no input, form, row selection or context key of that name)';

// The widget type that shows a form, named where a scalar input's widget is given one.
const FORM_WIDGET = Object.entries(WIDGETS).find(([, widget]: [string, WidgetType]) => widget.shows === 'form')?.[0];
// Widget types whose `content` is a template (of the page's variables).
const CONTENT_TYPES = new Set(
  Object.entries(WIDGETS)
    .filter(([, widget]: [string, WidgetType]) => [widget.binds].flat().includes('content'))
    .map(([type]) => type),
);

/** The fields of a form, by id, from all its sections. */
function formFields(form: Record<string, unknown>): Map<string, Record<string, unknown>> {
  const fields = new Map<string, Record<string, unknown>>();
  for (const section of arr(form.sections))
    for (const field of arr(obj(section).fields)) {
      const id = str(obj(field).id);
      if (id !== undefined && !fields.has(id)) fields.set(id, obj(field));
    }
  return fields;
}

/** What one page declares, for the checks of its references. */
interface PageParts {
  inputs: Map<string, Record<string, unknown>>;
  groups: Set<string>;
  taps: Set<string>;
  /** Every variable root the page publishes: inputs and forms, row selections, context keys. */
  published: Set<string>;
}

/** The findings of the references and ids of an app (see the file's comment). */
export function appReferenceFindings(app: unknown): AppFindings {
  const errors: AppProblem[] = [];
  const warnings: AppProblem[] = [];
  const unique = (seen: Map<string, number>, id: unknown, path: Path, what: string): void => {
    if (typeof id !== 'string') return;
    if (seen.has(id))
      errors.push({ path: [...path, 'id'], message: `duplicate ${what} id "${id}" (also ${what} ${seen.get(id)})` });
    else seen.set(id, path[path.length - 1] as number);
  };
  const pageIds = new Map<string, number>();
  arr(obj(app).pages).forEach((pageValue, pageIndex) => {
    const page = obj(pageValue);
    const at: Path = ['pages', pageIndex];
    unique(pageIds, page.id, at, 'page');
    const parts: PageParts = { inputs: new Map(), groups: new Set(), taps: new Set(), published: new Set() };
    const seenInputs = new Map<string, number>();
    arr(page.inputs).forEach((inputValue, inputIndex) => {
      const input = obj(inputValue);
      unique(seenInputs, input.id, [...at, 'inputs', inputIndex], 'input');
      if (typeof input.id === 'string') parts.inputs.set(input.id, input);
    });
    const seenGroups = new Map<string, number>();
    const seenTaps = new Map<string, number>();
    arr(page.runGroups).forEach((groupValue, groupIndex) => {
      const group = obj(groupValue);
      unique(seenGroups, group.id, [...at, 'runGroups', groupIndex], 'run group');
      if (typeof group.id === 'string') parts.groups.add(group.id);
      arr(group.outputs).forEach((tapValue, tapIndex) => {
        const tapId = obj(tapValue).id;
        unique(seenTaps, tapId, [...at, 'runGroups', groupIndex, 'outputs', tapIndex], 'output tap');
        if (typeof tapId === 'string') parts.taps.add(tapId);
      });
    });
    for (const id of parts.inputs.keys()) parts.published.add(id);
    const widgets = sectionFindings(page, at, parts, errors, warnings);
    for (const { widget, path } of widgets) widgetFindings(widget, path, parts, errors);
    arr(page.runGroups).forEach((groupValue, groupIndex) =>
      runGroupFindings(obj(groupValue), [...at, 'runGroups', groupIndex], parts, errors),
    );
  });
  return { errors, warnings };
}

// The sections' ids and weights, and what their widgets publish; the widgets, for their own checks.
function sectionFindings(
  page: Record<string, unknown>,
  at: Path,
  parts: PageParts,
  errors: AppProblem[],
  warnings: AppProblem[],
): Array<{ widget: Record<string, unknown>; path: Path }> {
  const seenSections = new Map<string, number>();
  const seenWidgets = new Map<string, number>();
  const widgets: Array<{ widget: Record<string, unknown>; path: Path }> = [];
  arr(page.sections).forEach((sectionValue, sectionIndex) => {
    const section = obj(sectionValue);
    const sectionPath = [...at, 'sections', sectionIndex];
    const seen = seenSections.get(str(section.id) ?? '');
    if (typeof section.id === 'string' && seen !== undefined)
      errors.push({
        path: [...sectionPath, 'id'],
        message: `duplicate section id "${section.id}" (also section ${seen})`,
      });
    else if (typeof section.id === 'string') seenSections.set(section.id, sectionIndex);
    // Only a columns layout has stacks to size: elsewhere weights mean nothing, which the
    // platform warns about and saves.
    if (section.weights !== undefined && section.layout !== WEIGHTED_LAYOUT) {
      const layout = typeof section.layout === 'string' ? `"${section.layout}"` : 'not set';
      warnings.push({
        path: [...sectionPath, 'weights'],
        message: `weights apply to layout "${WEIGHTED_LAYOUT}" only (this section's layout is ${layout})`,
      });
    }
    arr(section.widgets).forEach((widgetValue, widgetIndex) => {
      const widget = obj(widgetValue);
      const path = [...sectionPath, 'widgets', widgetIndex];
      if (typeof widget.id === 'string') {
        if (seenWidgets.has(widget.id))
          errors.push({
            path: [...path, 'id'],
            message: `duplicate widget id "${widget.id}" on page ${JSON.stringify(page.id)}`,
          });
        else seenWidgets.set(widget.id, widgetIndex);
      }
      const set = str(obj(widget.onRowSelect).set);
      if (set !== undefined) parts.published.add(set);
      const key = str(obj(widget.action).key);
      if (obj(widget.action).type === 'set_context' && key !== undefined) parts.published.add(key);
      widgets.push({ widget, path });
    });
  });
  return widgets;
}

// A widget's bindings: the input, run group and output tap it names, and its content's references.
function widgetFindings(widget: Record<string, unknown>, path: Path, parts: PageParts, errors: AppProblem[]): void {
  const spec = (WIDGETS as Record<string, WidgetType>)[str(widget.type) ?? ''];
  const inputId = str(widget.inputId);
  if (inputId !== undefined) {
    const input = parts.inputs.get(inputId);
    if (!input) errors.push({ path: [...path, 'inputId'], message: `no input "${inputId}" on this page` });
    else if (spec?.shows === 'form' && input.type !== FORM_TYPE)
      errors.push({ path: [...path, 'inputId'], message: `"${inputId}" is not a form (${widget.type} shows a form)` });
    else if (spec?.shows === 'scalar' && input.type === FORM_TYPE)
      errors.push({
        path: [...path, 'inputId'],
        message: `"${inputId}" is a form: place it with a ${FORM_WIDGET} widget`,
      });
  }
  for (const [groupId, where] of [
    [str(widget.groupId), ['groupId']],
    [str(obj(widget.action).groupId), ['action', 'groupId']],
  ] as const) {
    if (groupId !== undefined && !parts.groups.has(groupId))
      errors.push({ path: [...path, ...where], message: `no run group "${groupId}" on this page` });
  }
  const outputId = str(widget.outputId);
  if (outputId !== undefined && !parts.taps.has(outputId))
    errors.push({ path: [...path, 'outputId'], message: `no output tap "${outputId}" on this page` });
  if (CONTENT_TYPES.has(str(widget.type) ?? '')) referenceFindings(widget.content, [...path, 'content'], parts, errors);
}

// Each reference of a template: its root published on the page, and a form's field a real one.
function referenceFindings(template: unknown, path: Path, parts: PageParts, errors: AppProblem[]): void {
  for (const { root, field } of referencesIn(template)) {
    if (!parts.published.has(root)) {
      errors.push({ path, message: unpublished(root) });
      continue;
    }
    const form = parts.inputs.get(root);
    if (field === undefined || form?.type !== FORM_TYPE) continue;
    const fields = formFields(form);
    if (fields.has(field)) continue;
    const near = closestName(field, fields.keys());
    errors.push({
      path,
      message: `{{${root}.${field}}}: form "${root}" has no field "${field}"${near ? ` (did you mean "${near}"?)` : ''}`,
    });
  }
}

// A run group's form, and the bindings of its params and facts.
function runGroupFindings(group: Record<string, unknown>, at: Path, parts: PageParts, errors: AppProblem[]): void {
  const formId = str(group.formId);
  const named = formId !== undefined ? parts.inputs.get(formId) : undefined;
  if (formId !== undefined && !named)
    errors.push({ path: [...at, 'formId'], message: `no form "${formId}" on this page` });
  else if (formId !== undefined && named?.type !== FORM_TYPE) {
    const what = typeof named?.type === 'string' ? `a ${named.type} input` : 'an input';
    errors.push({ path: [...at, 'formId'], message: `"${formId}" is ${what}, not a form: formId names a form` });
  }
  for (const [name, value] of Object.entries(obj(group.params)))
    referenceFindings(value, [...at, 'params', name], parts, errors);
  for (const [name, value] of Object.entries(obj(group.facts))) {
    const path = [...at, 'facts', name];
    const before = errors.length;
    referenceFindings(value, path, parts, errors);
    if (errors.length === before) factsFinding(value, path, parts, errors);
  }
}

// A `facts` entry feeds an input predicate with rows: it must be {{formId.recordGroupId}}.
function factsFinding(value: unknown, path: Path, parts: PageParts, errors: AppProblem[]): void {
  if (typeof value !== 'string') return; // the schema says it must be a string
  const rule = "facts bind a form's record group, as {{formId.recordGroupId}}";
  const match = FACTS_BINDING.exec(value);
  if (!match) {
    errors.push({ path, message: `${rule}, not ${JSON.stringify(value)}` });
    return;
  }
  const [, root, field] = match as unknown as [string, string, string | undefined];
  const form = parts.inputs.get(root);
  if (form?.type !== FORM_TYPE) {
    const what = form ? `a ${String(form.type)} input` : 'not an input';
    errors.push({ path, message: `${rule}: "${root}" is ${what}, not a form` });
  } else if (field === undefined) {
    errors.push({ path, message: `${rule}: {{${root}}} names the whole form, not one of its record groups` });
  } else {
    const type = formFields(form).get(field)?.type;
    if (type !== RECORD_GROUP_TYPE)
      errors.push({
        path,
        message: `${rule}: field "${field}" of form "${root}" is a ${String(type)} field, not a ${RECORD_GROUP_TYPE}`,
      });
  }
}
