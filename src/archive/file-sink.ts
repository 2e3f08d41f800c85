import type { FileHandle } from 'node:fs/promises';

/** Writes all of `data` to `handle` at `position` (a single write may be partial). */
export async function writeAll(handle: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

/**
 * A pipeline destination writing each chunk to `handle` from `start` on. (A FileHandle's
 * own write stream with `autoClose: false` keeps the handle from ever closing.)
 */
export function fileSink(handle: FileHandle, start = 0): (source: AsyncIterable<Buffer>) => Promise<void> {
  return async (source) => {
    let position = start;
    for await (const chunk of source) {
      await writeAll(handle, chunk, position);
      position += chunk.length;
    }
  };
}
