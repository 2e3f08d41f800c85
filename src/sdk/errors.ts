/** A failure the hub answered: its HTTP status and the catalog's code and message. */
export class MirrorApiError extends Error {
  override readonly name = 'MirrorApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
