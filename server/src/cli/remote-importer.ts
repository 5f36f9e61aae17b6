import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import readline from 'node:readline';
import { readMeasureImportLine, readUploadLine, type MeasureImportReport, type UploadDoneLine } from '@gatehouse/shared';

/** The upload route's last line: what the server read and wrote. */
export type RemoteImportResult = UploadDoneLine;

/**
 * Imports into a running Gatehouse the way the dashboard does: the file itself goes to POST /imports/tickets,
 * signed in as a user, and the server recognises, parses and imports it with the same loop as a local import.
 */
export class RemoteImporter {
  private constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static async connect(baseUrl: string, email: string, password: string): Promise<RemoteImporter> {
    if (!password) throw new Error('Set GATEHOUSE_PASSWORD to the password of --user.');
    const res = await graphql(baseUrl, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: email, p: password });
    const token = res.data?.login?.token;
    if (!token) throw new Error(`Cannot sign in to ${baseUrl} as ${email}: ${res.errors?.[0]?.message ?? 'no answer'}`);
    return new RemoteImporter(baseUrl, token);
  }

  /**
   * Streams `file` to the upload route with the import's options as its query parameters; `onProgress` sees
   * the server's progress lines (rows and bytes it has read).
   */
  upload(file: string, params: URLSearchParams, onProgress: (rows: number, bytes: number) => void): Promise<RemoteImportResult> {
    const url = new URL(`/imports/tickets?${params.toString()}`, this.baseUrl);
    const size = fs.statSync(file).size;
    return new Promise<RemoteImportResult>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).request(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.token}`,
          // The header a browser cannot send cross-site without a preflight: the route refuses uploads without it.
          'x-gatehouse-import': '1',
          'content-type': 'text/csv',
          'content-length': size,
        },
      });
      req.on('error', (e) => reject(stopped(url, e)));
      req.on('response', async (res) => {
        let done: RemoteImportResult | undefined;
        let error: string | undefined;
        try {
          for await (const text of readline.createInterface({ input: res, crlfDelay: Infinity })) {
            if (!text.trim()) continue;
            const line = readUploadLine(JSON.parse(text));
            if (line?.type === 'progress') onProgress(line.rows, line.bytes);
            else if (line?.type === 'done') done = line;
            else if (line?.type === 'error') error = line.message;
          }
        } catch (e) {
          return reject(stopped(url, e));
        }
        if (done) resolve(done);
        else reject(new Error(`The server refused the import: ${error ?? `HTTP ${res.statusCode}`}`));
      });
      const body = fs.createReadStream(file);
      body.on('error', (e) => req.destroy(e));
      body.pipe(req);
    });
  }

  /** A measure spreadsheet to POST /imports/measures (a dry run with `dryRun`); `onProgress` sees percent done. */
  async uploadMeasures(file: string, dryRun: boolean, onProgress: (done: number, percent: number) => void): Promise<MeasureImportReport> {
    const url = new URL(`/imports/measures${dryRun ? '?dryRun=1' : ''}`, this.baseUrl);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, 'x-gatehouse-import': '1', 'content-type': 'application/octet-stream' },
        body: fs.readFileSync(file),
      });
    } catch (e) {
      throw stopped(url, e);
    }
    let report: MeasureImportReport | undefined;
    let error: string | undefined;
    for (const text of (await res.text()).split('\n')) {
      if (!text.trim()) continue;
      const line = readMeasureImportLine(JSON.parse(text));
      if (line?.type === 'progress') onProgress(line.rows, line.percent ?? 0);
      else if (line?.type === 'measures-done') report = line.report;
      else if (line?.type === 'error') error = line.message;
    }
    if (report) return report;
    throw new Error(`The server refused the import: ${error ?? `HTTP ${res.status}`}`);
  }

  async close(): Promise<void> {
    await graphql(this.baseUrl, `mutation { logout }`, {}, this.token).catch(() => undefined);
  }
}

function stopped(url: URL, e: unknown): Error {
  // Node says only "fetch failed" or "socket hang up"; the cause says why (refused, reset, closed).
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
  return new Error(`The server at ${url.origin} stopped answering (${cause}). Every batch counted so far was saved; run the same import again to finish it.`);
}

async function graphql(baseUrl: string, query: string, variables: Record<string, unknown>, token?: string) {
  const url = new URL('/graphql', baseUrl);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: Record<string, any>; errors?: { message: string }[] };
  } catch (e) {
    throw stopped(url, e);
  }
}
