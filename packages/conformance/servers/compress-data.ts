/** The text every route of `compress-handler.ts` answers, long enough to be compressed. */
export const BIG: string = 'Hello from every runtime! '.repeat(200)
