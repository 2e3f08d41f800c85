/** Output kept per hook call by default: the last 64 KiB. */
export const DEFAULT_HOOK_OUTPUT_BYTES = 64 * 1024;

/** Collects a stream's chunks keeping only the last `maxBytes` bytes. */
export class OutputTail {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private dropped = false;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.bytes > this.maxBytes && this.chunks.length > 0) {
      const first = this.chunks[0] ?? Buffer.alloc(0);
      const excess = this.bytes - this.maxBytes;
      if (first.length <= excess) {
        this.chunks.shift();
        this.bytes -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.bytes -= excess;
      }
      this.dropped = true;
    }
  }

  /** The kept bytes as UTF-8, with a note first when the beginning was dropped. */
  text(): string {
    const kept = Buffer.concat(this.chunks).toString('utf8');
    return this.dropped ? `[… earlier output dropped]\n${kept}` : kept;
  }
}
