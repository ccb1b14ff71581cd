/**
 * The yes/no check of an app against the vocabulary's schema, compiled ahead of time: no ajv loaded
 * and no schema compiled to know a valid app. Undefined here: the CLI's bundle (scripts/bundle.mjs)
 * puts in its place the code ajv generates from appSchema(); code run from src/ or dist/ modules
 * compiles the schema on first use (app-validation.ts).
 */
export const APP_CHECK: ((value: unknown) => boolean) | undefined = undefined;
