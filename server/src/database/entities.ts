import { AuditEntry } from '../modules/audit/audit-entry.entity.js';
import { Evidence, GateCondition, GateRequest, GateReview, GateTemplateRow, MeasureComment, SignOff } from '../modules/governance/governance.entities.js';
import { MeasurePackage } from '../modules/hierarchy/measure-package.entity.js';
import { OrgUnit } from '../modules/hierarchy/org-unit.entity.js';
import { Organisation } from '../modules/hierarchy/organisation.entity.js';
import { Program } from '../modules/hierarchy/program.entity.js';
import { MeasureValue } from '../modules/measures/measure-value.entity.js';
import { Measure } from '../modules/measures/measure.entity.js';
import { Milestone } from '../modules/measures/milestone.entity.js';
import { RoleGrant } from '../modules/users/role-grant.entity.js';
import { UserSession } from '../modules/users/user-session.entity.js';
import { User } from '../modules/users/user.entity.js';
import { ServiceCategory, SlaPolicy, Ticket, TicketGroup } from '../modules/tickets/tickets.entities.js';
import { TicketScopeMapping } from '../modules/tickets/ticket-scope-mapping.entity.js';

export const entities = [
  Organisation,
  OrgUnit,
  Program,
  MeasurePackage,
  User,
  RoleGrant,
  UserSession,
  Measure,
  MeasureValue,
  Milestone,
  GateTemplateRow,
  GateRequest,
  GateCondition,
  GateReview,
  Evidence,
  MeasureComment,
  SignOff,
  AuditEntry,
  Ticket,
  TicketGroup,
  ServiceCategory,
  SlaPolicy,
  TicketScopeMapping,
];
