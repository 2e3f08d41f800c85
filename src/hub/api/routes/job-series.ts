import { z } from 'zod';
import { readRunFile, jobsRoot, ownRunDir } from '../../../run-dir/index.js';
import { mirrorError } from '../../../core/index.js';
import type { Hub } from '../../create-hub.js';
import { parseSeries } from '../../series.js';
import { defineRoute, type ApiRoute } from '../route.js';
import { idText } from '../../../api/schemas.js';

/** The most of a process file read for its series (its end, when it is longer). */
const MAX_SERIES_BYTES = 16 * 1024 * 1024;

/** A job's process files as numeric series, for charts. */
export function jobSeriesRoutes(hub: Hub): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/jobs/{id}/series/{key}',
      tag: 'jobs',
      summary:
        'A process file as numeric series (first column the x axis): from the copy in the file store, else live from the run directory.',
      params: z.strictObject({ id: idText, key: z.string() }),
      response: z.object({
        key: z.string(),
        columns: z.array(z.string()),
        rows: z.array(z.array(z.number())),
      }),
      handle: async ({ params }) => {
        const job = await hub.store.getJob(params.id);
        if (!job) throw mirrorError('JOB_NOT_FOUND', { job: params.id });
        const item = (await hub.store.listJobItems(job.id)).find(
          (i) => i.section === 'process' && i.key === params.key && i.kind === 'file',
        );
        const gone = (reason: string) =>
          mirrorError('FILE_ITEM_GONE', {
            jobid: job.id,
            section: 'process',
            key: params.key,
            file: item?.value ?? '?',
            reason,
          });
        if (!item) {
          throw mirrorError('FILE_ITEM_NOT_FOUND', {
            jobid: job.id,
            section: JSON.stringify('process'),
            key: JSON.stringify(params.key),
          });
        }
        let text: string;
        if (item.sha256 !== null) {
          const bytes = await hub.fileStore.read(item.sha256);
          text = bytes.subarray(Math.max(0, bytes.length - MAX_SERIES_BYTES)).toString('utf8');
        } else {
          const runDir = ownRunDir(jobsRoot(hub.config.workdir), job);
          if (runDir === undefined) throw gone('the job has no run directory on this hub');
          const read = await readRunFile(runDir, item.value, `process ${item.key}`, {
            mode: 'tail',
            bytes: MAX_SERIES_BYTES,
          });
          if (read.kind === 'missing') throw gone('it does not exist (yet)');
          if (read.kind === 'skipped') throw gone(read.warning);
          text = read.text;
        }
        return { key: item.key, ...parseSeries(text) };
      },
    }),
  ];
}
