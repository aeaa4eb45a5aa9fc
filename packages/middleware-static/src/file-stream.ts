/**
 * @module
 * A file's bytes as the WHATWG `ReadableStream` core's responses carry (`BodyInit`), read from a
 * `node:fs` file handle one chunk per pull.
 */
import { open, type FileHandle } from 'node:fs/promises'

/** Bytes read per pull: node's own `createReadStream` default is 64 KiB too. */
const CHUNK = 64 * 1024

/** A piece of a streamed body: fixed bytes, or bytes `start` to `end` (inclusive) of the file. */
export type Piece = Uint8Array | { start: number; end: number }

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
  return piecesStream(file, [{ start, end }])
}

/**
 * Streams `pieces` in order: fixed bytes as they are, file ranges read as {@link fileStream}
 * reads them (one descriptor for all of them, same guarantees). A `multipart/byteranges` body
 * is the part headers as fixed bytes between the ranges.
 */
export function piecesStream(file: string, pieces: readonly Piece[]): ReadableStream<Uint8Array> {
  let fh: FileHandle | undefined
  let i = 0
  let pos = -1
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
          const piece = pieces[i]
          if (piece === undefined) {
            await close()
            controller.close()
            return
          }
          if (piece instanceof Uint8Array) {
            i++
            controller.enqueue(piece)
            return
          }
          fh ??= await open(file, 'r')
          // Cancelled while opening: close what was just opened.
          if (done) return await close()
          if (pos < piece.start) pos = piece.start
          const want = Math.min(CHUNK, piece.end + 1 - pos)
          const buf = new Uint8Array(want)
          const { bytesRead } = await fh.read(buf, 0, want, pos)
          if (bytesRead === 0) throw new Error(`${file} is shorter than its announced length.`)
          pos += bytesRead
          controller.enqueue(bytesRead === want ? buf : buf.subarray(0, bytesRead))
          if (pos > piece.end) {
            i++
            pos = -1
            if (i === pieces.length) {
              await close()
              controller.close()
            }
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
