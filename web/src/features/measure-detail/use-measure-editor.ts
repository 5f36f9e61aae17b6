import type { ApolloClient } from '@apollo/client';
import { ErrorCode } from '@gatehouse/shared';
import { computed, ref, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { describeError, errorCode, errorField } from '../../apollo/graphql-errors';
import { runMutation, useApolloClient, useQuery } from '../../apollo/use-apollo';
import {
  AddMilestoneDocument,
  CompleteMilestoneDocument,
  DeleteMilestoneDocument,
  MeasureDetailDocument,
  SetMeasureValuesDocument,
  UpdateMeasureDocument,
  UpdateMilestoneDocument,
  type MeasureDetailFieldsFragment,
  type UpdateMilestoneInput,
} from '../../graphql/generated';
import { staleEditFrom, type StaleEdit } from './measure-conflict';
import { formChanges, formFromMeasure, sameFormValue, validateForm, type MeasureFormErrors, type MeasureFormValues } from './measure-form';
import { useDraft } from './use-draft';
import { gridChanges, gridFromValues, sameAmount } from './values-grid';

export type SaveResult = 'saved' | 'nothing' | 'invalid' | 'conflict' | 'failed';

/**
 * The measure page's data and edits: the measure (loading, error, data, refetch), a draft of its details and
 * a draft of its monthly values. Saves name the version the drafts are based on; a CONFLICT leaves both drafts
 * untouched and offers `reloadLatest`, which rebases them onto the server's newest state.
 */
export function useMeasureEditor(id: MaybeRefOrGetter<string>, options: { client?: ApolloClient } = {}) {
  const client = options.client ?? useApolloClient();
  const query = useQuery(MeasureDetailDocument, () => ({ id: toValue(id) }), { client });
  const measure = computed<MeasureDetailFieldsFragment | null>(() => query.data.value?.measure ?? null);

  const form = useDraft<MeasureFormValues>(sameFormValue);
  const grid = useDraft<Record<string, string>>(sameAmount);
  /** The version both drafts are based on: what the next save names. */
  const version = ref<number | null>(null);
  const staleEdit = ref<StaleEdit | null>(null);

  /**
   * A newer version that arrived (live, from someone else) while the person had unsaved input. The drafts stay
   * on the version they were typed against until the person reloads: nothing they see in a form moves under
   * their hands, and a save on the old version is refused with CONFLICT rather than merged silently.
   */
  const newerVersion = ref<number | null>(null);

  const moveDraftsTo = (m: MeasureDetailFieldsFragment) => {
    form.rebase(formFromMeasure(m));
    grid.rebase(gridFromValues(m.values));
    version.value = m.version;
    newerVersion.value = null;
  };

  // Only a new version moves the drafts; a re-emission of the same state must not clear what a reload found.
  watch(
    measure,
    (m) => {
      if (!m || m.version === version.value) return;
      const unsaved = version.value !== null && (form.dirty.value.length > 0 || grid.dirty.value.length > 0);
      if (unsaved) newerVersion.value = m.version;
      else moveDraftsTo(m);
    },
    { immediate: true },
  );

  const formErrors = ref<MeasureFormErrors>({});
  const formMessage = ref('');
  const savingForm = ref(false);

  async function saveForm(): Promise<SaveResult> {
    const m = measure.value;
    if (!m || !form.base.value || version.value === null || savingForm.value) return 'failed';
    formMessage.value = '';
    formErrors.value = validateForm(form.values.value);
    if (Object.keys(formErrors.value).length) return 'invalid';
    const input = formChanges(form.base.value, form.values.value);
    if (!Object.keys(input).length) return 'nothing';
    savingForm.value = true;
    const readVersion = version.value;
    const { data, error } = await runMutation(client, UpdateMeasureDocument, { id: m.id, version: readVersion, input });
    savingForm.value = false;
    if (error) {
      staleEdit.value = staleEditFrom(error, 'details', readVersion);
      if (staleEdit.value) return 'conflict';
      const field = errorField(error);
      if (errorCode(error) === ErrorCode.BAD_USER_INPUT && field) {
        const key = field.replace(/^implementationStatusOverride(Reason)?$/, 'implementationOverride$1').replace(/^potentialStatusOverride(Reason)?$/, 'potentialOverride$1');
        formErrors.value = { [key]: 'The server did not accept this value.' };
      }
      formMessage.value = `Your changes were not saved. ${describeError(error)}`;
      return 'failed';
    }
    const saved = data!.updateMeasure;
    form.reset(formFromMeasure(saved));
    grid.rebase(gridFromValues(saved.values));
    version.value = saved.version;
    staleEdit.value = null;
    newerVersion.value = null;
    formMessage.value = '';
    return 'saved';
  }

  const gridErrors = ref<Record<string, string>>({});
  const gridMessage = ref('');
  const savingGrid = ref(false);
  const gridPending = computed(() => (grid.base.value ? gridChanges(grid.base.value, grid.values.value) : { changes: [], errors: {} }));

  async function saveValues(): Promise<SaveResult> {
    const m = measure.value;
    if (!m || !grid.base.value || version.value === null || savingGrid.value) return 'failed';
    gridMessage.value = '';
    const { changes, errors } = gridPending.value;
    gridErrors.value = errors;
    if (Object.keys(errors).length) return 'invalid';
    if (!changes.length) return 'nothing';
    savingGrid.value = true;
    const readVersion = version.value;
    const { data, error } = await runMutation(client, SetMeasureValuesDocument, { measureId: m.id, version: readVersion, values: changes });
    savingGrid.value = false;
    if (error) {
      staleEdit.value = staleEditFrom(error, 'values', readVersion);
      if (staleEdit.value) return 'conflict';
      gridMessage.value = `The values were not saved. ${describeError(error)}`;
      return 'failed';
    }
    const saved = data!.setMeasureValues;
    grid.reset(gridFromValues(saved.values));
    form.rebase(formFromMeasure(saved));
    version.value = saved.version;
    staleEdit.value = null;
    newerVersion.value = null;
    return 'saved';
  }

  const reloading = ref(false);
  /** Loads the newest server state; typed input stays, collisions show beside it. */
  async function reloadLatest(): Promise<void> {
    reloading.value = true;
    await query.refetch();
    reloading.value = false;
    if (query.error.value) return;
    if (measure.value && measure.value.version !== version.value) moveDraftsTo(measure.value);
    staleEdit.value = null;
    newerVersion.value = null;
  }

  /**
   * The person's own action elsewhere on the page (a milestone, a gate request) moved the version: rebase onto it
   * (typed input stays), since nobody else's change is hiding in it. Reads the measure again first.
   */
  function followOwnChange() {
    const m = measure.value;
    if (m && m.version !== version.value) moveDraftsTo(m);
  }
  async function refreshAfterOwnAction(): Promise<void> {
    await query.refetch();
    followOwnChange();
  }

  /** Once nothing unsaved is left, drafts held on an older version catch up with the newest one. */
  function catchUp() {
    const m = measure.value;
    if (m && m.version !== version.value && !form.dirty.value.length && !grid.dirty.value.length) moveDraftsTo(m);
  }
  function discardForm() {
    if (form.base.value) form.reset(form.base.value);
    formErrors.value = {};
    formMessage.value = '';
    catchUp();
  }
  function discardValues() {
    if (grid.base.value) grid.reset(grid.base.value);
    gridErrors.value = {};
    gridMessage.value = '';
    catchUp();
  }

  const milestoneMessage = ref('');
  const milestoneBusy = ref(false);
  /** Milestones take no version, but they move the measure's version, so the measure is read again after. */
  async function addMilestone(title: string, dueDate: string): Promise<boolean> {
    const m = measure.value;
    if (!m) return false;
    milestoneBusy.value = true;
    milestoneMessage.value = '';
    const { error } = await runMutation(client, AddMilestoneDocument, { measureId: m.id, input: { title: title.trim(), dueOn: dayStart(dueDate) } });
    if (error) milestoneMessage.value = `The milestone was not added. ${describeError(error)}`;
    await query.refetch();
    followOwnChange();
    milestoneBusy.value = false;
    return !error;
  }
  /** Runs one milestone change, then reads the measure again (its version and next due date moved). */
  async function changeMilestone(run: () => Promise<{ error?: unknown }>, failed: (error: unknown) => string): Promise<boolean> {
    milestoneBusy.value = true;
    milestoneMessage.value = '';
    const { error } = await run();
    if (error) milestoneMessage.value = failed(error);
    await query.refetch();
    followOwnChange();
    milestoneBusy.value = false;
    return !error;
  }
  /** Marked done on `doneDate` (YYYY-MM-DD, a whole UTC day), today when not given. */
  const completeMilestone = (milestoneId: string, doneDate?: string) =>
    changeMilestone(
      () => runMutation(client, CompleteMilestoneDocument, { id: milestoneId, doneOn: doneDate ? dayStart(doneDate) : null }),
      (error) => (errorCode(error) === ErrorCode.CONFLICT ? 'This milestone was completed already.' : `The milestone was not completed. ${describeError(error)}`),
    );
  const updateMilestone = (milestoneId: string, input: UpdateMilestoneInput) =>
    changeMilestone(() => runMutation(client, UpdateMilestoneDocument, { id: milestoneId, input }), (error) => `The milestone was not changed. ${describeError(error)}`);
  const deleteMilestone = (milestoneId: string) =>
    changeMilestone(() => runMutation(client, DeleteMilestoneDocument, { id: milestoneId }), (error) => `The milestone was not deleted. ${describeError(error)}`);

  return {
    loading: query.loading,
    error: query.error,
    data: measure,
    refetch: query.refetch,
    version,
    newerVersion,
    staleEdit,
    reloading,
    reloadLatest,
    form,
    formErrors,
    formMessage,
    savingForm,
    saveForm,
    discardForm,
    grid,
    gridErrors,
    gridMessage,
    gridPending,
    savingGrid,
    saveValues,
    discardValues,
    refreshAfterOwnAction,
    milestoneMessage,
    milestoneBusy,
    addMilestone,
    completeMilestone,
    updateMilestone,
    deleteMilestone,
  };
}

export type MeasureEditor = ReturnType<typeof useMeasureEditor>;

/** A date input's day (YYYY-MM-DD) as the API's DateTime: its start in UTC. */
export const dayStart = (day: string) => `${day}T00:00:00.000Z`;
