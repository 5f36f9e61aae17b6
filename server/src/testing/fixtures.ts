import path from 'node:path';

/** The real service-desk exports the tests import; sources and licences in its README.md. */
export const EXPORTS_DIR = path.resolve(import.meta.dirname, '../../../test/fixtures/exports');

export const exportFile = (relative: string): string => path.join(EXPORTS_DIR, relative);

/** 5,998 update events of 890 ServiceNow incidents: an audit log ordered by sys_mod_count. */
export const SERVICENOW_LOG = exportFile('servicenow/incident-event-log.csv');

/** 5,431 help-desk tickets without ids or dates, imported with the generic mapping. */
export const HELPDESK_TEXT = exportFile('generic/helpdesk-tickets-text.csv');

/**
 * 24 incidents of a ServiceNow list export whose every date has day and month of 12 or less ("03-11-2025"):
 * nothing in the file says which comes first, so the order has to be asked for. No priority column either.
 */
export const UNDECIDED_DATES = exportFile('servicenow/label-export-undecided-dates.csv');
