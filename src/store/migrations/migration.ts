import type { Kysely } from 'kysely';
import type { Engine } from '../engine.js';

/**
 * A numbered step of the schema. Migrations are data: the migrator applies those above
 * the database's version in order, each in its own transaction. `up` sees the database
 * as it was when the migration was written, hence `Kysely<any>` rather than today's
 * `Database`; it writes through Kysely's schema builder so one migration serves both
 * engines, asking `engine` where they differ.
 */
export interface Migration {
  /** 1, 2, 3, ... without gaps. */
  readonly version: number;
  readonly name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema of its own time
  up(db: Kysely<any>, engine: Engine): Promise<void>;
}
