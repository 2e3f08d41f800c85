import { MirrorApiError, type HubApi, type JobStep } from '../api/hub.js';
import { h } from '../ui/dom.js';
import { every } from '../ui/schedule.js';

const POLL_MS = 1000;
/** Text kept on screen, at most (the log's end). */
const KEEP_CHARS = 256 * 1024;
/** Chunks read in one poll, at most (each up to 1 MiB): a long log is caught up over a few polls. */
const CHUNKS_PER_POLL = 4;

/** The live tail of one step's log. */
export interface LogTail {
  readonly element: HTMLElement;
  /** The job's steps changed: offer them, and follow the one running (unless one was chosen). */
  update(steps: readonly JobStep[], active: boolean): void;
  close(): void;
}

/**
 * A step's log, read from where the last read ended (`?offset=`, `x-next-offset`),
 * polled while the job is active and the reader follows it.
 */
export function logTail(api: HubApi, jobId: number): LogTail {
  const choice = h('select', { name: 'log-step' });
  const follow = h('input', { type: 'checkbox', name: 'follow', checked: true });
  const text = h('pre', { class: 'log', 'data-step': '' });
  let step = '';
  let chosenByHand = false;
  let offset = 0;
  let active = false;
  let reading = false;

  const read = async () => {
    if (step === '' || reading) return;
    reading = true;
    const reading_ = step;
    try {
      for (let i = 0; i < CHUNKS_PER_POLL; i++) {
        const chunk = await api.jobs.log(jobId, step, offset);
        if (reading_ !== step) return; // another step was chosen meanwhile
        offset = chunk.next;
        if (chunk.text === '') break;
        const stick = text.scrollTop + text.clientHeight >= text.scrollHeight - 4;
        text.textContent = ((text.textContent ?? '') + chunk.text).slice(-KEEP_CHARS);
        if (stick) text.scrollTop = text.scrollHeight;
      }
    } catch (err) {
      // A step that has not run has no log yet; anything else is said in the log's place.
      if (!(err instanceof MirrorApiError && err.status === 404) && text.textContent === '') {
        text.textContent = err instanceof Error ? err.message : String(err);
      }
    } finally {
      reading = false;
    }
  };
  const show = (next: string) => {
    step = next;
    offset = 0;
    text.textContent = '';
    text.dataset['step'] = next;
    void read();
  };
  choice.addEventListener('change', () => {
    chosenByHand = true;
    show(choice.value);
  });
  const stop = every(POLL_MS, async () => {
    if (active && follow.checked) await read();
  });

  return {
    element: h(
      'div',
      { class: 'log-tail' },
      h('div', { class: 'tools' }, h('label', {}, 'Step ', choice), h('label', {}, follow, ' follow')),
      text,
    ),
    update(steps, isActive) {
      const wasActive = active;
      active = isActive;
      const started = steps.filter((s) => s.startedAt !== null);
      const running = steps.find((s) => s.status === 'running') ?? started.at(-1);
      const want = chosenByHand ? step : (running?.stepId ?? steps[0]?.stepId ?? '');
      choice.replaceChildren(
        ...steps.map((s) => h('option', { value: s.stepId, selected: s.stepId === want }, s.stepId)),
      );
      if (want !== step) show(want);
      else if (wasActive && !isActive) void read(); // the last lines
    },
    close: stop,
  };
}
