import { type EvidenceFileType, isEvidenceFileType, textTypeFor } from '@gatehouse/shared';
import { fileTypeFromBuffer } from 'file-type';
import { isUtf8 } from 'node:buffer';

/**
 * The type of an evidence file, read from its bytes alone: what `file-type` recognises by its signature (PDF,
 * XLSX and ODS by what their zip holds, PNG, JPEG, GIF, WebP), else UTF-8 text without NUL bytes (CSV when the
 * name ends in .csv, plain text otherwise). Null for anything else: executables, archives, other documents,
 * binary data. The name and the client's Content-Type never make a file one of the binary types.
 */
export async function sniffEvidenceFileType(content: Uint8Array, fileName: string): Promise<EvidenceFileType | null> {
  const found = await fileTypeFromBuffer(content);
  if (found) return isEvidenceFileType(found.mime) && !found.mime.startsWith('text/') ? found.mime : null;
  if (content.length > 0 && !content.includes(0) && isUtf8(content)) return textTypeFor(fileName);
  return null;
}
