import { AppError } from '../../src-main/contract';

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
 * /api/download/<ticket> straight to disk. Neither holds the whole file in the page.
 */
export async function saveFromMain(ticket: string, fileName: string): Promise<'saving' | 'saved' | 'cancelled'> {
  if (window.webdesk) {
    const result = await window.webdesk.saveDownload(ticket);
    if (!result.ok) throw new AppError(result.error.code, { params: result.error.params });
    return result.value.saved ? 'saved' : 'cancelled';
  }
  const link = document.createElement('a');
  link.href = `/api/download/${encodeURIComponent(ticket)}`;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  return 'saving';
}
