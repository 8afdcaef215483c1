import { z } from 'zod';
import { integerText } from './validation';

export const MAX_PAGE_SIZE = 100;

/** page/pageSize query parameters: page from 1, pageSize 1–100 (default 20). */
export const pagingSchema = z.object({
  page: integerText(1, 1_000_000).default(1),
  pageSize: integerText(1, MAX_PAGE_SIZE).default(20),
});

export interface Paging {
  page: number;
  pageSize: number;
}

export interface Page<T> extends Paging {
  items: T[];
  total: number;
}

export function offsetOf(paging: Paging): number {
  return (paging.page - 1) * paging.pageSize;
}
