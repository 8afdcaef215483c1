/** The nginx data plane: the routes file as an nginx configuration, and nginx run as the proxy. */
export { DROPPABLE, DROPPABLE_NAMES, type DroppableFeature } from './carried-features';
export { NginxError } from './nginx-error';
export { renderNginxConfig } from './render-config';
export type { RenderOptions, RenderedConfig } from './render-options';
export {
  type NginxDataPlane,
  type NginxDataPlaneOptions,
  startNginxDataPlane,
} from './nginx-data-plane';
export { INSTALL_HINT, findNginx, freePort } from './nginx-process';
export { exportRoutes, parseAllowDrop } from './export-command';
export {
  type NginxProxyOptions,
  type RunningNginxProxy,
  runNginxProxyUntilSignal,
  startNginxProxy,
} from './nginx-proxy';
export {
  installConfig,
  type NginxPrefix,
  prefixIn,
  requireNginx,
  startNginx,
} from './nginx-process';
export { type AccessLogEntry, followAccessLog } from './follow-access-log';
export { type NginxBreakers, keepBreakersForNginx } from './nginx-breakers';
