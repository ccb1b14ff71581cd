import { closestName } from '../api/app-findings.js';
import type { AppFindings, AppProblem } from '../api/app-findings.js';

/*
 * What only the server can check of an app: its names against the ontology of each page's project.
 * The emulator runs these checks for the projects it was given an ontology of, in the platform's
 * words ("execute concept 'lead_details' not found; did you mean 'lead_info'?").
 */

/** A concept of an ontology, as far as an app's checks need it. */
export interface Concept {
  /** Its output columns (an app's column names match them case-insensitively). */
  columns?: string[];
  /** The `@param`s it declares. */
  params?: string[];
  /** The concepts its rules read: computed along with it when it is executed. */
  reads?: string[];
  /** An input predicate (no rules, columns declared with `@model`): the only kind `facts` may feed. */
  input?: boolean;
}

/** A project's ontology: its concepts by name. */
export interface Ontology {
  concepts: Record<string, Concept>;
}

const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const obj = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

type Path = Array<string | number>;

// The concepts computed when `execute` runs: those named and every one they read, transitively.
function computed(ontology: Ontology, execute: string[]): Set<string> {
  const done = new Set<string>();
  const next = [...execute];
  for (let name = next.pop(); name !== undefined; name = next.pop()) {
    if (done.has(name)) continue;
    done.add(name);
    next.push(...(ontology.concepts[name]?.reads ?? []));
  }
  return done;
}

/** The findings of an app's names against the ontologies of its pages' projects (see above). */
export function ontologyFindings(app: unknown, ontologies: Record<string, Ontology>): AppFindings {
  const errors: AppProblem[] = [];
  const warnings: AppProblem[] = [];
  arr(obj(app).pages).forEach((pageValue, pageIndex) => {
    const page = obj(pageValue);
    const ontology = ontologies[str(obj(page.project).id) ?? ''];
    if (!ontology) return;
    const at: Path = ['pages', pageIndex];
    const names = Object.keys(ontology.concepts);
    const suggest = (name: string, known: Iterable<string>): string => {
      const near = closestName(name, known);
      return near === undefined ? '' : `; did you mean '${near}'?`;
    };
    // A concept that must exist; its columns when it does.
    const concept = (name: unknown, path: Path, what: string): Concept | undefined => {
      if (typeof name !== 'string') return undefined;
      const found = ontology.concepts[name];
      if (!found) errors.push({ path, message: `${what} '${name}' not found${suggest(name, names)}` });
      return found;
    };
    const columns = (of: Concept | undefined, column: unknown, path: Path, where: string): void => {
      if (!of?.columns || typeof column !== 'string') return;
      if (!of.columns.some((known) => known.toLowerCase() === column.toLowerCase()))
        errors.push({ path, message: `${where}column '${column}' not found${suggest(column, of.columns)}` });
    };
    const declared = new Set(Object.values(ontology.concepts).flatMap((one) => one.params ?? []));
    const tapConcepts = new Map<string, Concept | undefined>();
    arr(page.runGroups).forEach((groupValue, groupIndex) => {
      const group = obj(groupValue);
      const path: Path = [...at, 'runGroups', groupIndex];
      const execute = arr(group.execute).filter((name): name is string => typeof name === 'string');
      execute.forEach((name, i) => concept(name, [...path, 'execute', i], 'execute concept'));
      const reach = computed(ontology, execute);
      arr(group.outputs).forEach((tapValue, tapIndex) => {
        const tap = obj(tapValue);
        const tapPath = [...path, 'outputs', tapIndex, 'concept'];
        const found = concept(tap.concept, tapPath, `output tap '${String(tap.id)}' concept`);
        if (typeof tap.id === 'string') tapConcepts.set(tap.id, found);
        if (found && !reach.has(tap.concept as string))
          warnings.push({
            path: tapPath,
            message: `output tap '${String(tap.id)}' concept '${String(tap.concept)}' is not computed by execute`,
          });
      });
      for (const param of Object.keys(obj(group.params)))
        if (!declared.has(param))
          errors.push({
            path: [...path, 'params', param],
            message: `param '${param}' is not declared as @param by any concept in this ontology${suggest(param, declared)}`,
          });
      for (const predicate of Object.keys(obj(group.facts))) {
        const found = concept(predicate, [...path, 'facts', predicate], 'facts predicate');
        if (found && !found.input)
          errors.push({
            path: [...path, 'facts', predicate],
            message: `facts predicate '${predicate}' is not an input predicate (a concept with rules cannot be fed facts)`,
          });
      }
    });
    // Options and seeds of inputs and form fields: concepts, and their columns.
    const sourced = (holder: Record<string, unknown>, path: Path): void => {
      const source = obj(holder.optionsSource);
      const of = concept(source.concept, [...path, 'optionsSource', 'concept'], 'optionsSource concept');
      for (const key of ['valueCol', 'labelCol'])
        columns(of, source[key], [...path, 'optionsSource', key], `optionsSource concept '${String(source.concept)}' `);
      const seed = obj(holder.seedFrom);
      const seeds = concept(seed.concept, [...path, 'seedFrom', 'concept'], 'seedFrom concept');
      for (const column of Object.keys(obj(seed.columnToField)))
        columns(
          seeds,
          column,
          [...path, 'seedFrom', 'columnToField', column],
          `seedFrom concept '${String(seed.concept)}' `,
        );
    };
    arr(page.inputs).forEach((inputValue, inputIndex) => {
      const input = obj(inputValue);
      sourced(input, [...at, 'inputs', inputIndex]);
      arr(input.sections).forEach((section, s) =>
        arr(obj(section).fields).forEach((field, f) =>
          sourced(obj(field), [...at, 'inputs', inputIndex, 'sections', s, 'fields', f]),
        ),
      );
    });
    // A table's columns, format rules and column formats name columns of its tap's concept.
    arr(page.sections).forEach((section, s) =>
      arr(obj(section).widgets).forEach((widgetValue, w) => {
        const widget = obj(widgetValue);
        const of = tapConcepts.get(str(widget.outputId) ?? '');
        const path: Path = [...at, 'sections', s, 'widgets', w];
        arr(widget.columns).forEach((column, i) => columns(of, column, [...path, 'columns', i], ''));
        arr(widget.formatRules).forEach((rule, i) =>
          columns(of, obj(rule).column, [...path, 'formatRules', i, 'column'], 'formatRules '),
        );
        for (const column of Object.keys(obj(widget.columnFormats)))
          columns(of, column, [...path, 'columnFormats', column], 'columnFormats ');
      }),
    );
  });
  return { errors, warnings };
}
