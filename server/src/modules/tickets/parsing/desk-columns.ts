import { DESK_FORMATS, foldWords, MAPPABLE_FIELDS, type DeskFormat, type MappableField, type RowRejection, type TicketRecord } from '@gatehouse/shared';
import type { CsvRow } from './csv-records.js';
import { FieldError, rejectingFieldErrors, textValue } from './field-values.js';

/** The desks whose exports are recognised by their header (defined in shared/). */
export { DESK_FORMATS, type DeskFormat };

/** The UI languages whose column names are known. ServiceNow's field names (sys_updated_on) count as English. */
export type HeaderLanguage = 'en' | 'de' | 'fr' | 'es' | 'pt';
export const LANGUAGE_NAMES: Record<HeaderLanguage, string> = { en: 'English', de: 'German', fr: 'French', es: 'Spanish', pt: 'Portuguese' };

/** What a desk's column can hold: the fields a generic mapping can fill (TicketRecord's, and the status category). */
export const DESK_FIELDS = MAPPABLE_FIELDS;
export type DeskField = MappableField;

/**
 * A desk's columns, settled once per file for its row parser: `values` gives a row's raw value of each mapped
 * field, read by column index (one plain object of the same shape for every row, so that the parser reads
 * `v.state` rather than looking column names up per field), and `names` the column each field is read from,
 * for messages.
 */
export interface DeskRowReader {
  values(row: { values: readonly string[] }): Partial<Record<DeskField, string>>;
  names: Readonly<Record<DeskField, string>>;
}

/** `headers` as the file has them: a repeated name is read from its first column. */
function deskRowReader(columns: Partial<Record<DeskField, string>>, headers: readonly string[]): DeskRowReader {
  const mapped = DESK_FIELDS.filter((f) => columns[f] !== undefined).map((f) => [f, headers.indexOf(columns[f]!)] as const);
  const names = Object.fromEntries(DESK_FIELDS.map((f) => [f, columns[f] ?? f])) as Record<DeskField, string>;
  return {
    values(row) {
      const out: Partial<Record<DeskField, string>> = {};
      for (const [field, index] of mapped) out[field] = row.values[index];
      return out;
    },
    names,
  };
}

type Vocabulary = [field: DeskField, language: HeaderLanguage, ...names: string[]][];

/**
 * The column names each desk writes, per UI language, in order of preference (the first present wins). The
 * sources: ServiceNow's incident table (field names, and the list's column labels), Jira's CSV export in its UI
 * languages, GLPI's search export, Zendesk's view export and API field names.
 */
