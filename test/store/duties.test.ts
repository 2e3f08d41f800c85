import { expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { describeEachStore, storeBackends } from '../support/stores.js';

const backends = await storeBackends();

describeEachStore(backends, (backend) => {
  it('lets one transaction at a time hold a duty where hubs share the database', async () => {
    const url = await backend.freshUrl();
    const first = await openStore(url);
    if (!first.capabilities.advisoryLocks) {
      // One process owns the store: the duty is always its own.
      expect(await first.transaction((tx) => tx.tryHoldDuty('lost-agents'))).toBe(true);
      await first.close();
      return;
    }
    const second = await openStore(url);
    try {
      let release = () => {};
      const held = new Promise<void>((r) => (release = r));
      let holding = () => {};
      const holds = new Promise<void>((r) => (holding = r));
      const firstTx = first.transaction(async (tx) => {
        expect(await tx.tryHoldDuty('lost-agents')).toBe(true);
        holding();
        await held;
      });
      await holds;
      expect(await second.transaction((tx) => tx.tryHoldDuty('lost-agents'))).toBe(false);
      expect(await second.transaction((tx) => tx.tryHoldDuty('another duty'))).toBe(true);
      release();
      await firstTx;
      expect(await second.transaction((tx) => tx.tryHoldDuty('lost-agents'))).toBe(true);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
