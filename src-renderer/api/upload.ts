import { callErrorSchema, type CallResult } from '../../src-main/contract';

/**
 * Web mode: one file streamed to the main process on its own route (POST /api/upload/<ticket>),
 * with the same custom header as every call (the server's CSRF check) and the session cookie.
 * XMLHttpRequest rather than fetch: it reports how much of the file has gone.
 */
export function uploadFile(ticket: string, file: Blob, onProgress: (fraction: number) => void): Promise<CallResult<unknown>> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/upload/${encodeURIComponent(ticket)}`);
    xhr.setRequestHeader('X-Webdesk-Request', '1');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onload = () => {
      try {
        const body = JSON.parse(xhr.responseText) as { ok?: unknown; value?: unknown; error?: unknown };
        if (body.ok === true) return resolve({ ok: true, value: body.value });
        const error = callErrorSchema.safeParse(body.error);
        resolve({ ok: false, error: error.success ? error.data : { code: 'INTERNAL' } });
      } catch {
        resolve({ ok: false, error: { code: 'UNAVAILABLE' } });
      }
    };
    // The server closes the connection on a refusal it answered before reading the body
    // (too large): the browser may then see only a broken request.
    xhr.onerror = () => resolve({ ok: false, error: { code: 'UNAVAILABLE' } });
    xhr.send(file);
  });
}
