const pad = (n: number) => String(n).padStart(2, '0');

/** A time (ms since the epoch) as local `YYYY-MM-DD HH:MM:SS`; '-' for none. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** A duration in ms, readably: `850 ms`, `12.3 s`, `4 min 05 s`, `2 h 03 min`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
}

/** How long ago a time was: `3 s ago`. */
export function formatAgo(ms: number, now = Date.now()): string {
  return `${formatDuration(Math.max(0, now - ms))} ago`;
}

/** A size in bytes: `812 B`, `17.3 KiB`, `4.1 MiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** A positive integer from text (a form field, the URL), or undefined. */
export function positiveInt(text: string | null | undefined): number | undefined {
  return text !== null && text !== undefined && /^[1-9]\d{0,9}$/.test(text.trim())
    ? Number(text.trim())
    : undefined;
}

/** A number from text (jobgetdata's values are text), or undefined when it is not one. */
export function numberOf(text: string | number | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}
