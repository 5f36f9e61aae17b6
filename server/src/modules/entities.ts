import { ApiToken } from './users/api-token.entity.js';
import { AuditEntry } from './audit/audit-entry.entity.js';
import { Evidence, EvidenceFileContent } from './governance/evidence.entity.js';
import { GateCondition } from './governance/gate-condition.entity.js';
import { GateRequest } from './governance/gate-request.entity.js';
import { GateReview } from './governance/gate-review.entity.js';
import { GateTemplateRow } from './governance/gate-template-row.entity.js';
import { MeasureComment } from './governance/measure-comment.entity.js';
import { SignOff } from './governance/sign-off.entity.js';
import { MeasurePackage } from './hierarchy/measure-package.entity.js';
import { OrgUnit } from './hierarchy/org-unit.entity.js';
import { Organisation } from './hierarchy/organisation.entity.js';
import { Program } from './hierarchy/program.entity.js';
import { MeasureValue } from './measures/measure-value.entity.js';
import { Measure } from './measures/measure.entity.js';
import { Milestone } from './measures/milestone.entity.js';
import { RoleGrant } from './users/role-grant.entity.js';
import { UserSession } from './users/user-session.entity.js';
import { User } from './users/user.entity.js';
import { ServiceCategory, SlaPolicy, Ticket, TicketGroup } from './tickets/tickets.entities.js';
import { TicketScopeMapping } from './tickets/ticket-scope-mapping.entity.js';

export const entities = [
  Organisation,
  OrgUnit,
  Program,
  MeasurePackage,
  User,
  RoleGrant,
  UserSession,
  ApiToken,
  Measure,
  MeasureValue,
  Milestone,
  GateTemplateRow,
  GateRequest,
  GateCondition,
  GateReview,
  Evidence,
  EvidenceFileContent,
  MeasureComment,
  SignOff,
  AuditEntry,
  Ticket,
  TicketGroup,
  ServiceCategory,
  SlaPolicy,
  TicketScopeMapping,
];
