import { AppError, callErrorSchema } from '../../src-main/contract';

/** The renderer has no file system: the bytes become a Blob and the browser saves them. */
export function saveBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function saveCsv(filename: string, csv: string): void {
  saveBlob(filename, new Blob([csv], { type: 'text/csv;charset=utf-8' }));
}

/**
 * A file the main process streams (the accounts export, the rejected rows), named by a
 * single-use ticket from the call that checked the role. In the Electron app the main
 * process asks where to save and writes it; in web mode the browser downloads
 * /api/download/<ticket> straight to disk. Neither holds the whole file in the page. Either
 * way the download's audit entry is written before its first byte, and a refusal (the entry
 * could not be written) is thrown as an AppError for the screen's alert: in web mode the page
 * asks first with a POST whose answer it can read, since a saved link's answer is the browser's.
 */
export async function saveFromMain(ticket: string, fileName: string): Promise<'saving' | 'saved' | 'cancelled'> {
  if (window.webdesk) {
    const result = await window.webdesk.saveDownload(ticket);
    if (!result.ok) throw new AppError(result.error.code, { params: result.error.params });
    return result.value.saved ? 'saved' : 'cancelled';
  }
  const prepared = await prepareDownload(ticket);
  const link = document.createElement('a');
  link.href = `/api/download/${encodeURIComponent(prepared)}`;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  return 'saving';
}

/** POST /api/download/<ticket>: the entry written, a ticket for the bytes; a refusal as an AppError. */
async function prepareDownload(ticket: string): Promise<string> {
  let body: unknown;
  try {
    const response = await fetch(`/api/download/${encodeURIComponent(ticket)}`, { method: 'POST', headers: { 'X-Webdesk-Request': '1' }, credentials: 'same-origin', cache: 'no-store' });
    body = await response.json();
  } catch {
    throw new AppError('UNAVAILABLE');
  }
  const answer = body as { ok?: unknown; value?: { ticket?: unknown }; error?: unknown };
  if (answer.ok === true && typeof answer.value?.ticket === 'string') return answer.value.ticket;
  const error = callErrorSchema.safeParse(answer.error);
  throw error.success ? new AppError(error.data.code, { params: error.data.params }) : new AppError('UNAVAILABLE');
}
