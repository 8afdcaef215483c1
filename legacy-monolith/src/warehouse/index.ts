// Warehouse's public face: orders, dispatch, returns, stock.
export { WarehouseService } from './service';
export type { Order, WarehouseOptions } from './service';
export { createFinanceServiceClient } from './finance-service-client';
export { PaymentFailure } from './payment-gateway';
export type { PaymentGateway } from './payment-gateway';
export { createWarehouseRouter } from './routes';
