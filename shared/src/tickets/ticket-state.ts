import { TicketStateCategory } from './ticket-record.js';

/** Lower case, accents and punctuation folded, spaces collapsed: "Em atendimento (atribuído)" → "em atendimento atribuido". */
export function foldWords(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const words = (category: TicketStateCategory, names: string): [string, TicketStateCategory][] =>
  names.split('|').map((n) => [foldWords(n), category]);

/**
 * The state names of ServiceNow, Jira (its default workflows), Jira Service Management, GLPI and Zendesk, in
 * English, German, French, Spanish and Portuguese, as their exports write them. One list, so that every format
 * and the API read a state the same way.
 */
const STATE_NAMES = new Map<string, TicketStateCategory>([
  ...words(
    TicketStateCategory.OPEN,
    'new|open|opened|reopened|active|assigned|in progress|work in progress|on hold|hold|pending|awaiting info|awaiting user info|' +
      'awaiting evidence|awaiting problem|awaiting vendor|awaiting change|to do|backlog|selected for development|in review|waiting for support|waiting for customer|waiting for approval|' +
      'escalated|processing|processing assigned|processing planned|planned|' +
      'neu|offen|in arbeit|zu erledigen|wartend|warten auf kunden|warten auf support|in bearbeitung|' +
      'nouveau|ouvert|en cours|en cours attribue|en cours planifie|en attente|a faire|planifie|' +
      'nuevo|abierto|abierta|en curso|en progreso|pendiente|en espera|por hacer|tareas por hacer|esperando al cliente|esperando por soporte|' +
      'novo|aberto|aberta|em andamento|em atendimento|em atendimento atribuido|em atendimento planejado|pendente|planejado|itens pendentes|a fazer|aguardando cliente|aguardando suporte',
  ),
  ...words(
    TicketStateCategory.RESOLVED,
    'resolved|solved|done|completed|complete|fixed|' +
      'erledigt|geloest|gelost|fertig|' +
      'resolu|resolue|termine|terminee|fait|' +
      'resuelto|resuelta|completado|completada|hecho|listo|finalizado|finalizada|' +
      'resolvido|resolvida|solucionado|solucionada|concluido|concluida|itens concluidos|feito',
  ),
  ...words(
    TicketStateCategory.CLOSED,
    'closed|cancelled|canceled|' + 'geschlossen|abgeschlossen|abgebrochen|storniert|' + 'ferme|clos|cloture|annule|' + 'cerrado|cerrada|cancelado|cancelada|' + 'fechado|fechada',
  ),
]);

/**
 * The category of a state, from the desk's own status category when the export has it (Jira's "Status
 * Category": To Do, In Progress, Done, in the user's language), else from the state name. No state at all is
 * OPEN (the ticket's dates may still say it is done); a name nobody knows is UNKNOWN, never a guess.
 */
export function stateCategoryOf(state: string | undefined, statusCategory?: string): TicketStateCategory {
  if (statusCategory !== undefined && statusCategory.trim() !== '') {
    const byCategory = STATE_NAMES.get(foldWords(statusCategory));
    // Jira's Done category covers resolved and closed alike.
    if (byCategory !== undefined) return byCategory === TicketStateCategory.CLOSED ? TicketStateCategory.RESOLVED : byCategory;
  }
  if (state === undefined || state.trim() === '') return TicketStateCategory.OPEN;
  return STATE_NAMES.get(foldWords(state)) ?? TicketStateCategory.UNKNOWN;
}
