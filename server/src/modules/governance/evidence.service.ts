import { type EvidenceFileType, mayAddEvidence, mayRemoveEvidence } from '@gatehouse/shared';
import type { DataSource } from 'typeorm';
import { assertId } from '../../common/ids.js';
import { badInput, forbidden, notFound } from '../../common/domain-error.js';
import { inTransaction, txActor } from '../../common/transaction.js';
import { assertStorableText, optionalText, requiredText } from '../../common/validate.js';
import type { EventBus } from '../../events/event-bus.js';
import { type Actor, authorize, canRead } from '../access/index.js';
import { Measure, MeasureTransitions } from '../measures/index.js';
import { EvidenceKind, Evidence, EvidenceFileContent } from './evidence.entity.js';
import { MeasureComment } from './measure-comment.entity.js';
import type { EvidenceInput } from './governance.inputs.js';
import { enforce } from './gates.service.js';

/** A file to attach, read and sniffed by the upload route: its type comes from the content alone. */
export interface EvidenceFileUpload {
  kind?: string | null;
  title?: string | null;
  note?: string | null;
  fileName: string;
  type: EvidenceFileType;
  content: Buffer;
  sha256: string;
}

/** Evidence (links or files that prove implementation or value) and comments on a measure. */
export class EvidenceService {
  private readonly transitions: MeasureTransitions;

  constructor(
    private readonly dataSource: DataSource,
    bus: EventBus,
  ) {
    this.transitions = new MeasureTransitions(bus);
  }

  async addEvidence(actor: Actor, measureId: string, input: EvidenceInput): Promise<Evidence> {
    const title = requiredText(input.title, 'title', 200);
    const url = optionalText(input.url, 'url', 2000) || null;
    if (url && !isHttpUrl(url)) throw badInput('url must be an http or https link', { field: 'url' });
    const note = optionalText(input.note, 'note', 4000) || null;
    const kind = evidenceKind(input.kind);
    return this.insert(actor, measureId, { kind, title, url, note }, { kind, title, url });
  }

  /**
   * Whether the actor may attach a file to the measure now, checked before the upload's bytes are read so that a
   * refusal does not wait for 25 MB; `addEvidenceFile` checks again under the measure's lock.
   */
  async assertMayAttach(actor: Actor, measureId: string): Promise<void> {
    const measure = await this.dataSource.getRepository(Measure).findOneBy({ id: assertId(measureId, 'measureId') });
    if (!measure || measure.organisationId !== actor.organisation.id) throw notFound('Measure');
    authorize(actor, 'evidence.add', { path: measure.path, measureOwnerId: measure.ownerId });
    enforce(mayAddEvidence(measure.state));
  }

  /** Attaches a file as evidence: the row with its name, type, size and hash, and its bytes in their own table. */
  async addEvidenceFile(actor: Actor, measureId: string, file: EvidenceFileUpload): Promise<Evidence> {
    const fileName = evidenceFileName(file.fileName);
    const title = requiredText(file.title?.trim() || fileName.slice(0, 200), 'title', 200);
    const note = optionalText(file.note, 'note', 4000) || null;
    const kind = evidenceKind(file.kind);
    const facts = { fileName, fileType: file.type, fileSize: file.content.length, fileSha256: file.sha256 };
    return this.insert(
      actor,
      measureId,
      { kind, title, url: null, note, ...facts },
      { kind, title, file: { name: fileName, type: file.type, size: file.content.length, sha256: file.sha256 } },
      file.content,
    );
  }

