// One HTTP request exactly as written: the path is sent as given (no client normalises
// `..` or percent-escapes away), any method may carry a body, any Host may be named.
// An event stream is answered by its headers alone.
import { request } from 'node:http';

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

/** Sends `req` to 127.0.0.1:`port` and answers the whole response. */
export function rawRequest(port: number, req: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${port}`, ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const sent = request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers }, (res) => {
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        // An event stream never ends: its headers are the answer.
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: '' });
        res.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    sent.on('error', reject);
    sent.setTimeout(15_000, () => sent.destroy(new Error(`no answer to ${req.method} ${req.path}`)));
    sent.end(req.body);
  });
}
