import type { Settings } from '../config/resolve.js';
import type { Flavour } from './flavour.js';

export type { FileNotes, Flavour, SaveSteps } from './flavour.js';

/**
 * The API flavour a run works with, from `api:` in its settings: the one place that asks which API
 * a run talks to. Commands get it from the run's context (commands/open-run.ts). Each flavour is
 * loaded only by a run that uses it.
 */
export async function flavourOf(settings: Settings): Promise<Flavour> {
  return settings.api === 'apps'
    ? (await import('./apps/index.js')).appsFlavour(settings)
    : (await import('./dashboards/index.js')).dashboardsFlavour(settings);
}
