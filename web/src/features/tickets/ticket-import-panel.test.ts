// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick } from 'vue';
import { createFormatters } from '../../components/format';
import { SESSION } from '../session/session-store';
import ImportProgress from './import-progress.vue';
import TicketImportPanel from './ticket-import-panel.vue';
import { useTicketImport } from './use-ticket-import';

const session = { organisation: { value: { currency: 'EUR' } } };
const global = { provide: { [SESSION as symbol]: session } };
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

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
    expect(start).toHaveBeenCalledWith(expect.objectContaining({ name: 'helpdesk.csv' }), 'generic', '{"idFromLine":true,"columns":{"summary":"title"}}');
  });

  it('sends a ServiceNow export without a mapping', async () => {
    const { wrapper, start } = panel();
    await chooseFile(wrapper, new File(['number\nINC1\n'], 'incidents.csv', { type: 'text/csv' }));
    await wrapper.find('form').trigger('submit');
    await flush();
    expect(start).toHaveBeenCalledWith(expect.objectContaining({ name: 'incidents.csv' }), 'servicenow', null);
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
