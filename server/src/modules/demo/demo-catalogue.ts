import { Lever } from '@gatehouse/shared';

/** The demo organisation: Northwind Services, a service organisation with IT, sales, customer service and finance. */
export const DEMO_ORG_NAME = 'Northwind Services';
export const DEMO_PASSWORD = 'demo-password';

export const DEMO_ACCOUNTS = [
  { key: 'admin', email: 'admin@northwind.example', name: 'Alex Admin', role: 'ADMIN' },
  { key: 'owner', email: 'owner@northwind.example', name: 'Olivia Owner', role: 'OWNER' },
  { key: 'steering', email: 'steering@northwind.example', name: 'Sam Steering', role: 'STEERING_COMMITTEE' },
  { key: 'controller', email: 'controller@northwind.example', name: 'Chris Controller', role: 'CONTROLLER' },
  { key: 'viewer', email: 'viewer@northwind.example', name: 'Vera Viewer', role: 'VIEWER' },
] as const;

/**
 * Demo accounts holding their role below the organisation, as real organisations grant most roles: each sees and
 * does only what their unit or program allows. `scope` names a unit of DEMO_UNITS or a program of DEMO_PROGRAMS.
 */
export const DEMO_SCOPED_ACCOUNTS = [
  { key: 'itOwner', email: 'it.owner@northwind.example', name: 'Ingrid Holm', role: 'OWNER', scope: 'IT Service' },
  { key: 'salesSteering', email: 'sales.steering@northwind.example', name: 'Samir Haddad', role: 'STEERING_COMMITTEE', scope: 'Sales Operations' },
  { key: 'financeController', email: 'finance.controller@northwind.example', name: 'Frida Lund', role: 'CONTROLLER', scope: 'Finance' },
  { key: 'programViewer', email: 'lead-to-cash.viewer@northwind.example', name: 'Paul Grant', role: 'VIEWER', scope: 'Lead-to-Cash Acceleration' },
] as const;

/** More people, so measures have different owners, sponsors and controllers. */
export const DEMO_PEOPLE = [
  { key: 'priya', email: 'priya.patel@northwind.example', name: 'Priya Patel', role: 'OWNER' },
  { key: 'marco', email: 'marco.rossi@northwind.example', name: 'Marco Rossi', role: 'OWNER' },
  { key: 'jonas', email: 'jonas.berg@northwind.example', name: 'Jonas Berg', role: 'STEERING_COMMITTEE' },
  { key: 'mei', email: 'mei.chen@northwind.example', name: 'Mei Chen', role: 'CONTROLLER' },
] as const;

export const DEMO_UNITS: { name: string; children: string[] }[] = [
  { name: 'IT Service', children: ['Service Desk', 'Infrastructure & Operations'] },
  { name: 'Sales Operations', children: ['CRM & Quoting', 'Order Management'] },
  { name: 'Customer Service', children: ['Contact Centre', 'Field Service'] },
  { name: 'Finance', children: ['Controlling', 'Accounts Payable'] },
];

