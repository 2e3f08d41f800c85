import { mirrorError } from '../../../core/index.js';

/** Loopback addresses: the only ones Mirror listens on without a token unless told to. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Refuses a listening address that is not loopback when there is no token (and no override). */
export function checkListenAddress(host: string, token: string, allowInsecure: boolean): void {
  if (token === '' && !allowInsecure && !isLoopback(host)) throw mirrorError('INSECURE_LISTEN', { host });
}
