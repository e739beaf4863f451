import type { IncomingMessage } from 'node:http';

/**
 * Reads a JSON request body in memory, with the size limit enforced while reading.
 * restify's bodyParser skipped its size check for multipart bodies and wrote their
 * file parts to the temp folder, before authentication; this reader accepts only
 * `application/json` and writes nothing to disk.
 */
export type JsonBody = { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; error: string };

const NOT_JSON: JsonBody = {
  ok: false,
  status: 415,
  error: 'Only application/json request bodies are accepted.',
};
const TOO_LARGE = (max: number): JsonBody => ({
  ok: false,
  status: 413,
  error: `Request bodies are limited to ${max} bytes.`,
});
const MALFORMED: JsonBody = { ok: false, status: 400, error: 'The request body is not valid UTF-8 JSON.' };

/** `application/json`, optionally with `charset=utf-8` and nothing else. Pure. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [type, ...params] = header.split(';');
  if (type!.trim().toLowerCase() !== 'application/json') return false;
  return params.every((p) => {
    const [name, value = ''] = p.split('=');
    return (
      name!.trim().toLowerCase() === 'charset' &&
      value
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase() === 'utf-8'
    );
  });
}

/**
 * The content type is checked before a byte is read (415), the announced length
 * before reading (413), and the running total while reading, which covers chunked
 * bodies that announce nothing (413). Content-Encoding is refused earlier (server.ts).
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  if (!isJsonContentType(req.headers['content-type'])) return NOT_JSON;
  const announced = Number(req.headers['content-length'] ?? 0);
  if (announced > maxBytes) return TOO_LARGE(maxBytes);
  const chunks: Buffer[] = [];
  let total = 0;
  const complete = await new Promise<boolean>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        cleanup();
        resolve(false);
      } else chunks.push(chunk);
    };
    const onEnd = () => (cleanup(), resolve(true));
    const onError = (e: Error) => (cleanup(), reject(e));
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
  if (!complete) return TOO_LARGE(maxBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, total));
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return MALFORMED;
  }
}
