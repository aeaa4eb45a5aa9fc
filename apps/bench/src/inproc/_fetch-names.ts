/**
 * @module
 * The in-process fetch handlers by name (no imports, so the harness can list them without
 * loading any framework).
 */
export const FETCH_HANDLERS = ['bare', 'cycle', 'hono', 'h3', 'itty-router'] as const
/** One of {@link FETCH_HANDLERS}. */
export type FetchHandlerName = (typeof FETCH_HANDLERS)[number]
