import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { StoreCapabilities } from './store.js';

/**
 * What the code needs to know about the database engine under a store, declared once
 * per backend (`sqlite/engine.ts`, `postgres/engine.ts`) so that migrations and
 * operations ask a trait, never which engine they run on.
 */
export interface Engine {
  /** What the store's users may rely on (exposed as `Store.capabilities`). */
  readonly capabilities: StoreCapabilities;
  /** Most bound parameters one statement may carry (SQLite 32,766; PostgreSQL 65,535). */
  readonly maxParameters: number;
  /**
   * `SELECT ... FOR UPDATE` locks the rows it reads until the transaction ends
   * (PostgreSQL). Without it (SQLite) the store's single connection already runs one
   * transaction at a time, so what a transaction reads cannot change under it.
   */
  readonly rowLocks: boolean;
  /** SQL type of generated ids and of the columns that refer to them. */
  readonly idType: 'integer' | 'bigint';
  /** Makes `col` a generated, never reused primary key (SQLite autoincrement, PostgreSQL identity). */
  identity(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /**
   * Serialises migrators on one database until `trx` ends. Called first in every
   * migration transaction.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- runs before the schema exists
  lockForMigration(trx: Kysely<any>): Promise<void>;
  /**
   * Takes the lock `key` for `trx` if no other transaction holds it, until `trx` ends;
   * answers whether it did. Where one process owns the database (SQLite) it always does.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema
  tryTransactionLock(trx: Kysely<any>, key: number): Promise<boolean>;
}

/** Rows one multi-row INSERT of `columns` columns may carry under the engine's parameter bound. */
export function rowsPerStatement(engine: Engine, columns: number): number {
  return Math.max(1, Math.floor(engine.maxParameters / columns));
}

/** Splits `items` into consecutive slices of at most `size`. */
export function* slices<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) {
    yield items.slice(start, start + size);
  }
}
