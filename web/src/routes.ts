import { jobPage } from './pages/job.js';
import { jobsPage } from './pages/jobs.js';
import { overviewPage } from './pages/overview.js';
import { packagesPage } from './pages/packages.js';
import { projectPage } from './pages/project.js';
import { projectsPage } from './pages/projects.js';
import { sweepPage } from './pages/sweep.js';
import { sweepsPage } from './pages/sweeps.js';
import type { NavEntry, Route } from './ui/router.js';

/** The navigation bar: `[name, hash, text]`. */
export const NAV: readonly NavEntry[] = [
  ['overview', '#/', 'Overview'],
  ['projects', '#/projects', 'Projects'],
  ['packages', '#/packages', 'Calc packages'],
  ['jobs', '#/jobs', 'Jobs'],
  ['sweeps', '#/sweeps', 'Sweeps'],
];

/** Every page, by its hash path. */
export const ROUTES: readonly Route[] = [
  { path: /^\/?$/, nav: 'overview', open: overviewPage },
  { path: /^\/projects$/, nav: 'projects', open: projectsPage },
  { path: /^\/projects\/(\d+)$/, nav: 'projects', open: projectPage },
  { path: /^\/packages$/, nav: 'packages', open: packagesPage },
  { path: /^\/jobs$/, nav: 'jobs', open: jobsPage },
  { path: /^\/jobs\/(\d+)$/, nav: 'jobs', open: jobPage },
  { path: /^\/sweeps$/, nav: 'sweeps', open: sweepsPage },
  { path: /^\/sweeps\/(\d+)$/, nav: 'sweeps', open: sweepPage },
];
