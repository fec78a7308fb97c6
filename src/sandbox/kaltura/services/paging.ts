import type { Params } from '../params.js';

/** KalturaFilterPager: pageSize default 30 (max 500), pageIndex from 1. */
export function pageOf<T>(items: T[], pager: Params | undefined): T[] {
  let size = pager?.int('pageSize') ?? 30;
  if (size <= 0) size = 30;
  size = Math.min(size, 500);
  const index = Math.max(pager?.int('pageIndex') ?? 1, 1);
  return items.slice((index - 1) * size, index * size);
}
