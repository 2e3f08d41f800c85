/** One line of a job's progress: `job   7 [#####.....] 45/400 running t_top=100`. */
export function progressLine(id: number, state: string, current = '0', all = '0', label = ''): string {
  const c = Number(current);
  const a = Number(all);
  const width = 20;
  const filled = a > 0 ? Math.min(width, Math.round((c / a) * width)) : 0;
  return `job ${String(id).padStart(3)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${current}/${all} ${state} ${label}`.trimEnd();
}
