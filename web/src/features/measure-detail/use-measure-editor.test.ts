import { effectScope } from 'vue';
import { describe, expect, it } from 'vitest';
import type { MeasureDetailFieldsFragment } from '../../graphql/generated';
import { fakeClient, until, type FakeRequest } from '../../testing/fake-graphql';
import { detail } from '../../testing/measure-fixtures';
import { useMeasureEditor } from './use-measure-editor';

/** The server's measure as GraphQL would answer it (with typenames, so the cache normalises it). */
function wire(m: MeasureDetailFieldsFragment) {
  return {
    __typename: 'Measure',
    ...m,
    owner: { __typename: 'User', ...m.owner },
    sponsor: m.sponsor && { __typename: 'User', ...m.sponsor },
    controller: m.controller && { __typename: 'User', ...m.controller },
    program: { __typename: 'Program', ...m.program },
    package: { __typename: 'MeasurePackage', ...m.package },
    values: m.values.map((v) => ({ __typename: 'MeasureValue', ...v })),
    milestones: m.milestones.map((x) => ({ __typename: 'Milestone', ...x })),
    viewerCan: { __typename: 'MeasurePermissions', ...m.viewerCan },
  };
}

/** A fake server holding one measure with optimistic concurrency like the real one. */
function fakeServer(initial: MeasureDetailFieldsFragment) {
  let measure = initial;
  const writes: FakeRequest[] = [];
  const conflict = () => ({
    errors: [{ message: 'changed by someone else', extensions: { code: 'CONFLICT', currentVersion: measure.version } }],
  });
  const { client } = fakeClient((req) => {
    if (req.operationName === 'MeasureDetail') return { data: { measure: wire(measure) } };
    writes.push(req);
    const v = req.variables as { version: number; input?: Record<string, string>; values?: { month: string; kind: string; amount: string }[] };
    if (v.version !== measure.version) return conflict();
    if (req.operationName === 'UpdateMeasure') {
      measure = { ...measure, ...v.input, version: measure.version + 1 };
      return { data: { updateMeasure: wire(measure) } };
    }
    if (req.operationName === 'SetMeasureValues') {
      const others = measure.values.filter((x) => !v.values!.some((n) => n.kind === x.kind && n.month === x.month));
      measure = { ...measure, values: [...others, ...(v.values as MeasureDetailFieldsFragment['values'])], version: measure.version + 1 };
      return { data: { setMeasureValues: wire(measure) } };
    }
    throw new Error(`unexpected ${req.operationName}`);
  });
  return {
    client,
    writes,
    /** Someone else saves through another session. */
    changeElsewhere(change: Partial<MeasureDetailFieldsFragment>) {
      measure = { ...measure, ...change, version: measure.version + 1 };
    },
    current: () => measure,
  };
}

function mount(server: ReturnType<typeof fakeServer>) {
  const scope = effectScope();
  const editor = scope.run(() => useMeasureEditor('m1', { client: server.client }))!;
  return { editor, stop: () => scope.stop() };
}

