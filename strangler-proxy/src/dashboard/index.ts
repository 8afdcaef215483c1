// The dashboard's public face: admin-api.ts imports from here.
export { createDashboard, API_PREFIX, CSRF_HEADER } from './create-dashboard';
export type { Dashboard, DashboardDeps } from './create-dashboard';
export { describeShadow } from './shadow-view';
export type { ShadowView } from './shadow-view';
export type { PromotionView } from './promotion-view';
export { SESSION_COOKIE } from '../cookies';
export { createLoginThrottle } from './login';
// The page's static files: where they live, and the start-up read that refuses a missing one.
export { BROWSER_DIR, loadAssets } from './browser-assets';
