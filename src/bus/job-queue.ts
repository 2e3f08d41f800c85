/**
 * The job queue: dispatch puts job ids in, agents take them out. In-process for the
 * embedded default (`bus/memory`), RabbitMQ when scaled out. A job id in the queue is
 * only a hint: an agent claims the job by an atomic update in the store, so an id
 * delivered twice, or for a job that was never committed, is dropped there.
 */
export interface JobQueue {
  /** Ids survive a restart of the process (a broker); the in-process queue's do not. */
  readonly durable: boolean;
  /**
   * Appends job ids in order. Called inside dispatch's transaction, as its last step:
   * rejects when the ids are not surely stored (a broker unreachable for too long, a
   * publish never confirmed), so that the transaction rolls back.
   */
  enqueue(jobIds: readonly number[]): Promise<void>;
  /** Takes up to `max` ids, oldest first, without waiting. */
  take(max: number): Promise<number[]>;
  /** How many ids wait. */
  size(): Promise<number>;
  /** Calls `listener` after ids are enqueued; returns a function that stops it. */
  onEnqueue(listener: () => void): () => void;
  /**
   * Whether this consumer is ready for ids (true at first). False hands back at once the
   * ids delivered to it but not taken, and it is sent none until true again: an agent
   * whose slots are all busy leaves queued jobs to the others. A queue whose ids wait in
   * one place that every agent takes from (the in-process queue) has nothing to do.
   */
  accepting(ready: boolean): void;
}
