// Finance's public face: the ledger, invoices and reports. Warehouse is supposed to come through here (it does not: seam 2).
export { FinanceService, recordOrderPayment, recordOrderRefund } from './service';
export type { LedgerEntry, OrderMoney } from './service';
export { createFinanceRouter } from './routes';
