import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The smallest Defender stand-in: records each request line exactly as received (the
 * raw request-target, not decoded) and answers an empty collection, or 404 for a
 * single machine. Faster than the simulator, so thousands of generated inputs fit in
 * a few seconds; the simulator is used end to end in bot-commands.test.ts.
 */
export interface RecordingServer {
  url: string;
  requests: Array<{ method: string; url: string }>;
  close(): Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: RecordingServer['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
    req.resume();
    const single = /^\/api\/machines\/[^?]+$/.test(req.url ?? '');
    res.writeHead(single ? 404 : 200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        single
          ? { error: { code: 'NotFound', message: 'Machine was not found', target: 't-1' } }
          : { value: [] },
      ),
    );
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
