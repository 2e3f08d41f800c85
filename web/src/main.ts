// The dashboard's entry: styles, the hub client with this tab's token, the router.
import 'uplot/dist/uPlot.min.css';
import './app.css';
import { createHubApi } from './api/hub.js';
import { pageToken } from './api/token.js';
import { ROUTES, NAV } from './routes.js';
import { startRouter } from './ui/router.js';

const element = (id: string): HTMLElement => {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found;
};

const live = element('live');
const api = createHubApi(pageToken(), (status) => {
  live.dataset['status'] = status;
  live.textContent = status === 'live' ? '● live' : '○ connecting…';
});
startRouter(element('main'), element('nav'), NAV, ROUTES, api);