const VOCABULARY: Record<DeskFormat, Vocabulary> = {
  servicenow: [
    ['externalId', 'en', 'number', 'Number'],
    ['externalId', 'es', 'Número'],
    ['externalId', 'de', 'Nummer'],
    ['externalId', 'fr', 'Numéro'],
    ['summary', 'en', 'short_description', 'Short description'],
    ['summary', 'es', 'Descripción breve'],
    ['summary', 'de', 'Kurzbeschreibung'],
    ['summary', 'fr', 'Description courte'],
    ['summary', 'pt', 'Descrição resumida'],
    ['description', 'en', 'description', 'Description'],
    ['category', 'en', 'category', 'Category'],
    ['category', 'es', 'Categoría'],
    ['category', 'de', 'Kategorie'],
    ['subcategory', 'en', 'subcategory', 'Subcategory'],
    ['symptom', 'en', 'u_symptom'],
    ['service', 'en', 'cmdb_ci', 'Configuration item', 'business_service', 'Service'],
    ['impact', 'en', 'impact', 'Impact'],
    ['urgency', 'en', 'urgency', 'Urgency'],
    ['priority', 'en', 'priority', 'Priority'],
    ['priority', 'es', 'Prioridad'],
    ['priority', 'de', 'Priorität'],
    ['state', 'en', 'incident_state', 'state', 'Incident state', 'State'],
    ['state', 'es', 'Estado'],
    ['assignmentGroup', 'en', 'assignment_group', 'Assignment group'],
    ['assignmentGroup', 'es', 'Grupo de asignación'],
    ['requestingUnit', 'en', 'location', 'Location'],
    ['problemRef', 'en', 'problem_id', 'Problem'],
    ['openedAt', 'en', 'opened_at', 'Opened', 'sys_created_on', 'Created'],
    ['openedAt', 'es', 'Abierto'],
    ['updatedAt', 'en', 'sys_updated_on', 'sys_updated_at', 'Updated', 'Last update'],
    ['updatedAt', 'es', 'Actualizado'],
    ['resolvedAt', 'en', 'resolved_at', 'Resolved'],
    ['closedAt', 'en', 'closed_at', 'Closed'],
    ['madeSla', 'en', 'made_sla', 'Made SLA'],
    ['revision', 'en', 'sys_mod_count', 'Updates'],
  ],
  jira: [
    ['externalId', 'en', 'Issue key'],
    ['externalId', 'de', 'Vorgangsschlüssel'],
    ['externalId', 'fr', 'Clé de ticket', 'Clé du ticket'],
    ['externalId', 'es', 'Clave de incidencia'],
    ['externalId', 'pt', 'Chave da item', 'Chave do item', 'Chave do ticket'],
    ['summary', 'en', 'Summary'],
    ['summary', 'de', 'Zusammenfassung'],
    ['summary', 'fr', 'Résumé'],
    ['summary', 'es', 'Resumen'],
    ['summary', 'pt', 'Resumo'],
    ['description', 'en', 'Description'],
    ['description', 'de', 'Beschreibung'],
    ['description', 'es', 'Descripción'],
    ['description', 'pt', 'Descrição'],
    ['category', 'en', 'Issue Type'],
    ['category', 'de', 'Vorgangstyp'],
    ['category', 'fr', 'Type de ticket'],
    ['category', 'es', 'Tipo de Incidencia'],
    ['category', 'pt', 'Tipo de item', 'Tipo de pendência'],
    ['requestType', 'en', 'Customer Request Type', 'Request Type', 'Custom field (Customer Request Type)', 'Custom field (Request Type)'],
    ['requestType', 'de', 'Anfragetyp', 'Benutzerdefiniertes Feld (Anfragetyp)'],
    ['requestType', 'fr', 'Type de demande', 'Champ personnalisé (Type de demande)'],
    ['requestType', 'es', 'Tipo de solicitud', 'Campo personalizado (Tipo de solicitud)'],
    ['requestType', 'pt', 'Tipo de solicitação', 'Campo personalizado (Tipo de solicitação)'],
    ['service', 'en', 'Component/s'],
    ['service', 'de', 'Komponente/n'],
    ['service', 'fr', 'Composant/s', 'Composants'],
    ['service', 'es', 'Componente/s', 'Componentes'],
    ['service', 'pt', 'Componente/s', 'Componentes'],
    ['priority', 'en', 'Priority'],
    ['priority', 'de', 'Priorität'],
    ['priority', 'fr', 'Priorité'],
    ['priority', 'es', 'Prioridad'],
    ['priority', 'pt', 'Prioridade'],
    ['state', 'en', 'Status'],
    ['state', 'fr', 'État'],
    ['state', 'es', 'Estado'],
    ['state', 'pt', 'Situação'],
    ['stateCategory', 'en', 'Status Category'],
    ['stateCategory', 'de', 'Statuskategorie'],
    ['stateCategory', 'fr', "Catégorie d'état", 'Catégorie de statut'],
    ['stateCategory', 'es', 'Categoría de estado'],
    ['stateCategory', 'pt', 'Categoria de status', 'Categoria do status'],
    ['requestingUnit', 'en', 'Organizations'],
    ['requestingUnit', 'de', 'Organisationen'],
    ['requestingUnit', 'fr', 'Organisations'],
    ['requestingUnit', 'es', 'Organizaciones'],
    ['requestingUnit', 'pt', 'Organizações'],
    ['labels', 'en', 'Labels'],
    ['labels', 'de', 'Stichwörter'],
    ['labels', 'fr', 'Étiquettes'],
    ['labels', 'es', 'Etiquetas'],
    ['labels', 'pt', 'Etiquetas', 'Rótulos'],
    ['openedAt', 'en', 'Created'],
    ['openedAt', 'de', 'Erstellt'],
    ['openedAt', 'fr', 'Création', 'Créé'],
    ['openedAt', 'es', 'Creada'],
    ['openedAt', 'pt', 'Criado'],
    ['updatedAt', 'en', 'Updated'],
    ['updatedAt', 'de', 'Aktualisiert'],
    ['updatedAt', 'fr', 'Mise à jour', 'Mis à jour'],
    ['updatedAt', 'es', 'Actualizada'],
    ['updatedAt', 'pt', 'Atualizado'],
    ['resolvedAt', 'en', 'Resolved'],
    ['resolvedAt', 'de', 'Erledigt', 'Gelöst'],
    ['resolvedAt', 'fr', 'Résolu', 'Résolue'],
    ['resolvedAt', 'es', 'Resuelta'],
    ['resolvedAt', 'pt', 'Resolvido'],
  ],
  glpi: [
    ['externalId', 'en', 'ID'],
    ['summary', 'en', 'Title'],
    ['summary', 'fr', 'Titre'],
    ['summary', 'pt', 'Título'],
    ['description', 'en', 'Description'],
    ['description', 'pt', 'Descrição'],
    ['category', 'en', 'Category'],
    ['category', 'fr', 'Catégorie'],
    ['category', 'pt', 'Categoria'],
    ['priority', 'en', 'Priority'],
    ['priority', 'fr', 'Priorité'],
    ['priority', 'pt', 'Prioridade'],
    ['urgency', 'en', 'Urgency'],
    ['urgency', 'fr', 'Urgence'],
    ['urgency', 'pt', 'Urgência'],
    ['impact', 'en', 'Impact'],
    ['impact', 'pt', 'Impacto'],
    ['state', 'en', 'Status'],
    ['state', 'fr', 'Statut'],
    ['assignmentGroup', 'en', 'Assigned to - Technician group', 'Assigned To - Technician Group'],
    ['assignmentGroup', 'fr', 'Attribué à - Groupe de techniciens'],
    ['assignmentGroup', 'pt', 'Atribuído - Grupo técnico'],
    ['requestingUnit', 'en', 'Entity', 'Location', 'Requester - Requester Group'],
    ['requestingUnit', 'fr', 'Entité', 'Lieu'],
    ['requestingUnit', 'pt', 'Entidade', 'Localização'],
    ['openedAt', 'en', 'Opening date'],
    ['openedAt', 'fr', "Date d'ouverture"],
    ['openedAt', 'pt', 'Data de abertura'],
    ['updatedAt', 'en', 'Last update'],
    ['updatedAt', 'fr', 'Dernière modification'],
    ['updatedAt', 'pt', 'Última atualização'],
    ['resolvedAt', 'en', 'Resolution date'],
    ['resolvedAt', 'fr', 'Date de résolution'],
    ['resolvedAt', 'pt', 'Data da solução', 'Data de solução'],
    ['closedAt', 'en', 'Closing date'],
    ['closedAt', 'fr', 'Date de clôture'],
    ['closedAt', 'pt', 'Data de fechamento'],
  ],
  zendesk: [
    ['externalId', 'en', 'Id', 'Ticket ID', 'id'],
    ['externalId', 'pt', 'ID do Ticket'],
    ['externalId', 'es', 'ID del ticket'],
    ['summary', 'en', 'Subject', 'subject'],
    ['summary', 'pt', 'Assunto'],
    ['summary', 'es', 'Asunto'],
    ['summary', 'de', 'Betreff'],
    ['summary', 'fr', 'Sujet'],
    ['description', 'en', 'Description', 'description'],
    ['description', 'pt', 'Descrição'],
    ['category', 'en', 'Ticket type', 'type'],
    ['priority', 'en', 'Priority', 'priority'],
    ['priority', 'pt', 'Prioridade'],
    ['state', 'en', 'Status', 'status'],
    ['assignmentGroup', 'en', 'Group'],
    ['requestingUnit', 'en', 'Organization'],
    ['labels', 'en', 'Tags', 'tags'],
    ['openedAt', 'en', 'Created at', 'created_at'],
    ['openedAt', 'pt', 'Criado em'],
    ['openedAt', 'es', 'Creado el'],
    ['updatedAt', 'en', 'Updated at', 'updated_at'],
    ['updatedAt', 'pt', 'Atualizado em'],
    ['updatedAt', 'es', 'Actualizado el'],
    ['resolvedAt', 'en', 'Solved at', 'solved_at'],
    ['resolvedAt', 'pt', 'Resolvido em'],
  ],
};

