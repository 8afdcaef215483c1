// The dashboard's public face: admin-api.ts imports from here.
export { createDashboard, API_PREFIX, CSRF_HEADER } from './create-dashboard';
export type { Dashboard, DashboardDeps } from './create-dashboard';
export { describeShadow } from './shadow-view';
export type { ShadowView } from './shadow-view';
export type { PromotionView } from './promotion-view';
export { SESSION_COOKIE } from '../cookies';
export { PAGE_SCRIPT } from './page-script';
export { createLoginThrottle } from './login';
