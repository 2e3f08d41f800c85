import { h } from './dom.js';

/** A line that says how the last action went: an error in red, anything else plainly. */
export interface Notice {
  readonly element: HTMLElement;
  info(text: string): void;
  error(err: unknown): void;
  clear(): void;
}

export function notice(): Notice {
  const element = h('p', { class: 'notice', role: 'status' });
  return {
    element,
    info(text) {
      element.className = 'notice info';
      element.textContent = text;
    },
    error(err) {
      element.className = 'notice error';
      element.textContent = err instanceof Error ? err.message : String(err);
    },
    clear() {
      element.className = 'notice';
      element.textContent = '';
    },
  };
}

/**
 * A listener that runs an async action, showing its failure in `shown`; the button
 * that started it (if any) is disabled meanwhile, so an action is not sent twice.
 */
export function action(shown: Notice, run: (event: Event) => Promise<void>): (event: Event) => void {
  return (event) => {
    const button = event.currentTarget instanceof HTMLButtonElement ? event.currentTarget : undefined;
    if (button) button.disabled = true;
    run(event)
      .catch((err: unknown) => shown.error(err))
      .finally(() => {
        if (button) button.disabled = false;
      });
  };
}
