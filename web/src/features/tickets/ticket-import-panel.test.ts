// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import { createFormatters, FORMAT_CURRENCY } from '../../components/format';
import ImportProgress from './import-progress.vue';
import ImportResult from './import-result.vue';
import TicketImportPanel from './ticket-import-panel.vue';
import { useTicketImport } from './use-ticket-import';

const global = { provide: { [FORMAT_CURRENCY as symbol]: ref('EUR') } };
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The server's preview of a ServiceNow list export whose dates could be either order. */
const undecidedPreview = {
  recognition: {
    format: 'servicenow',
    source: 'SERVICENOW',
    language: 'en',
    encoding: 'utf-8',
    delimiter: ',',
    dateOrder: null,
    dateOrderFrom: 'undecided',
    dateOrderEvidence: '"3/4/2025 6:04" (opened_at, line 2)',
    timeZone: 'UTC',
    columns: { externalId: 'number', openedAt: 'opened_at', state: 'state' },
  },
  headers: ['number', 'opened_at', 'state'],
  fields: ['externalId', 'summary', 'openedAt', 'state'],
  rows: [{ line: 2, rejection: { line: 2, reason: 'opened_at: "3/4/2025 6:04" is not a valid date: the day/month order of the file is not known' } }],
  warnings: [{ kind: 'UNKNOWN_STATE', column: 'state', value: 'Parked', count: 1 }],
  emptyRows: 0,
};

/** The preview requests the panel makes, answered with `body`. */
function previewServer(body: unknown = undecidedPreview) {
  const requests: URL[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      requests.push(new URL(url, 'http://gatehouse.test'));
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    }),
  );
  return requests;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

function panel() {
  const scope = effectScope();
  const importer = scope.run(() => useTicketImport())!;
  const start = vi.spyOn(importer, 'start').mockResolvedValue(undefined);
  const wrapper = mount(TicketImportPanel, { props: { importer }, global });
  return { wrapper, start };
}

async function chooseFile(wrapper: ReturnType<typeof panel>['wrapper'], file: File) {
  const input = wrapper.find('#import-file');
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
  await input.trigger('change');
}

