// Warehouse's public face: orders, dispatch, returns, stock.
export { WarehouseService } from './service';
export type { Order } from './service';
export { createWarehouseRouter } from './routes';
