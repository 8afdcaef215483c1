import type { RouteTable } from './route-table';

export interface RouteSummary {
  name: string;
  match: string;
  methods: string;
  to: string;
  percent: number;
  sticky: string | null;
  fallback: string;
  retry: number;
  /** The data set whose owner alone takes this route's writes (`writes:`), or null. */
  writes: string | null;
}

/** Routes in precedence order, for `strangler routes list` and GET /admin/routes. */
export function describeRoutes(table: RouteTable): RouteSummary[] {
  return table.routes.map((route) => ({
    name: route.name,
    match:
      route.name === 'default'
        ? '(anything else)'
        : `${route.kind} ${route.pattern.source}${route.header ? ` [${route.header.name}${route.header.value !== undefined ? `=${route.header.value}` : ''}]` : ''}${route.version !== null ? ` [version ${route.version}]` : ''}`,
    methods: route.methods ? [...route.methods].join(',') : '*',
    to: route.to,
    percent: route.percent,
    sticky: route.sticky
      ? route.sticky.header
        ? `header ${route.sticky.header}`
        : `cookie ${route.sticky.cookie}`
      : null,
    fallback: route.fallbackMethods.size > 0 ? [...route.fallbackMethods].join(',') : 'no',
    retry: route.retry?.attempts ?? 0,
    writes: route.writes,
  }));
}
