import { computed, onScopeDispose, shallowRef } from 'vue';
import {
  checkImportFile,
  importFailureMessage,
  uploadTicketFile,
  type ImportChoices,
  type ImportFailureCode,
  type ImportFormat,
  type ImportProgress,
  type ImportResult,
  type UploadTransport,
} from './ticket-upload';

/**
 * idle: nothing chosen yet; checking: reading the file's start; sending: the file goes up (the server's
 * answer only starts once it is all sent); importing: the server's progress lines arrive; done / failed.
 */
export type ImportPhase = 'idle' | 'checking' | 'sending' | 'importing' | 'done' | 'failed';

export interface ImportFailure {
  code: ImportFailureCode;
  message: string;
  /** The server's own words, when it gave some. */
  detail: string;
  /** DATE_ORDER_UNKNOWN: the file's dates need the order chosen. */
  reason: string | null;
}

/** Rows per second since the upload started; null until there is something to divide. */
export function importRate(rows: number, elapsedMs: number): number | null {
  if (rows <= 0 || elapsedMs < 250) return null;
  return Math.round((rows * 1000) / elapsedMs);
}

/** Percent of the file's bytes the server has read and imported (0 before its first progress line). */
export function importPercent(progress: ImportProgress | null): number {
  if (progress) {
    if (progress.percent !== null) return Math.min(100, Math.max(0, progress.percent));
    if (progress.totalBytes) return Math.min(100, Math.round((progress.bytes / progress.totalBytes) * 1000) / 10);
  }
  return 0;
}

export function sentPercent(sent: number, size: number): number {
  return size > 0 ? Math.min(100, Math.round((sent / size) * 1000) / 10) : 0;
}

export interface TicketImportOptions {
  transport?: UploadTransport;
  now?: () => number;
}

/**
 * One upload at a time with its progress and outcome, in `{ loading, error, data }` shape: `data` is the last
 * result. Leaving the page stops a running upload (batches already committed stay; the import is idempotent).
 */
export function useTicketImport(options: TicketImportOptions = {}) {
  const now = options.now ?? (() => performance.now());
  const phase = shallowRef<ImportPhase>('idle');
  const progress = shallowRef<ImportProgress | null>(null);
  const sent = shallowRef(0);
  const size = shallowRef(0);
  const elapsedMs = shallowRef(0);
  const result = shallowRef<ImportResult | undefined>(undefined);
  const failure = shallowRef<ImportFailure | null>(null);
  let controller: AbortController | null = null;
  let startedAt = 0;

  const running = computed(() => phase.value === 'checking' || phase.value === 'sending' || phase.value === 'importing');

  async function start(file: File, format: ImportFormat, mapping: string | null, choices: ImportChoices = {}): Promise<void> {
    if (running.value) return;
    controller = new AbortController();
    const own = controller;
    phase.value = 'checking';
    progress.value = null;
    result.value = undefined;
    failure.value = null;
    sent.value = 0;
    size.value = file.size;
    elapsedMs.value = 0;
    const fail = (code: ImportFailureCode, detail = '', reason: string | null = null) => {
      failure.value = { code, message: importFailureMessage(code, format), detail, reason };
      phase.value = 'failed';
    };

    const problem = await checkImportFile(file);
    if (own.signal.aborted) return fail('ABORTED');
    if (problem) return fail(problem);

    startedAt = now();
    phase.value = 'sending';
    const outcome = await uploadTicketFile({
      file,
      format,
      mapping,
      choices,
      transport: options.transport,
      signal: own.signal,
      onUpload: (bytes, total) => {
        sent.value = bytes;
        if (total) size.value = total;
        elapsedMs.value = now() - startedAt;
      },
      onProgress: (line) => {
        progress.value = line;
        phase.value = 'importing';
        elapsedMs.value = now() - startedAt;
      },
    });
    if (controller === own) controller = null;
    elapsedMs.value = now() - startedAt;
    if (outcome.ok) {
      result.value = outcome.result;
      phase.value = 'done';
    } else fail(outcome.code, outcome.detail, outcome.reason ?? null);
  }

  function cancel() {
    controller?.abort();
  }

  function reset() {
    if (running.value) return;
    phase.value = 'idle';
    progress.value = null;
    result.value = undefined;
    failure.value = null;
    sent.value = 0;
  }

  onScopeDispose(cancel);

  return {
    loading: running,
    error: failure,
    data: result,
    phase,
    progress,
    sent,
    size,
    elapsedMs,
    percent: computed(() => (phase.value === 'done' ? 100 : importPercent(progress.value))),
    sentPercent: computed(() => (progress.value || phase.value === 'done' ? 100 : sentPercent(sent.value, size.value))),
    rowsPerSecond: computed(() => importRate(progress.value?.rows ?? result.value?.rows ?? 0, elapsedMs.value)),
    start,
    cancel,
    reset,
  };
}

export type TicketImport = ReturnType<typeof useTicketImport>;
