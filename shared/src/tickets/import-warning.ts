/** A value an import kept but did not know: never a rejected row, always reported with a count. */
export const ImportWarningKind = { UNKNOWN_STATE: 'UNKNOWN_STATE', UNKNOWN_PRIORITY: 'UNKNOWN_PRIORITY' } as const;
export type ImportWarningKind = (typeof ImportWarningKind)[keyof typeof ImportWarningKind];

export interface ImportWarning {
  kind: ImportWarningKind;
  column: string;
  /** The value as the desk wrote it; empty when the row had none and nothing gave one. */
  value: string;
  /** Rows carrying it. */
  count: number;
}

/** A warning as a sentence, the same in the command line, the upload's result and the preview. */
export function importWarningText(w: ImportWarning): string {
  const what = w.kind === ImportWarningKind.UNKNOWN_STATE ? 'state' : 'priority';
  const rows = `${w.count} ${w.count === 1 ? 'row has' : 'rows have'}`;
  return w.value === ''
    ? `${rows} no ${what} (${w.column}), and nothing to derive one from: kept as UNKNOWN.`
    : `${rows} the unknown ${what} “${w.value}” (${w.column}): kept as written, counted as UNKNOWN.`;
}
