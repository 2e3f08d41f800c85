import { h } from './dom.js';
import type { JobState } from '../api/hub.js';

/** A job's progress: a bar of currentstep of allstep, with the state's colour. */
export interface ProgressBar {
  readonly element: HTMLElement;
  set(progress: { current?: number; all?: number; state?: JobState }): void;
}

export function progressBar(state: JobState, current?: number, all?: number): ProgressBar {
  const fill = h('span', { class: 'fill' });
  const text = h('span', { class: 'text' });
  const element = h('div', { class: 'progress', role: 'progressbar' }, fill, text);
  const now = { state, current, all };
  const draw = () => {
    const { current: c, all: a } = now;
    const known = c !== undefined && a !== undefined && a > 0;
    const ratio = now.state === 'finished' ? 1 : known ? Math.min(1, c / a) : 0;
    fill.style.width = `${(ratio * 100).toFixed(1)}%`;
    element.dataset['state'] = now.state;
    element.setAttribute('aria-valuenow', String(Math.round(ratio * 100)));
    text.textContent = known ? `${c}/${a}` : now.state === 'finished' ? 'done' : '';
  };
  draw();
  return {
    element,
    set(progress) {
      if (progress.state !== undefined) now.state = progress.state;
      if (progress.current !== undefined) now.current = progress.current;
      if (progress.all !== undefined) now.all = progress.all;
      draw();
    },
  };
}