export const DEMO_PROGRAMS: { unit: string; name: string; objective: string; packages: { name: string; measures: [string, Lever][] }[] }[] = [
  {
    unit: 'IT Service',
    name: 'Service Excellence 2027',
    objective: 'Cut recurring incidents by 30 % and raise first-contact resolution to 75 % within eighteen months.',
    packages: [
      {
        name: 'Self-service & automation',
        measures: [
          ['Self-service password reset for all staff', Lever.COST_REDUCTION],
          ['Automated CRM access provisioning', Lever.COST_REDUCTION],
          ['Chatbot for order-status questions', Lever.COST_AVOIDANCE],
          ['Knowledge base for top 50 incident types', Lever.COST_REDUCTION],
          ['Automated software distribution', Lever.COST_REDUCTION],
          ['Service catalogue with standard requests', Lever.COST_AVOIDANCE],
          ['Password vault for shared accounts', Lever.NON_FINANCIAL],
          ['Auto-routing of tickets by category', Lever.COST_REDUCTION],
        ],
      },
      {
        name: 'Incident reduction',
        measures: [
          ['Root-cause fix for quote tool time-outs', Lever.COST_AVOIDANCE],
          ['Monitoring for customer portal outages', Lever.COST_AVOIDANCE],
          ['Problem management for recurring VPN failures', Lever.COST_REDUCTION],
          ['Patch cadence for sales laptops', Lever.COST_AVOIDANCE],
          ['Stabilise pricing system interface', Lever.REVENUE_INCREASE],
          ['Email gateway hardening', Lever.NON_FINANCIAL],
          ['Printer fleet consolidation', Lever.COST_REDUCTION],
          ['Major-incident review board', Lever.COST_AVOIDANCE],
        ],
      },
      {
        name: 'Infrastructure consolidation',
        measures: [
          ['Decommission legacy file servers', Lever.COST_REDUCTION],
          ['Consolidate two data-centre racks', Lever.CAPEX_REDUCTION],
          ['Right-size cloud compute', Lever.COST_REDUCTION],
          ['Renegotiate network carrier contract', Lever.COST_REDUCTION],
          ['Retire on-premise mail archive', Lever.COST_REDUCTION],
          ['Storage tiering for backups', Lever.CAPEX_REDUCTION],
          ['Licence harvesting for office suite', Lever.COST_REDUCTION],
          ['Virtual desktop for contractors', Lever.CAPEX_REDUCTION],
        ],
      },
    ],
  },
  {
    unit: 'Sales Operations',
    name: 'Lead-to-Cash Acceleration',
    objective: 'Shorten quote-to-order time from nine days to three and remove manual order exceptions.',
    packages: [
      {
        name: 'CRM & quoting',
        measures: [
          ['Quote templates with approved pricing', Lever.REVENUE_INCREASE],
          ['CRM dashboard access by role', Lever.COST_REDUCTION],
          ['Guided selling for service bundles', Lever.REVENUE_INCREASE],
          ['Duplicate account clean-up', Lever.COST_REDUCTION],
          ['Mobile quote approval', Lever.REVENUE_INCREASE],
          ['Territory model refresh', Lever.REVENUE_INCREASE],
          ['Contract renewal reminders', Lever.REVENUE_INCREASE],
          ['Discount approval workflow', Lever.REVENUE_INCREASE],
        ],
      },
      {
        name: 'Order workflow',
        measures: [
          ['Order exception triage before month end', Lever.COST_REDUCTION],
          ['Straight-through processing for standard orders', Lever.COST_REDUCTION],
          ['Credit check automation', Lever.COST_REDUCTION],
          ['Order status notifications to customers', Lever.COST_AVOIDANCE],
          ['Returns authorisation portal', Lever.COST_REDUCTION],
          ['Invoice dispute fast lane', Lever.REVENUE_INCREASE],
          ['Master data governance for products', Lever.NON_FINANCIAL],
          ['E-invoicing for top customers', Lever.COST_REDUCTION],
        ],
      },
    ],
  },
  {
    unit: 'Customer Service',
    name: 'Cost to Serve',
    objective: 'Reduce cost per contact by 20 % while holding customer satisfaction above 85 %.',
    packages: [
      {
        name: 'Contact centre efficiency',
        measures: [
          ['Call deflection to web self-service', Lever.COST_REDUCTION],
          ['Workforce management forecasting', Lever.COST_REDUCTION],
          ['Callback instead of queueing', Lever.COST_AVOIDANCE],
          ['Unified agent desktop', Lever.COST_REDUCTION],
          ['After-call work reduction', Lever.COST_REDUCTION],
          ['Quality monitoring with speech analytics', Lever.NON_FINANCIAL],
          ['Outsourcing contract renegotiation', Lever.COST_REDUCTION],
          ['Seasonal staffing pool', Lever.COST_AVOIDANCE],
        ],
      },
      {
        name: 'Field service optimisation',
        measures: [
          ['Route optimisation for engineers', Lever.COST_REDUCTION],
          ['First-time-fix spare parts kits', Lever.COST_REDUCTION],
          ['Remote diagnostics before dispatch', Lever.COST_AVOIDANCE],
          ['Van stock replenishment', Lever.CAPEX_REDUCTION],
          ['Engineer mobile app', Lever.COST_REDUCTION],
          ['Preventive maintenance schedule', Lever.COST_AVOIDANCE],
          ['Subcontractor rate card', Lever.COST_REDUCTION],
          ['Fleet electrification pilot', Lever.CAPEX_REDUCTION],
        ],
      },
      {
        name: 'Procure-to-pay',
        measures: [
          ['Purchase order templates for recurring buys', Lever.COST_REDUCTION],
          ['Supplier consolidation for office supplies', Lever.COST_REDUCTION],
          ['Three-way match automation', Lever.COST_REDUCTION],
          ['Early payment discounts', Lever.COST_REDUCTION],
          ['Travel policy compliance', Lever.COST_AVOIDANCE],
          ['Catalogue buying for IT accessories', Lever.COST_REDUCTION],
          ['Duplicate payment detection', Lever.COST_AVOIDANCE],
          ['Spend analytics dashboard', Lever.NON_FINANCIAL],
        ],
      },
    ],
  },
];
