import type { Reporter } from '../src/contract/reporter.js';
import { silentReporter } from '../src/contract/reporter.js';
import type { DashboardsApi } from '../src/contract/client.js';
import type { DashboardContent, RemoteDashboard, RemoteSummary } from '../src/core/types.js';

/**
 * A DashboardsApi that keeps dashboards in a Map: commands called through the library API with it
 * run in milliseconds, with no server and no process. `calls` records every write, for assertions.
 */
export class MemoryClient implements DashboardsApi {
  readonly dashboards = new Map<string, RemoteDashboard>();
  readonly calls: string[] = [];
  private nextId = 1;

  /** Puts a dashboard in the workspace as if someone had made it there; returns its id. */
  seed(projectId: string, content: DashboardContent, id = `seed-${this.nextId++}`): string {
    this.dashboards.set(id, { id, projectId, ...structuredClone(content), updatedAt: new Date(0).toISOString() });
    return id;
  }

  async listAll(): Promise<RemoteSummary[]> {
    return [...this.dashboards.values()].map(({ id, projectId, name, updatedAt }) => ({
      id,
      projectId,
      name,
      ...(updatedAt ? { updatedAt } : {}),
    }));
  }

  async listProject(projectId: string): Promise<RemoteSummary[]> {
    return (await this.listAll()).filter((summary) => summary.projectId === projectId);
  }

  async get(projectId: string, id: string): Promise<RemoteDashboard | undefined> {
    const found = this.dashboards.get(id);
    return found && found.projectId === projectId ? structuredClone(found) : undefined;
  }

  async save(projectId: string, dashboard: DashboardContent & { id?: string }): Promise<string> {
    const id = dashboard.id ?? `new-${this.nextId++}`;
    this.calls.push(`save ${projectId}/${dashboard.id ?? '(new)'}`);
    this.dashboards.set(id, {
      id,
      projectId,
      name: dashboard.name,
      definition: structuredClone(dashboard.definition),
      updatedAt: new Date(this.nextId++ * 1000).toISOString(),
    });
    return id;
  }

  async delete(projectId: string, id: string): Promise<void> {
    this.calls.push(`delete ${projectId}/${id}`);
    this.dashboards.delete(id);
  }

  async close(): Promise<void> {}
}

/** The options a command is called with in process: the folder, the in-memory workspace, a reporter. */
export function inMemoryOptions(cwd: string, client: MemoryClient, reporter: Reporter = silentReporter) {
  return { cwd, client, reporter, env: {}, flags: { url: 'http://127.0.0.1:9', token: 'in-memory' } };
}
