/**
 * valibot's parse settings for everything Loop Lab checks from outside (the worker's chunks and
 * messages, trace files, share links, IPC): stop at the first problem. By default valibot
 * collects every problem in the value, and only the first is ever shown: a forged chunk of
 * 399,000 bad numbers (under the host's weight cap) made 798,000 of them and held the host's
 * thread 2–5 s (measured by a reviewer's attack; 0 ms with this setting).
 */
export const ABORT_EARLY = { abortEarly: true } as const;
