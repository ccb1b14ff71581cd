import type { Settings } from '../config/resolve.js';
import { appsFlavour } from './apps/index.js';
import { dashboardsFlavour } from './dashboards/index.js';
import type { Flavour } from './flavour.js';

export type { FileNotes, Flavour, SaveSteps } from './flavour.js';

/**
 * The API flavour a run works with, from `api:` in its settings: the one place that asks which API
 * a run talks to. Commands get it from the run's context (commands/open-run.ts).
 */
export function flavourOf(settings: Settings): Flavour {
  return settings.api === 'apps' ? appsFlavour(settings) : dashboardsFlavour(settings);
}
