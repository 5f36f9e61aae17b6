import { isAllowed, type Action, type TargetFacts } from '@gatehouse/shared';
import { forbidden } from '../../common/domain-error.js';
import type { Actor } from './actor.js';

const ACTION_TEXT: Partial<Record<Action, string>> = {
  'measure.update': 'Only the measure’s owner or an admin in scope may change it',
  'measure.setValues': 'Only the measure’s owner or an admin in scope may change its values',
  'measure.create': 'Creating measures needs the OWNER, STEERING_COMMITTEE or ADMIN role in this scope',
  'measure.assignOwner': 'Only an admin or steering committee member may make someone else the owner',
};

/** Throws FORBIDDEN unless the access policy allows the action on the target. */
export function authorize(actor: Actor, action: Action, target: TargetFacts): void {
  if (!isAllowed(action, actor, target)) {
    throw forbidden(ACTION_TEXT[action] ?? `You may not do this here (${action})`);
  }
}

/** Read access: any role on the target's scope path, or being one of a measure's people. */
export function canRead(actor: Actor, path: readonly string[], people: (string | null)[] = []): boolean {
  return isAllowed('measure.read', actor, { path }) || people.includes(actor.userId);
}
