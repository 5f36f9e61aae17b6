import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { Governance1764100000000 } from './1764100000000-governance.js';
import { ServiceTickets1764200000000 } from './1764200000000-service-tickets.js';
import { PortfolioRollups1764300000000 } from './1764300000000-portfolio-rollups.js';
import { LoginThrottle1764500000000 } from './1764500000000-login-throttle.js';
import { TicketContentCompared1764600000000 } from './1764600000000-ticket-content-compared.js';
import { StatusRollup1764700000000 } from './1764700000000-status-rollup.js';
import { TicketStateCategory1765500000000 } from './1765500000000-ticket-state-category.js';
import { AuditCheckpoints1765600000000 } from './1765600000000-audit-checkpoints.js';
import { SegregationOfDuties1765700000000 } from './1765700000000-segregation-of-duties.js';
import { TicketScope1765850000000 } from './1765850000000-ticket-scope.js';
import { ApiTokens1766050000000 } from './1766050000000-api-tokens.js';
import { IdentityLinks1766100000000 } from './1766100000000-identity-links.js';
import { EvidenceFiles1766400000000 } from './1766400000000-evidence-files.js';
import { SingleSignOn1766600000000 } from './1766600000000-single-sign-on.js';
import { AdminStructure1766200000000 } from './1766200000000-admin-structure.js';

/** Every migration, in order. Listed explicitly so bundling or a stray file can never change the schema. */
export const migrations = [
  InitialSchema1764000000000,
  Governance1764100000000,
  ServiceTickets1764200000000,
  PortfolioRollups1764300000000,
  LoginThrottle1764500000000,
  TicketContentCompared1764600000000,
  StatusRollup1764700000000,
  TicketStateCategory1765500000000,
  AuditCheckpoints1765600000000,
  SegregationOfDuties1765700000000,
  TicketScope1765850000000,
  ApiTokens1766050000000,
  IdentityLinks1766100000000,
  AdminStructure1766200000000,
  EvidenceFiles1766400000000,
  SingleSignOn1766600000000,
];
