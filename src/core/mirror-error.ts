import { errorCatalog, formatMessage, type ErrorCode, type ErrorParams } from './error-catalog.js';

/** The plain-data form of a MirrorError, as it crosses the bus or a process boundary. */
export interface MirrorErrorData {
  readonly code: ErrorCode;
  readonly message: string;
  readonly params: Readonly<Record<string, string | number>>;
}

/**
 * A failure from the catalog. Its message is the catalog template filled with
 * `params`; `status` is the HTTP status for `/api`. Serialisable with `toJSON` and
 * restored with `MirrorError.fromJSON` as the same error.
 */
export class MirrorError extends Error {
  override readonly name = 'MirrorError';
  readonly code: ErrorCode;
  readonly params: Readonly<Record<string, string | number>>;

  constructor(
    code: ErrorCode,
    params: Readonly<Record<string, string | number | bigint>>,
    options?: ErrorOptions,
  ) {
    const plain = Object.fromEntries(
      Object.entries(params).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v]),
    );
    super(formatMessage(code, plain), options);
    this.code = code;
    this.params = Object.freeze(plain);
  }

  get status(): number {
    return errorCatalog[this.code].status;
  }

  toJSON(): MirrorErrorData {
    return { code: this.code, message: this.message, params: this.params };
  }

  static fromJSON(data: MirrorErrorData): MirrorError {
    const params = data.params as unknown;
    if (!Object.hasOwn(errorCatalog, data.code) || typeof params !== 'object' || params === null) {
      return new MirrorError('INTERNAL', { reason: data.message });
    }
    return new MirrorError(data.code, data.params);
  }
}

/** Builds a catalog error with its params checked against the template at compile time. */
export function mirrorError<C extends ErrorCode>(
  code: C,
  params: ErrorParams<C>,
  cause?: unknown,
): MirrorError {
  return new MirrorError(code, params, cause === undefined ? undefined : { cause });
}

/** True when `err` is a MirrorError with the given code (or any code when omitted). */
export function isMirrorError(err: unknown, code?: ErrorCode): err is MirrorError {
  return err instanceof MirrorError && (code === undefined || err.code === code);
}
