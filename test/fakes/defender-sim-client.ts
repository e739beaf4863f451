import type { DefenderSimulator } from '../../sandbox/defender';

/** Just enough of the API's JSON shapes for tests to read responses without casts. */
export interface ApiBody {
  value?: Record<string, unknown>[];
  '@odata.nextLink'?: string;
  '@odata.context'?: string;
  error?: { code: string; message: string; target: string; details?: { code: string; message: string }[] };
  [key: string]: unknown;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: ApiBody;
}

export interface ApiInit {
  method?: string;
  /** JSON-encoded unless `rawBody` is given. */
  json?: unknown;
  rawBody?: string;
  /** null sends no Authorization header. Default 'sandbox-token'. */
  token?: string | null;
  contentType?: string | null;
}

/** Real HTTP against the simulator (docs/architecture.md, habit 7): no module mocks. */
export async function api(
  sim: DefenderSimulator | string,
  path: string,
  init: ApiInit = {},
): Promise<ApiResponse> {
  const base = typeof sim === 'string' ? sim : sim.url;
  const headers: Record<string, string> = {};
  const token = init.token === undefined ? 'sandbox-token' : init.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const body = init.rawBody ?? (init.json !== undefined ? JSON.stringify(init.json) : undefined);
  const contentType = init.contentType === undefined ? 'application/json' : init.contentType;
  if (body !== undefined && contentType !== null) headers['content-type'] = contentType;
  const res = await fetch(path.startsWith('http') ? path : `${base}${path}`, {
    method: init.method ?? (body !== undefined ? 'POST' : 'GET'),
    headers,
    body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as ApiBody) : {} };
}

/** `/api/machines?$filter=<encoded>` and friends. */
export const withFilter = (path: string, filter: string, extra = ''): string =>
  `${path}?$filter=${encodeURIComponent(filter)}${extra}`;

export const names = (r: ApiResponse): unknown[] => (r.body.value ?? []).map((m) => m.computerDnsName);