describe('the import panel', () => {
  it('asks for a file before anything is sent', async () => {
    const { wrapper, start } = panel();
    await wrapper.find('form').trigger('submit');
    expect(wrapper.find('#import-file-hint').text()).toBe('Choose the export file first.');
    expect(start).not.toHaveBeenCalled();
  });

  it('shows the mapping editor for other CSVs, lists its problems and sends nothing while there are any', async () => {
    // Setup
    previewServer();
    const { wrapper, start } = panel();
    await chooseFile(wrapper, new File(['id,title\n1,x\n'], 'helpdesk.csv', { type: 'text/csv' }));
    expect(wrapper.find('[data-testid="mapping-editor"]').exists()).toBe(false);

    // Action: pick the generic format and break the mapping.
    await wrapper.find('input[type="radio"][value="generic"]').setValue(true);
    const editor = wrapper.find('#mapping-text');
    expect((editor.element as HTMLTextAreaElement).value).toContain('"externalId": "ticket_id"');
    await editor.setValue('{ "columns": { "summary": "title" } }');
    await wrapper.find('form').trigger('submit');

    // Assert
    expect(wrapper.find('#mapping-problems').text()).toContain('columns.externalId is required');
    expect(editor.attributes('aria-invalid')).toBe('true');
    expect(start).not.toHaveBeenCalled();

    // A valid mapping goes out as compact JSON with the chosen file.
    await editor.setValue('{ "idFromLine": true, "columns": { "summary": "title" } }');
    await wrapper.find('form').trigger('submit');
    expect(start).toHaveBeenCalledWith(expect.objectContaining({ name: 'helpdesk.csv' }), 'generic', '{"idFromLine":true,"columns":{"summary":"title"}}', {
      columns: {},
      dateOrder: null,
      timeZone: 'UTC',
    });
  });

  it('sends an export to be recognised without a mapping', async () => {
    previewServer();
    const { wrapper, start } = panel();
    await chooseFile(wrapper, new File(['number\nINC1\n'], 'incidents.csv', { type: 'text/csv' }));
    await wrapper.find('form').trigger('submit');
    await flush();
    expect(start).toHaveBeenCalledWith(expect.objectContaining({ name: 'incidents.csv' }), 'auto', null, { columns: {}, dateOrder: null, timeZone: 'UTC' });
  });

  it('previews the chosen file, asks for the date order the file leaves open, and previews again with it', async () => {
    // Setup
    const requests = previewServer();
    const { wrapper, start } = panel();

    // Action
    await chooseFile(wrapper, new File(['number,opened_at,state\nINC1,3/4/2025 6:04,Parked\n'], 'incidents.csv', { type: 'text/csv' }));
    await flush();

    // Assert: what was recognised, the warning, the rejected first row, and the question.
    expect(requests).toHaveLength(1);
    expect(requests[0].pathname).toBe('/imports/tickets/preview');
    expect(wrapper.find('[data-testid="preview-format"]').text()).toBe('ServiceNow');
    expect(wrapper.find('[data-testid="preview-date-order"]').text()).toContain('not settled by the first rows');
    expect(wrapper.find('[data-testid="preview-warnings"]').text()).toContain('1 row has the unknown state “Parked” (state)');
    expect(wrapper.find('[data-testid="preview-rows"]').text()).toContain('the day/month order of the file is not known');
    expect(wrapper.find('[data-testid="import-date-order"]').attributes('aria-invalid')).toBe('true');

    // Choosing the order previews again with it, and the import sends it.
    await wrapper.find('[data-testid="import-date-order"]').setValue('mdy');
    await flush();
    expect(requests).toHaveLength(2);
    expect(requests[1].searchParams.get('dateOrder')).toBe('mdy');
    await wrapper.find('form').trigger('submit');
    expect(start).toHaveBeenCalledWith(expect.objectContaining({ name: 'incidents.csv' }), 'auto', null, { columns: {}, dateOrder: 'mdy', timeZone: 'UTC' });
  });

  it('moves a field to another column: the preview and the import get the choice', async () => {
    const requests = previewServer();
    const { wrapper, start } = panel();
    await chooseFile(wrapper, new File(['number,opened_at,state\nINC1,13/4/2025 6:04,New\n'], 'incidents.csv', { type: 'text/csv' }));
    await flush();
    await wrapper.find('[data-testid="column-state"]').setValue('');
    await flush();
    expect(JSON.parse(requests.at(-1)!.searchParams.get('columns')!)).toEqual({ state: '' });
    await wrapper.find('form').trigger('submit');
    expect(start).toHaveBeenCalledWith(expect.anything(), 'auto', null, { columns: { state: '' }, dateOrder: null, timeZone: 'UTC' });
  });
});

describe('the import progress bar', () => {
  it('is a progressbar whose value is the imported percent, saying rows and rate', async () => {
    const wrapper = mount(ImportProgress, {
      props: { phase: 'importing', percent: 42.5, sentPercent: 100, sent: 40, size: 40, rows: 2500, rowsPerSecond: 1250, elapsedMs: 2000 },
      global,
    });
    await nextTick();
    const bar = wrapper.find('[role="progressbar"]');
    expect(bar.attributes()).toMatchObject({ 'aria-valuenow': '43', 'aria-valuemin': '0', 'aria-valuemax': '100' });
    expect(bar.attributes('aria-valuetext')).toBe('42.5 % imported, 2,500 rows');
    expect(wrapper.find('[data-testid="import-rate"]').text()).toBe(`${createFormatters('en-US', 'EUR').count(1250)} rows/s`);
  });
});

describe('the import result', () => {
  it('says how the file was read, lists the warnings with their counts and the empty rows skipped', () => {
    const wrapper = mount(ImportResult, {
      props: {
        fileName: 'glpi.csv',
        result: {
          type: 'done',
          rows: 522,
          inserted: 522,
          updated: 0,
          unchanged: 0,
          rejected: 0,
          slaDisagreements: 0,
          emptyRows: 3,
          rejections: [],
          warnings: [{ kind: 'UNKNOWN_STATE', column: 'Status', value: 'Parked', count: 4 }],
          recognition: { ...undecidedPreview.recognition, dateOrder: 'mdy', dateOrderFrom: 'option', timeZone: 'Europe/Lisbon' },
        },
      },
      global,
    });
    expect(wrapper.find('[data-testid="result-recognition"]').text()).toContain('date order month/day (as chosen); time zone Europe/Lisbon');
    expect(wrapper.find('[data-testid="result-warnings"]').text()).toContain('4 rows have the unknown state “Parked” (Status)');
    expect(wrapper.find('[data-testid="result-empty"]').text()).toBe('3 empty rows were skipped.');
  });
});
