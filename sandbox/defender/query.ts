/**
 * $filter / $top / $skip and paging. $top may go up to 10,000 (docs/defender-api.md); the
 * simulator pages at min($top, pageSize) and emits @odata.nextLink while more remain,
 * so clients must follow it. Query option names match case-insensitively.
 */
import { SimError } from './sim-error';

export interface ListQuery {
  filter?: string;
  top?: number;
  skip: number;
}

export const MAX_TOP = 10_000;

export function parseListQuery(rawQuery: string): ListQuery {
  const q: ListQuery = { skip: 0 };
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    switch (key.toLowerCase()) {
      case '$filter':
        q.filter = value;
        break;
      case '$top':
        q.top = nonNegativeInt('$top', value);
        if (q.top > MAX_TOP) {
          throw new SimError(
            400,
            'InvalidInput',
            `The limit of '${MAX_TOP}' for Top query has been exceeded`,
          );
        }
        break;
      case '$skip':
        q.skip = nonNegativeInt('$skip', value);
        break;
    }
  }
  return q;
}

function nonNegativeInt(name: string, value: string): number {
  if (!/^\d{1,9}$/.test(value.trim())) {
    throw new SimError(
      400,
      'InvalidInput',
      `Invalid value '${value}' for ${name}: expected a non-negative integer`,
    );
  }
  return Number(value.trim());
}

export function pageOf<T>(
  items: readonly T[],
  q: ListQuery,
  pageSize: number,
  linkBase: string,
): { value: T[]; nextLink?: string } {
  const wanted = q.top ?? Number.POSITIVE_INFINITY;
  const value = items.slice(q.skip, q.skip + Math.min(wanted, pageSize));
  const consumed = q.skip + value.length;
  const more = consumed < items.length && value.length < wanted;
  if (!more) return { value };
  const params = [
    ...(q.filter !== undefined ? [`$filter=${encodeURIComponent(q.filter)}`] : []),
    ...(q.top !== undefined ? [`$top=${q.top - value.length}`] : []),
    `$skip=${consumed}`,
  ];
  return { value, nextLink: `${linkBase}?${params.join('&')}` };
}
