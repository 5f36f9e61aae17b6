import { mayAddEvidence } from '@gatehouse/shared';
import type { DataSource } from 'typeorm';
import { badInput } from '../../common/domain-error.js';
import { inTransaction, txActor } from '../../common/transaction.js';
import { optionalText, requiredText } from '../../common/validate.js';
import type { EventBus } from '../../events/event-bus.js';
import { type Actor, authorize } from '../access/index.js';
import { MeasureTransitions } from '../measures/index.js';
import { EvidenceKind, Evidence, MeasureComment } from './governance.entities.js';
import type { EvidenceInput } from './governance.inputs.js';
import { enforce } from './gates.service.js';

/** Evidence (links that prove implementation or value) and comments on a measure. */
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
    const kindText = (input.kind ?? EvidenceKind.IMPLEMENTATION).trim().toUpperCase();
    if (!Object.values(EvidenceKind).includes(kindText as EvidenceKind)) {
      throw badInput('kind must be IMPLEMENTATION, VALUE or OTHER', { field: 'kind' });
    }
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const measure = await this.transitions.lock(tx, measureId);
      authorize(actor, 'evidence.add', { path: measure.path, measureOwnerId: measure.ownerId });
      enforce(mayAddEvidence(measure.state));
      const repo = tx.manager.getRepository(Evidence);
      const evidence = repo.create({ measureId: measure.id, kind: kindText as EvidenceKind, title, url, note, createdById: actor.userId });
      await repo.insert(evidence);
      tx.audit({ action: 'evidence.added', entityType: 'Evidence', entityId: evidence.id, measureId: measure.id, after: { kind: kindText, title, url } });
      this.transitions.announce(tx, measure, 'EVIDENCE_ADDED');
      return repo.findOneByOrFail({ id: evidence.id });
    });
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

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
