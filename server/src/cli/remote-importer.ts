import type { RowRejection, TicketRecord, TicketSource } from '@gatehouse/shared';
import { isRowRejection } from '@gatehouse/shared';

/** Sends import batches to a running Gatehouse through importTickets, signed in as a user. */
export class RemoteImporter {
  private constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  static async connect(baseUrl: string, email: string, password: string): Promise<RemoteImporter> {
    if (!password) throw new Error('Set GATEHOUSE_PASSWORD to the password of --user.');
    const url = new URL('/graphql', baseUrl).toString();
    const res = await post(url, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: email, p: password });
    const token = res.data?.login?.token;
    if (!token) throw new Error(`Cannot sign in to ${baseUrl} as ${email}: ${res.errors?.[0]?.message ?? 'no answer'}`);
    return new RemoteImporter(url, token);
  }

  async send(source: TicketSource, batch: (TicketRecord | RowRejection)[]) {
    const tickets = batch.filter((r): r is TicketRecord => !isRowRejection(r)).map(toInput);
    const res = await post(
      this.url,
      `mutation($s: TicketSource!, $t: [TicketInput!]!) { importTickets(source: $s, tickets: $t) { inserted updated unchanged slaDisagreements rejected { line reason } } }`,
      { s: source, t: tickets },
      this.token,
    );
    if (!res.data?.importTickets) throw new Error(`The server refused the batch: ${res.errors?.[0]?.message ?? 'no answer'}`);
    return res.data.importTickets as { inserted: number; updated: number; unchanged: number; slaDisagreements: number };
  }

  async close(): Promise<void> {
    await post(this.url, `mutation { logout }`, {}, this.token).catch(() => undefined);
  }
}

/**
 * The record as the API takes it: the level read here (UNKNOWN included) with the desk's own text beside it,
 * and the state's category, so that the server stores what a local import would and warns about nothing twice.
 */
function toInput(r: TicketRecord) {
  const { source: _source, ...rest } = r;
  return rest;
}

async function post(url: string, query: string, variables: Record<string, unknown>, token?: string) {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: Record<string, any>; errors?: { message: string }[] };
  } catch (e) {
    // fetch says only "fetch failed"; its cause says why (refused, reset, closed).
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
    throw new Error(
      `The server at ${new URL(url).origin} stopped answering (${cause}). Every batch counted so far was saved; run the same import again to finish it.`,
    );
  }
}
