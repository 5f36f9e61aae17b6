import { EVIDENCE_FILE_LIMIT_MB, EVIDENCE_FILE_MAX_BYTES, EVIDENCE_TOO_LARGE } from '@gatehouse/shared';

/**
 * Attaching a file as evidence: `POST /measures/:id/evidence/files` with the file as the body (the server sniffs
 * its type from the bytes and stores it in the database), sent with XMLHttpRequest because only its upload
 * events tell the page how far the file has gone. Answers 201 with the evidence, or `{ code, message }`.
 */
export interface EvidenceUpload {
  measureId: string;
  file: Blob & { name: string };
  kind: string;
  title?: string;
  note?: string;
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

export type EvidenceUploadOutcome = { ok: true; id: string } | { ok: false; message: string };

export interface UploadAnswer {
  status: number;
  text: string;
}

/** Sends the body; resolves with the answer, rejects when none came (network, aborted). */
export type EvidenceTransport = (url: string, file: Blob, onProgress: (sent: number, total: number) => void, signal?: AbortSignal) => Promise<UploadAnswer>;

export function evidenceUploadUrl(upload: Pick<EvidenceUpload, 'measureId' | 'file' | 'kind' | 'title' | 'note'>): string {
  const params = new URLSearchParams({ name: upload.file.name.slice(0, 255), kind: upload.kind });
  if (upload.title?.trim()) params.set('title', upload.title.trim());
  if (upload.note?.trim()) params.set('note', upload.note.trim());
  return `/measures/${encodeURIComponent(upload.measureId)}/evidence/files?${params.toString()}`;
}

/** What the page says for an answer: the server's own message when it sent one, else what the status means. */
export function uploadAnswerMessage(answer: UploadAnswer): string {
  let message: string | null = null;
  try {
    const body: unknown = JSON.parse(answer.text);
    if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') message = (body as { message: string }).message;
  } catch {
    // a proxy's page, not our answer
  }
  if (message) return message;
  if (answer.status === 413) return `The file was refused as too large before it reached Gatehouse (which takes up to ${EVIDENCE_FILE_LIMIT_MB} MB): a proxy in front of it has a lower limit.`;
  if (answer.status === 401) return 'Your session has ended. Sign in again, then attach the file again.';
  if (answer.status === 403) return 'You may not attach evidence to this measure.';
  return `The file was not attached (HTTP ${answer.status}).`;
}

export const xhrEvidenceTransport: EvidenceTransport = (url, file, onProgress, signal) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('X-Gatehouse-Upload', '1');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => reject(new TypeError('network'));
    xhr.onabort = () => reject(new DOMException('The upload was stopped', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });

/** Checks the size, sends the file and reads the answer; never throws. */
export async function uploadEvidenceFile(upload: EvidenceUpload, transport: EvidenceTransport = xhrEvidenceTransport): Promise<EvidenceUploadOutcome> {
  if (upload.file.size === 0) return { ok: false, message: 'The file is empty.' };
  if (upload.file.size > EVIDENCE_FILE_MAX_BYTES) return { ok: false, message: `${EVIDENCE_TOO_LARGE}.` };
  let answer: UploadAnswer;
  try {
    answer = await transport(evidenceUploadUrl(upload), upload.file, (sent, total) => upload.onProgress?.(sent, total), upload.signal);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') return { ok: false, message: 'You stopped the upload; nothing was attached.' };
    return { ok: false, message: 'Gatehouse could not be reached, so the file was not attached.' };
  }
  if (answer.status === 201) {
    try {
      const body = JSON.parse(answer.text) as { id: string };
      return { ok: true, id: body.id };
    } catch {
      return { ok: false, message: 'The answer to the upload could not be read.' };
    }
  }
  return { ok: false, message: uploadAnswerMessage(answer) };
}
