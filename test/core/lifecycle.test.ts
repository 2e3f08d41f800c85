import { describe, expect, it } from 'vitest';
import { lifecycle } from '../../src/core/index.js';

/** A promise and the function that settles it. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('a lifecycle', () => {
  it('starts once, and a second stop resolves only when the first stop has ended', async () => {
    const log: string[] = [];
    const stopping = gate();
    const life = lifecycle({
      start: () => Promise.resolve(void log.push('start')),
      stop: async (wasStarted) => {
        log.push(`stop ${wasStarted}`);
        await stopping.opened;
        log.push('stopped');
      },
    });
    await Promise.all([life.start(), life.start()]);
    expect(life.state).toBe('running');
    const first = life.stop().then(() => log.push('first resolved'));
    const second = life.stop().then(() => log.push('second resolved'));
    await new Promise((r) => setTimeout(r, 10));
    expect(life.state).toBe('stopping');
    expect(log).toEqual(['start', 'stop true']);
    stopping.open();
    await Promise.all([first, second]);
    expect(log).toEqual(['start', 'stop true', 'stopped', 'first resolved', 'second resolved']);
    expect(life.state).toBe('stopped');
    await life.start();
    expect(log.filter((l) => l === 'start')).toHaveLength(1);
  });

  it('stops after a start in progress has ended, and one never started stops without it', async () => {
    const log: string[] = [];
    const starting = gate();
    const life = lifecycle({
      start: async () => {
        await starting.opened;
        log.push('started');
      },
      stop: (wasStarted) => Promise.resolve(void log.push(`stop ${wasStarted}`)),
    });
    const started = life.start();
    const stopped = life.stop();
    starting.open();
    await Promise.all([started, stopped]);
    expect(log).toEqual(['started', 'stop true']);

    const never = lifecycle({
      start: () => Promise.resolve(),
      stop: (w) => Promise.resolve(void log.push(`never ${w}`)),
    });
    await never.stop();
    expect(log.at(-1)).toBe('never false');
    expect(never.state).toBe('stopped');
  });
});
