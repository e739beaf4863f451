import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * A local OTLP/HTTP (JSON) collector: what the bot sends to /v1/traces and /v1/metrics,
 * flattened into spans and metric data points with plain attribute values.
 */
export type AttrValue = string | number | boolean | undefined;

export interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, AttrValue>;
  resource: Record<string, AttrValue>;
}

export interface ReceivedPoint {
  metric: string;
  unit?: string;
  kind: 'sum' | 'gauge' | 'histogram';
  /** Sum or gauge value; the count of a histogram point. */
  value: number;
  attributes: Record<string, AttrValue>;
}

export interface OtlpReceiver {
  url: string;
  spans: ReceivedSpan[];
  points: ReceivedPoint[];
  posts: { path: string; contentType?: string }[];
  close(): Promise<void>;
}

interface KeyValue {
  key: string;
  value: { stringValue?: string; intValue?: number | string; doubleValue?: number; boolValue?: boolean };
}

const attrs = (list: KeyValue[] | undefined): Record<string, AttrValue> =>
  Object.fromEntries(
    (list ?? []).map(({ key, value: v }) => [
      key,
      v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.doubleValue ?? v.boolValue)),
    ]),
  );

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const points: ReceivedPoint[] = [];
  const posts: OtlpReceiver['posts'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push({ path: req.url ?? '', contentType: req.headers['content-type'] });
      let raw = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
      const body = JSON.parse(raw.toString('utf8') || '{}');
      if (req.url === '/v1/traces') collectSpans(body);
      if (req.url === '/v1/metrics') collectMetrics(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  /* eslint-disable @typescript-eslint/no-explicit-any -- OTLP JSON, read loosely */
  function collectSpans(body: any) {
    for (const rs of body.resourceSpans ?? [])
      for (const ss of rs.scopeSpans ?? [])
        for (const s of ss.spans ?? [])
          spans.push({
            name: s.name,
            traceId: s.traceId,
            spanId: s.spanId,
            parentSpanId: s.parentSpanId || undefined,
            attributes: attrs(s.attributes),
            resource: attrs(rs.resource?.attributes),
          });
  }
  function collectMetrics(body: any) {
    for (const rm of body.resourceMetrics ?? [])
      for (const sm of rm.scopeMetrics ?? [])
        for (const m of sm.metrics ?? []) {
          const kind = m.sum ? 'sum' : m.gauge ? 'gauge' : m.histogram ? 'histogram' : undefined;
          if (!kind) continue;
          for (const p of m[kind].dataPoints ?? [])
            points.push({
              metric: m.name,
              unit: m.unit,
              kind,
              value: kind === 'histogram' ? Number(p.count) : Number(p.asInt ?? p.asDouble ?? 0),
              attributes: attrs(p.attributes),
            });
        }
  }
  /* eslint-enable @typescript-eslint/no-explicit-any */
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    points,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
