import { isAllowed, mayAddEvidence, mayMoveBack, mayReopen, mayRequestGate, mayResume, maySignOff, mayValidatePotential, MeasureState, type MeasureGateFacts, type Verdict } from '@gatehouse/shared';
import { Field, ObjectType } from 'type-graphql';
import type { Actor } from '../access/index.js';
import type { Measure } from '../measures/index.js';
import { gateActor } from './gate-actor.js';

@ObjectType({ description: 'What the caller may do with a measure now, from the same rules the server enforces.' })
export class MeasurePermissions {
  @Field(() => Boolean)
  update: boolean;

  @Field(() => Boolean)
  setValues: boolean;

  @Field(() => Boolean)
  addMilestone: boolean;

  @Field(() => Boolean)
  addEvidence: boolean;

  @Field(() => Boolean)
  comment: boolean;

  @Field(() => Boolean)
  requestGate: boolean;

  @Field(() => Boolean)
  validatePotential: boolean;

  @Field(() => Boolean)
  signOff: boolean;

  @Field(() => Boolean)
  reopen: boolean;

  @Field(() => Boolean)
  moveBack: boolean;

  @Field(() => Boolean)
  resume: boolean;

  @Field(() => Boolean, { description: 'May link ticket groups to this measure or unlink them.' })
  linkTicketGroup: boolean;

  @Field(() => String, { nullable: true, description: 'Why the caller may not edit, when they may not.' })
  reason: string | null;
}

/** The caller's permissions on one measure, from its gate facts (batched for a page by the request's loaders). */
export function viewerPermissions(actor: Actor, m: Measure, facts: MeasureGateFacts): MeasurePermissions {
  const target = { path: m.path, measureOwnerId: m.ownerId };
  const locked = m.state === MeasureState.CLOSED;
  const who = gateActor(actor, m.path);
  const ok = (v: Verdict) => v.allowed;
  const update = isAllowed('measure.update', actor, target) && !locked;
  return Object.assign(new MeasurePermissions(), {
    update,
    setValues: isAllowed('measure.setValues', actor, target) && !locked,
    addMilestone: isAllowed('milestone.add', actor, target) && !locked,
    addEvidence: isAllowed('evidence.add', actor, target) && ok(mayAddEvidence(m.state)),
    comment: isAllowed('comment.add', actor, target),
    requestGate: ok(mayRequestGate(who, facts)),
    validatePotential: ok(mayValidatePotential(who, facts)),
    signOff: ok(maySignOff(who, facts)),
    reopen: ok(mayReopen(who, facts)),
    moveBack: m.doi > 1 && ok(mayMoveBack(who, facts, m.doi - 1)),
    resume: ok(mayResume(who, facts)),
    linkTicketGroup: isAllowed('ticketGroup.link', actor, target),
    reason: update
      ? null
      : locked
        ? 'Closed: the signed-off values are locked until a controller reopens the measure'
        : 'Only the measure’s owner or an admin in scope may change it',
  });
}