  /** One piece of evidence (and a file's bytes), under the measure's lock, audited as `after` and announced. */
  private insert(actor: Actor, measureId: string, row: Partial<Evidence>, after: Record<string, unknown>, content?: Buffer): Promise<Evidence> {
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const measure = await this.transitions.lock(tx, measureId);
      authorize(actor, 'evidence.add', { path: measure.path, measureOwnerId: measure.ownerId });
      enforce(mayAddEvidence(measure.state));
      const repo = tx.manager.getRepository(Evidence);
      const evidence = repo.create({ ...row, measureId: measure.id, createdById: actor.userId });
      await repo.insert(evidence);
      if (content) await tx.manager.getRepository(EvidenceFileContent).insert({ evidenceId: evidence.id, content });
      tx.audit({ action: 'evidence.added', entityType: 'Evidence', entityId: evidence.id, measureId: measure.id, after });
      this.transitions.announce(tx, measure, 'EVIDENCE_ADDED');
      return repo.findOneByOrFail({ id: evidence.id });
    });
  }

  /**
   * Removes a piece of evidence (and its file) for whoever may add evidence to the measure, while the measure is
   * not closed; the audit entry keeps what it was, with the file's name, type, size and SHA-256.
   */
  async removeEvidence(actor: Actor, evidenceId: string): Promise<Measure> {
    const id = assertId(evidenceId, 'id');
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const found = await tx.manager.getRepository(Evidence).findOneBy({ id });
      if (!found) throw notFound('Evidence');
      const measure = await this.transitions.lock(tx, found.measureId);
      // Read again under the measure's lock: a concurrent removal has gone first.
      const evidence = await tx.manager.getRepository(Evidence).findOneBy({ id });
      if (!evidence) throw notFound('Evidence');
      authorize(actor, 'evidence.add', { path: measure.path, measureOwnerId: measure.ownerId });
      enforce(mayRemoveEvidence(measure.state));
      await tx.manager.getRepository(Evidence).delete({ id });
      const file = evidence.fileName == null ? null : { name: evidence.fileName, type: evidence.fileType, size: evidence.fileSize, sha256: evidence.fileSha256 };
      tx.audit({ action: 'evidence.removed', entityType: 'Evidence', entityId: id, measureId: measure.id, before: { kind: evidence.kind, title: evidence.title, url: evidence.url, file } });
      this.transitions.announce(tx, measure, 'EVIDENCE_REMOVED');
      return tx.manager.getRepository(Measure).findOneByOrFail({ id: measure.id });
    });
  }

  /**
   * An evidence file's name, type and bytes for its download, to whoever may read the measure (a role on its
   * scope or a part in it); NOT_FOUND for evidence without a file or of another organisation.
   */
  async readEvidenceFile(actor: Actor, evidenceId: string): Promise<{ name: string; type: string; size: number; content: Buffer }> {
    const evidence = await this.dataSource.getRepository(Evidence).findOneBy({ id: assertId(evidenceId, 'id') });
    const measure = evidence && (await this.dataSource.getRepository(Measure).findOneBy({ id: evidence.measureId }));
    if (!evidence || !measure || measure.organisationId !== actor.organisation.id || evidence.fileName == null || evidence.fileType == null) throw notFound('Evidence file');
    if (!canRead(actor, measure.path, [measure.ownerId, measure.sponsorId, measure.controllerId])) throw forbidden('This measure is outside your roles');
    const content = await this.dataSource.getRepository(EvidenceFileContent).findOneBy({ evidenceId });
    if (!content) throw notFound('Evidence file');
    return { name: evidence.fileName, type: evidence.fileType, size: content.content.length, content: content.content };
  }

  async addComment(actor: Actor, measureId: string, body: string): Promise<MeasureComment> {
    const text = requiredText(body ?? '', 'body', 4000);
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const measure = await this.transitions.lock(tx, measureId);
      authorize(actor, 'comment.add', { path: measure.path, measureOwnerId: measure.ownerId });
      const repo = tx.manager.getRepository(MeasureComment);
      const comment = repo.create({ measureId: measure.id, authorId: actor.userId, body: text });
      await repo.insert(comment);
      tx.audit({ action: 'comment.added', entityType: 'MeasureComment', entityId: comment.id, measureId: measure.id, after: { body: text } });
      this.transitions.announce(tx, measure, 'COMMENTED');
      return repo.findOneByOrFail({ id: comment.id });
    });
  }
}

function evidenceKind(kind: string | null | undefined): EvidenceKind {
  const text = (kind ?? EvidenceKind.IMPLEMENTATION).trim().toUpperCase();
  if (!Object.values(EvidenceKind).includes(text as EvidenceKind)) throw badInput('kind must be IMPLEMENTATION, VALUE or OTHER', { field: 'kind' });
  return text as EvidenceKind;
}

/** The uploaded name without any folder part, checked like any text and at most 255 characters. */
function evidenceFileName(name: string): string {
  const base = assertStorableText(name ?? '', 'name').split(/[\\/]/).pop()!.trim();
  if (!base) throw badInput('Name the file (the name parameter)', { field: 'name' });
  if (base.length > 255) throw badInput('name must be at most 255 characters', { field: 'name' });
  return base;
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
