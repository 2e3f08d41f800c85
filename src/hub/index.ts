export { createHub, type Hub } from './create-hub.js';
export { createLocalHubLink } from './local-hub-link.js';
export type { Projects, ProjectDetail, ProjectFileSource } from './projects.js';
export type { CalcPackages, CalcPackageSource, RegisteredCalcPackage } from './calc-packages.js';
export { planJobs, type PlanInput } from './dispatch/plan-jobs.js';
export { createEventLog, type EventLog, type HubEvent } from './events/index.js';
export type { MachineView, Machines } from './machines.js';
export type { Jobs } from './jobs.js';
