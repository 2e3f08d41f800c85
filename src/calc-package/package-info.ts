import type { Adapter } from './types.js';

/**
 * What the store keeps of a calc package besides its zip: the parsed adapter and, per
 * template, the placeholders its text uses (so dispatch can check them without
 * opening the zip). Hub and agents both read it from the package's row.
 */
export interface PackageInfo {
  readonly adapter: Adapter;
  readonly templatePlaceholders: Readonly<Record<string, readonly string[]>>;
}

/** The package info a calc package row holds (written at registration as its `adapter` JSON). */
export function packageInfoOf(row: { readonly adapter: unknown }): PackageInfo {
  return row.adapter as PackageInfo;
}
