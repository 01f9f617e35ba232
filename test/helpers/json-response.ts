import type { IncomingMessage } from 'node:http';

/** A node:http answer read whole: its status and its body, parsed when it is JSON (else the text). */
export function readJsonResponse(res: IncomingMessage): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (text += c));
    res.on('error', reject);
    res.on('end', () => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* the caller sees the text */
      }
      resolve({ status: res.statusCode ?? 0, body });
    });
  });
}
