/**
 * Files attached to a measure as evidence: which types are taken and how large, defined once for the server
 * (the upload route sniffs the type from the content and refuses the rest) and the dashboard (file picker,
 * size check before sending, labels in the evidence list).
 */

/** The largest evidence file; larger ones are refused with 413 before or while they are read. */
export const EVIDENCE_FILE_LIMIT_MB = 25;
export const EVIDENCE_FILE_MAX_BYTES = EVIDENCE_FILE_LIMIT_MB * 1024 * 1024;

/** The types taken, as the server names them after sniffing the content, with a label for people. */
export const EVIDENCE_FILE_TYPES = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel spreadsheet',
  'application/vnd.oasis.opendocument.spreadsheet': 'OpenDocument spreadsheet',
  'text/csv': 'CSV',
  'text/plain': 'Text',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
} as const;
export type EvidenceFileType = keyof typeof EVIDENCE_FILE_TYPES;

export const isEvidenceFileType = (mime: string): mime is EvidenceFileType => Object.hasOwn(EVIDENCE_FILE_TYPES, mime);

export const evidenceFileTypeLabel = (mime: string): string => (isEvidenceFileType(mime) ? EVIDENCE_FILE_TYPES[mime] : mime);

/** What the file picker offers; only a hint, the server decides by the content. */
export const EVIDENCE_FILE_ACCEPT = '.pdf,.xlsx,.ods,.csv,.txt,.png,.jpg,.jpeg,.gif,.webp,application/pdf,text/csv,text/plain,image/png,image/jpeg,image/gif,image/webp';

/** Why a type is refused, for the 415 answer and the page. */
export const EVIDENCE_TYPE_REFUSED =
  'This file type is not taken as evidence: attach a PDF, a spreadsheet (XLSX, ODS, CSV), an image (PNG, JPEG, GIF, WebP) or a UTF-8 text file';

export const EVIDENCE_TOO_LARGE = `The file is larger than ${EVIDENCE_FILE_LIMIT_MB} MB: evidence files take up to ${EVIDENCE_FILE_LIMIT_MB} MB`;

/**
 * The type of content that no signature recognised but that is UTF-8 text without NUL bytes: CSV when the
 * name says so, plain text otherwise. The name only chooses between two kinds of text, never makes text of
 * anything else.
 */
export function textTypeFor(fileName: string): 'text/csv' | 'text/plain' {
  return /\.csv$/i.test(fileName.trim()) ? 'text/csv' : 'text/plain';
}

/** A size for people: bytes, KB or MB (1024-based, as the limit is). */
export function fileSizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
