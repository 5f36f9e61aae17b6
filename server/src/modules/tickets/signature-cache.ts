import { ticketSignature, type TicketRecord, type TicketSignature } from '@gatehouse/shared';

type SignatureFields = Pick<TicketRecord, 'summary' | 'description' | 'category' | 'subcategory' | 'service' | 'symptom'>;

/** Marks structured fields that do not make a structured key, so the text decides. */
const BY_TEXT = Symbol('by text');

/** An unambiguous key of several texts (a length prefix each, so no separator can occur inside a value). */
function keyOf(...values: (string | undefined)[]): string {
  let key = '';
  for (const v of values) key += `${v?.length ?? 0}:${v ?? ''}`;
  return key;
}

/**
 * ticketSignature, remembered. Normalising (NFKC, regular expressions) costs more than the rest of a row's
 * parsing, and an export repeats a few thousand category combinations over and over. A structured signature
 * depends only on the four structured fields and a text one only on summary and description, so each is
 * remembered by those alone. Each map is emptied when it reaches `limit` entries: memory stays bounded, and an
 * export with more distinct keys than that only loses the shortcut, never correctness.
 */
export class SignatureCache {
  private readonly byFields = new Map<string, TicketSignature | typeof BY_TEXT>();
  private readonly byText = new Map<string, TicketSignature>();

  constructor(private readonly limit = 20_000) {}

  of(record: SignatureFields): TicketSignature {
    // undefined and '' normalise alike, so they may share a key.
    const fieldsKey = keyOf(record.category, record.subcategory, record.service, record.symptom);
    const known = this.byFields.get(fieldsKey);
    if (known !== undefined && known !== BY_TEXT) return known;
    const textKey = known === BY_TEXT ? keyOf(record.summary, record.description) : undefined;
    if (textKey !== undefined) {
      const text = this.byText.get(textKey);
      if (text !== undefined) return text;
    }
    const signature = ticketSignature(record);
    if (signature.basis === 'STRUCTURED') {
      remember(this.byFields, fieldsKey, signature, this.limit);
    } else {
      remember(this.byFields, fieldsKey, BY_TEXT, this.limit);
      remember(this.byText, textKey ?? keyOf(record.summary, record.description), signature, this.limit);
    }
    return signature;
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V, limit: number): void {
  if (map.size >= limit) map.clear();
  map.set(key, value);
}
