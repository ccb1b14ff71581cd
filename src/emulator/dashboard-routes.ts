import type { ApiCall, RouteAnswer } from './call.js';
import { appOf, appRow, dashboardRow, shuffle } from './responses.js';
import type { StoredDashboard } from './store.js';

/*
 * The emulator's answers to the routes both APIs share but save (see save.ts): list all, list a
 * project, get, delete. /apps rows carry no timestamps and an app's id and name are inside its
 * definition; /dashboards rows and definitions are as that API documents them.
 */

const withDefinition = (dashboard: StoredDashboard): object => ({
  ...dashboardRow(dashboard),
  definition: dashboard.definition,
});

/** The answer to a list, get or delete; undefined for any other route. */
export async function dashboardRoute(call: ApiCall): Promise<RouteAnswer | undefined> {
  const { api, route, queryScope, store, stats, dice } = call;
  const { project, id } = route.params;
  const noun = api === 'apps' ? 'App' : 'Dashboard';
  const listRow = api === 'apps' ? appRow : dashboardRow;
  // An eventually consistent list: what was created in the last listLagMs is not listed yet.
  const lag = call.options.misbehave?.listLagMs ?? 0;
  const listed = (all: StoredDashboard[]): StoredDashboard[] =>
    lag ? all.filter((dashboard) => Date.parse(dashboard.created_at) <= Date.now() - lag) : all;
  switch (route.name) {
    case 'listAll':
      stats.list++;
      return {
        code: 200,
        message: `All ${api} listed successfully`,
        data: shuffle(listed(store.list(queryScope)).map(listRow), dice),
      };
    case 'listProject':
      stats.list++;
      return {
        code: 200,
        message: `${noun}s listed successfully`,
        data: shuffle(listed(store.list(queryScope, project)).map(listRow), dice),
      };
    case 'get': {
      stats.get++;
      const found = store.get(queryScope, project, id);
      if (!found) return { code: 404, message: `${noun} '${id}' not found`, data: null };
      return {
        code: 200,
        message: `${noun} loaded successfully`,
        data: api === 'apps' ? appOf(found) : withDefinition(found),
      };
    }
    case 'delete': {
      stats.delete++;
      const gone = await store.delete(queryScope, project, id);
      if (!gone) return { code: 404, message: `${noun} '${id}' not found`, data: null };
      return { code: 200, message: `${noun} '${id}' deleted successfully`, data: null };
    }
    default:
      return undefined;
  }
}