/** The fields a desk's export can fill, in the vocabulary's order. */
export function deskFields(format: DeskFormat): DeskField[] {
  return [...new Set(VOCABULARY[format].map(([field]) => field))];
}

/** A desk's fields mapped to the file's column names, and the language those names are in. */
export interface DeskColumns {
  columns: Partial<Record<DeskField, string>>;
  language: HeaderLanguage;
}

/** Maps a desk's fields to the columns of a header (compared with case, accents and punctuation folded). */
export function deskColumns(format: DeskFormat, headers: readonly string[]): DeskColumns {
  const byFolded = new Map<string, string>();
  for (const h of headers) if (!byFolded.has(foldWords(h))) byFolded.set(foldWords(h), h);
  const columns: Partial<Record<DeskField, string>> = {};
  const votes = new Map<HeaderLanguage, number>();
  for (const [field, language, ...names] of VOCABULARY[format]) {
    if (columns[field] !== undefined) continue;
    const found = names.map((n) => byFolded.get(foldWords(n))).find((h) => h !== undefined);
    if (found === undefined) continue;
    columns[field] = found;
    votes.set(language, (votes.get(language) ?? 0) + 1);
  }
  // English names that every language shares (Status, ID, Description) vote too, so any other language that
  // matched at least one column of its own wins.
  const others = [...votes].filter(([l]) => l !== 'en').sort((a, b) => b[1] - a[1]);
  return { columns, language: others[0]?.[0] ?? 'en' };
}

