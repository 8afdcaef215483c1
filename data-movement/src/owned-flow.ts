import {
  type EndpointUrls,
  type Endpoints,
  type OpenDataSet,
  openDataSet,
  orient,
} from './endpoints';
import { type Ownership, resolveOwner } from './ownership';
import { type DataSet, findDataSet, loadSpec, otherSide } from './spec/load-spec';
import type { Flow } from './table-spec';

/** A data set's databases, oriented from its current owner to the other side. */
export interface OwnedFlow {
  open: OpenDataSet;
  ownership: Ownership;
  endpoints: Endpoints;
  flow: Flow;
  /** `monolith → catalog-service` */
  direction: string;
}

export function orientByOwner(open: OpenDataSet, routesFile?: string): OwnedFlow {
  const ownership = resolveOwner(open.set, routesFile ?? open.set.routesFile);
  const { endpoints, flow } = orient(open, ownership.side.role);
  const direction = `${ownership.side.upstream} → ${otherSide(open.set, ownership.side).upstream}`;
  return { open, ownership, endpoints, flow, direction };
}

/** Opens a data set and orients it by its owner (the routes file's, checked against the spec). */
export async function openOwnedFlow(
  set: DataSet,
  urls: EndpointUrls = {},
  routesFile?: string,
): Promise<OwnedFlow> {
  resolveOwner(set, routesFile ?? set.routesFile); // refuse before opening anything
  const open = await openDataSet(set, urls);
  try {
    return orientByOwner(open, routesFile);
  } catch (error) {
    await open.close();
    throw error;
  }
}

/** Re-reads the spec (a handover rewrites its owner) and orients the open databases by the current owner. */
export function reorient(open: OpenDataSet, routesFile?: string): OwnedFlow {
  const set = findDataSet(loadSpec(open.set.specFile), open.set.name);
  return orientByOwner({ ...open, set }, routesFile);
}
