import { describe, expect, it } from 'vitest';
import { EVIDENCE_FILE_MAX_BYTES, evidenceFileTypeLabel, fileSizeText, isEvidenceFileType, textTypeFor } from './evidence-files.js';
import { mayAddEvidence, mayRemoveEvidence } from './gates/gate-rules.js';
import { MeasureState } from './measure-enums.js';
import { ErrorCode } from './errors.js';

describe('evidence files', () => {
  it('takes up to 25 MiB', () => {
    expect(EVIDENCE_FILE_MAX_BYTES).toBe(26_214_400);
  });

  it('takes PDF, XLSX, ODS, CSV, text and four image types, and nothing else', () => {
    expect(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'text/csv', 'text/plain'].every(isEvidenceFileType)).toBe(true);
    expect(isEvidenceFileType('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe(true);
    expect(isEvidenceFileType('application/vnd.oasis.opendocument.spreadsheet')).toBe(true);
    expect(['application/zip', 'application/x-elf', 'application/x-msdownload', 'image/svg+xml', 'text/html', 'toString', '__proto__'].some(isEvidenceFileType)).toBe(false);
    expect(evidenceFileTypeLabel('image/png')).toBe('PNG image');
    expect(evidenceFileTypeLabel('application/x-unknown')).toBe('application/x-unknown');
  });

  it('lets the name choose only between CSV and plain text', () => {
    expect(textTypeFor('actuals.CSV')).toBe('text/csv');
    expect(textTypeFor('actuals.csv.txt')).toBe('text/plain');
    expect(textTypeFor('report.pdf')).toBe('text/plain');
  });

  it('says sizes in B, KB and MB', () => {
    expect([0, 1023, 1024, 15_360, 1_572_864, EVIDENCE_FILE_MAX_BYTES].map(fileSizeText)).toEqual(['0 B', '1023 B', '1.0 KB', '15 KB', '1.5 MB', '25.0 MB']);
  });

  it('freezes a closed measure’s evidence: neither added nor removed', () => {
    for (const state of Object.values(MeasureState)) {
      const closed = state === MeasureState.CLOSED;
      expect(mayAddEvidence(state).allowed, state).toBe(!closed);
      expect(mayRemoveEvidence(state).allowed, state).toBe(!closed);
    }
    expect(mayRemoveEvidence(MeasureState.CLOSED)).toMatchObject({ code: ErrorCode.CONFLICT });
  });
});