describe('the measure editor', () => {
  it('loads the measure and returns { loading, error, data, refetch }', async () => {
    const server = fakeServer(detail());
    const { editor, stop } = mount(server);
    expect(editor.loading.value).toBe(true);
    await until(() => editor.data.value !== null);
    expect(editor.loading.value).toBe(false);
    expect(editor.error.value).toBeNull();
    expect(editor.data.value?.code).toBe('M-0006');
    expect(editor.form.values.value.title).toBe('Service catalogue');
    expect(typeof editor.refetch).toBe('function');
    stop();
  });

  it('sends only the changed fields with the version it read', async () => {
    const server = fakeServer(detail());
    const { editor, stop } = mount(server);
    await until(() => editor.data.value !== null);
    editor.form.values.value.title = 'Service catalogue for standard requests';

    expect(await editor.saveForm()).toBe('saved');

    expect(server.writes[0].variables).toEqual({ id: 'm1', version: 4, input: { title: 'Service catalogue for standard requests' } });
    expect(editor.version.value).toBe(5);
    expect(editor.form.dirty.value).toEqual([]);
    stop();
  });

  it('on a stale version keeps what was typed, and after "reload latest" shows both sides and saves on the new version', async () => {
    // Setup: the page has read version 4; someone else then changes the title and the description.
    const server = fakeServer(detail());
    const { editor, stop } = mount(server);
    await until(() => editor.data.value !== null);
    server.changeElsewhere({ title: 'Their title', description: 'Their description' });
    editor.form.values.value.title = 'My title';
    editor.form.values.value.businessCase = 'My business case';

    // Action: save on the stale version.
    const outcome = await editor.saveForm();

    // Assert: refused, nothing typed is lost.
    expect(outcome).toBe('conflict');
    expect(editor.staleEdit.value).toEqual({ source: 'details', yourVersion: 4, currentVersion: 5 });
    expect(editor.form.values.value).toMatchObject({ title: 'My title', businessCase: 'My business case' });

    // Action: reload the latest.
    await editor.reloadLatest();
    await until(() => editor.version.value === 5);

    // Assert: typed fields kept, their untouched change taken, the clash shown beside the input.
    expect(editor.staleEdit.value).toBeNull();
    expect(editor.form.values.value).toMatchObject({ title: 'My title', businessCase: 'My business case', description: 'Their description' });
    expect(editor.form.collisions.value).toEqual({ title: 'Their title' });
    expect(editor.form.updated.value).toEqual(['description']);

    // And saving now names version 5 and succeeds.
    expect(await editor.saveForm()).toBe('saved');
    expect(server.writes.at(-1)!.variables).toMatchObject({ version: 5, input: { title: 'My title', businessCase: 'My business case' } });
    expect(server.current()).toMatchObject({ title: 'My title', description: 'Their description', version: 6 });
    stop();
  });

  it('when a live update brings a newer version while input is unsaved, keeps the input untouched and says so', async () => {
    // Setup: the person types; someone else saves; the live layer reads the measure again.
    const server = fakeServer(detail());
    const { editor, stop } = mount(server);
    await until(() => editor.data.value !== null);
    editor.form.values.value.title = 'Typed title';
    server.changeElsewhere({ description: 'Their description' });

    // Action: a live refetch.
    await editor.refetch();
    await until(() => editor.newerVersion.value === 5);

    // Assert: the form did not move; the drafts stay on version 4 so a save would be refused, not merged.
    expect(editor.version.value).toBe(4);
    expect(editor.form.values.value).toMatchObject({ title: 'Typed title', description: 'Standard requests' });
    expect(editor.data.value?.description).toBe('Their description');

    // Action: reload latest rebases the input onto the newer version.
    await editor.reloadLatest();
    expect(editor.newerVersion.value).toBeNull();
    expect(editor.version.value).toBe(5);
    expect(editor.form.values.value).toMatchObject({ title: 'Typed title', description: 'Their description' });
    stop();
  });

  it('follows a live update at once when nothing is typed', async () => {
    const server = fakeServer(detail());
    const { editor, stop } = mount(server);
    await until(() => editor.data.value !== null);
    server.changeElsewhere({ description: 'Their description' });
    await editor.refetch();
    await until(() => editor.version.value === 5);
    expect(editor.newerVersion.value).toBeNull();
    expect(editor.form.values.value.description).toBe('Their description');
    expect(editor.form.dirty.value).toEqual([]);
    stop();
  });

  it('keeps typed monthly values through a stale save and a reload, and sends only changed cells', async () => {
    const server = fakeServer(
      detail({
        values: [
          { month: '2026-01', kind: 'PLAN', amount: '1000.00' },
          { month: '2026-02', kind: 'PLAN', amount: '1000.00' },
        ],
      }),
    );
    const { editor, stop } = mount(server);
    await until(() => editor.data.value !== null);
    server.changeElsewhere({ values: [{ month: '2026-01', kind: 'PLAN', amount: '1100.00' }, { month: '2026-02', kind: 'PLAN', amount: '1000.00' }] });
    editor.grid.values.value['PLAN:2026-02'] = '1500';
    editor.grid.values.value['FORECAST:2026-02'] = '1400.5';

    expect(await editor.saveValues()).toBe('conflict');
    expect(editor.staleEdit.value?.source).toBe('values');
    await editor.reloadLatest();
    await until(() => editor.version.value === 5);
    expect(editor.grid.values.value).toMatchObject({ 'PLAN:2026-01': '1100.00', 'PLAN:2026-02': '1500', 'FORECAST:2026-02': '1400.5' });

    expect(await editor.saveValues()).toBe('saved');
    expect(server.writes.at(-1)!.variables).toEqual({
      measureId: 'm1',
      version: 5,
      values: [
        { month: '2026-02', kind: 'FORECAST', amount: '1400.50' },
        { month: '2026-02', kind: 'PLAN', amount: '1500.00' },
      ],
    });
    stop();
  });

  it('refuses to send invalid amounts', async () => {
    const server = fakeServer(detail());
    const { editor, stop } = mount(server);
    await until(() => editor.data.value !== null);
    editor.grid.values.value['ACTUAL:2026-01'] = '12.345';
    expect(await editor.saveValues()).toBe('invalid');
    expect(editor.gridErrors.value).toEqual({ 'ACTUAL:2026-01': 'At most two decimals.' });
    expect(server.writes).toEqual([]);
    stop();
  });
});
