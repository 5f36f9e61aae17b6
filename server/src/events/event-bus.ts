import { EventEmitter } from 'node:events';

/**
 * Domain events, published after a transaction commits. Payloads carry ids and the scope path only: each
 * subscriber re-reads what it may see, so no data crosses a permission boundary through an event.
 */
export type MeasureEventKind =
  | 'CREATED'
  | 'UPDATED'
  | 'VALUES_CHANGED'
  | 'MILESTONES_CHANGED'
  | 'EVIDENCE_ADDED'
  | 'EVIDENCE_REMOVED'
  | 'COMMENTED'
  | 'GATE_REQUESTED'
  | 'GATE_DECIDED'
  | 'MOVED_BACK'
  | 'POTENTIAL_VALIDATED'
  | 'SIGNED_OFF'
  | 'REOPENED'
  | 'RESUMED';

export interface MeasureChangedEvent {
  topic: 'measureChanged';
  organisationId: string;
  measureId: string;
  path: string[];
  /** Owner, sponsor and controller: they may read the measure whatever their roles. */
  people: string[];
  kind: MeasureEventKind;
  actorId: string | null;
  at: string;
}

export interface GateRequestChangedEvent {
  topic: 'gateRequestChanged';
  organisationId: string;
  requestId: string;
  measureId: string;
  path: string[];
  people: string[];
  at: string;
}

export interface TicketGroupsChangedEvent {
  topic: 'ticketGroupsChanged';
  organisationId: string;
  groupIds: string[];
  inserted: number;
  updated: number;
  /** The union of the scope paths of the tickets the event is about: a role on any of them may receive it. */
  scopeIds?: string[];
  /** inserted and updated per ticket scope path, so a scoped subscriber learns only its own counts. */
  counts?: { path: string[]; inserted: number; updated: number }[];
  at: string;
}

/** Sessions ended (logout, deactivation): every instance closes the WebSocket connections that used them. */
export interface SessionsRevokedEvent {
  topic: 'sessionsRevoked';
  organisationId: string;
  /** Every session of this user… */
  userId?: string;
  /** …or just this one. */
  tokenHash?: string;
}

/** The organisation's settings changed (currency, thresholds, DoI probabilities), or a node moved: every summary reads again. */
export interface OrganisationChangedEvent {
  topic: 'organisationChanged';
  organisationId: string;
  at: string;
}

export type DomainEvent = MeasureChangedEvent | GateRequestChangedEvent | TicketGroupsChangedEvent | SessionsRevokedEvent | OrganisationChangedEvent;
export type Topic = DomainEvent['topic'];
export type EventOf<T extends Topic> = Extract<DomainEvent, { topic: T }>;

export interface EventBus {
  publish(event: DomainEvent): void;
  /** Calls `handler` for each event of the topic until the returned function is called. */
  on<T extends Topic>(topic: T, handler: (event: EventOf<T>) => void): () => void;
  close(): Promise<void>;
}

/** Delivers events within this process. */
export class LocalEventBus implements EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open subscription; thousands are normal.
    this.emitter.setMaxListeners(0);
  }

  publish(event: DomainEvent): void {
    this.emitter.emit(event.topic, event);
  }

  on<T extends Topic>(topic: T, handler: (event: EventOf<T>) => void): () => void {
    this.emitter.on(topic, handler as (e: DomainEvent) => void);
    return () => this.emitter.off(topic, handler as (e: DomainEvent) => void);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
