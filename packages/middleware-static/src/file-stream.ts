/**
 * @module
 * A file's bytes as the WHATWG `ReadableStream` core's responses carry (`BodyInit`), read from a
 * `node:fs` file handle one chunk per pull.
 */
import { open, type FileHandle } from 'node:fs/promises'

/** Bytes read per pull: node's own `createReadStream` default is 64 KiB too. */
const CHUNK = 64 * 1024

/**
 * Streams bytes `start` to `end` (inclusive) of the file at `file`.
 *
 * - **Lazy:** the file is opened on the first pull, so a response that is never sent (HEAD,
 *   a 304 made by another middleware, a response replaced by a later hook) never holds a
 *   descriptor.
 * - **Pull-based, no read-ahead** (`highWaterMark: 0`): a chunk is read only when the gateway
 *   asks for one, which it does after the socket drained, so a slow client never makes the
 *   server buffer a file.
 * - **Closed on every way out:** at the end, on a read error, and on `cancel()`, which the
 *   gateway calls when the client goes away mid-download (tested by counting the process's open
 *   descriptors on the file).
 * - **Exact length:** if the file shrank since its size was sent, the stream errors (the gateway
 *   then resets the connection, the only way to tell the client the body is short); bytes
 *   appended since are not sent.
 */
export function fileStream(file: string, start: number, end: number): ReadableStream<Uint8Array> {
  let fh: FileHandle | undefined
  let pos = start
  let done = false
  const close = async (): Promise<void> => {
    done = true
    const h = fh
    fh = undefined
    if (h !== undefined) await h.close().catch(() => {})
  }
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (done) return
        try {
          fh ??= await open(file, 'r')
          // Cancelled while opening: close what was just opened.
          if (done) return await close()
          const want = Math.min(CHUNK, end + 1 - pos)
          const buf = new Uint8Array(want)
          const { bytesRead } = await fh.read(buf, 0, want, pos)
          if (bytesRead === 0) throw new Error(`${file} is shorter than its announced length.`)
          pos += bytesRead
          controller.enqueue(bytesRead === want ? buf : buf.subarray(0, bytesRead))
          if (pos > end) {
            await close()
            controller.close()
          }
        } catch (error) {
          await close()
          throw error
        }
      },
      cancel: close,
    },
    { highWaterMark: 0 }
  )
}
