/**
 * The export formats a ticket import reads and what an upload may be, defined once for the server (parsers,
 * import route, command line) and the dashboard (format picker, file picker, size check).
 */

/** The desks whose exports are recognised by their header; anything else takes a column mapping (generic). */
export const DESK_FORMATS = ['servicenow', 'jira', 'glpi', 'zendesk'] as const;
export type DeskFormat = (typeof DESK_FORMATS)[number];

export const TICKET_FORMATS = [...DESK_FORMATS, 'generic'] as const;
export type TicketFormat = (typeof TICKET_FORMATS)[number];

export const isTicketFormat = (name: string): name is TicketFormat => (TICKET_FORMATS as readonly string[]).includes(name);

/** What a file picker offers for an export: CSV by name or type, and plain text (desks export .txt too). */
export const TICKET_FILE_ACCEPT = '.csv,text/csv,text/plain';

/**
 * The largest upload the import route takes unless TICKET_UPLOAD_LIMIT_MB says otherwise; larger exports go
 * through the command line, which streams any size.
 */
export const TICKET_UPLOAD_LIMIT_MB = 500;

export const megabytes = (mb: number): number => mb * 1024 * 1024;
