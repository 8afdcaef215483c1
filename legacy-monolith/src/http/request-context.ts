import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';
import { silentLogger } from '../../../common/src/logger';

interface RequestContext {
  correlationId: string;
  logger: Logger;
}

// necessary because services have no req/res, yet their log lines must carry the request's correlation ID.
const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

const outsideRequests = silentLogger();

/** The current request's logger (with its correlation ID); silent outside a request. */
export function currentLogger(): Logger {
  return storage.getStore()?.logger ?? outsideRequests;
}

/** The current request's correlation ID, passed on to the services the monolith calls; undefined outside a request. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}
