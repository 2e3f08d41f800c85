import { z } from 'zod';
import { mirrorError } from '../../../core/index.js';
import type { Hub } from '../../create-hub.js';
import { parseSeries } from '../../series.js';
import { defineRoute, type ApiRoute } from '../route.js';
import { idText, series } from '../../../api/schemas.js';

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
      response: series,
      handle: async ({ params }) => {
        const job = await hub.store.getJob(params.id);
        if (!job) throw mirrorError('JOB_NOT_FOUND', { job: params.id });
        const item = (await hub.store.listJobItems(job.id)).find(
          (i) => i.section === 'process' && i.key === params.key && i.kind === 'file',
        );
        if (!item) {
          throw mirrorError('FILE_ITEM_NOT_FOUND', {
            jobid: job.id,
            section: JSON.stringify('process'),
            key: JSON.stringify(params.key),
          });
        }
        const text =
          item.sha256 !== null
            ? lastBytes(await hub.fileStore.read(item.sha256), MAX_SERIES_BYTES)
            : await hub.runFiles.tail(job, item, MAX_SERIES_BYTES);
        return { key: item.key, ...parseSeries(text) };
      },
    }),
  ];
}

/** The last `max` bytes of a stored file, as text. */
function lastBytes(bytes: Buffer, max: number): string {
  return bytes.subarray(Math.max(0, bytes.length - max)).toString('utf8');
}
