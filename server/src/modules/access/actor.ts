import type { ActorFacts, RoleGrantFact } from '@gatehouse/shared';
import type { StatusThresholds } from '@gatehouse/shared';

export interface ActorGrant extends RoleGrantFact {
  /** Scope ids from the organisation down to the granted scope. */
  scopePath: string[];
}

export interface ActorOrganisation extends StatusThresholds {
  id: string;
  name: string;
  currency: string;
  doiWeights: number[];
  recurringThreshold: number;
  recurringWindowDays: number;
}

/** The signed-in user of a request, with everything authorisation needs, loaded in one statement. */
export interface Actor extends ActorFacts {
  userId: string;
  email: string;
  name: string;
  organisation: ActorOrganisation;
  grants: ActorGrant[];
  /** SHA-256 of the session token, so logout can revoke exactly this session. */
  sessionTokenHash: string;
  /** Set when the request came with a personal API token (then sessionTokenHash is the token's hash). */
  apiToken?: { id: string; readOnly: boolean };
}

/**
 * Whether the request may change anything: a read-only API token only reads. Every write path asks it — GraphQL
 * mutations (users/read-only-token.plugin.ts) and the HTTP routes that write (the ticket upload).
 */
export function mayChangeAnything(actor: Actor): boolean {
  return !actor.apiToken?.readOnly;
}

/** Scope ids the actor holds any role on: everything below them is readable. */
export function grantedScopeIds(actor: Actor): string[] {
  return [...new Set(actor.grants.map((g) => g.scopeId))];
}

/** Scopes above or at a grant: visible for navigation (the path to what one may see), not readable below. */
export function navigableScopeIds(actor: Actor): Set<string> {
  return new Set(actor.grants.flatMap((g) => g.scopePath));
}
