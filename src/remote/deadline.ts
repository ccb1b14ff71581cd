import { EventEmitter } from 'node:events';

/**
 * An attempt's deadline, as undici takes a signal: an event emitter that says 'abort' when the time
 * is up. An AbortController per call (its EventTarget) cost several times as much: about 15 ms of a
 * pull of 1,000 dashboards.
 */
export class Deadline extends EventEmitter {
  aborted = false;
  private readonly timer: NodeJS.Timeout;

  constructor(ms: number) {
    super();
    this.timer = setTimeout(() => {
      this.aborted = true;
      this.emit('abort');
    }, ms);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