/**
 * The frame every desk's row parser shares: the row's value of each field, the id it cannot do without (`noId`
 * is the rejection's reason without one), and any FieldError thrown while reading the rest turned into the row's
 * rejection. `build` reads the rest; `n` names each field's column for its messages.
 */
export function deskRowParser(
  columns: Partial<Record<DeskField, string>>,
  headers: readonly string[],
  noId: string,
  build: (v: Partial<Record<DeskField, string>>, externalId: string, n: Readonly<Record<DeskField, string>>, row: CsvRow) => TicketRecord,
): (row: CsvRow) => TicketRecord | RowRejection {
  const { values, names } = deskRowReader(columns, headers);
  return (row) =>
    rejectingFieldErrors(row.line, () => {
      const v = values(row);
      const externalId = textValue(v.externalId);
      if (externalId === undefined) throw new FieldError(names.externalId, noId);
      return build(v, externalId, names, row);
    });
}

const SERVICENOW_MARKERS = ['sys_id', 'sys_mod_count', 'sys_updated_at', 'sys_updated_on', 'sys_created_on', 'short_description', 'incident_state', 'opened_at', 'u_symptom', 'cmdb_ci', 'assignment_group'];
const SERVICENOW_NUMBER = /^(INC|RITM|REQ|SCTASK|TASK|CHG|PRB|CS)\d{5,}$/;

/**
 * Names the desk of an export from its header and first row, or undefined (then it needs a mapping):
 * - Jira: its key and summary columns, in any of its languages;
 * - ServiceNow: a number column plus two of its field names, or a number column whose first value is a
 *   ServiceNow number (INC0010112) in a list export with column labels;
 * - GLPI: ID and a title and an opening-date or last-update column;
 * - Zendesk: an id, a subject and a created-at column.
 */
export function detectDesk(headers: readonly string[], firstRow?: Readonly<Record<string, string>>): DeskFormat | undefined {
  const jira = deskColumns('jira', headers).columns;
  if (jira.externalId && jira.summary) return 'jira';
  const servicenow = deskColumns('servicenow', headers).columns;
  if (servicenow.externalId) {
    const markers = SERVICENOW_MARKERS.filter((m) => headers.includes(m)).length;
    const first = firstRow?.[servicenow.externalId]?.trim() ?? '';
    if (markers >= 2 || SERVICENOW_NUMBER.test(first)) return 'servicenow';
  }
  const glpi = deskColumns('glpi', headers).columns;
  if (glpi.externalId && glpi.summary && (glpi.openedAt || glpi.updatedAt)) return 'glpi';
  const zendesk = deskColumns('zendesk', headers).columns;
  if (zendesk.externalId && zendesk.summary && zendesk.openedAt) return 'zendesk';
  return undefined;
}
