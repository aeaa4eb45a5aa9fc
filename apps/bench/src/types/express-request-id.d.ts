// express-request-id 3.0.0 ships `types.d.ts` but its `exports` map does not point to it, so
// TypeScript (moduleResolution "Bundler") cannot find it. The same declarations, as an ES module.
declare module 'express-request-id' {
  import type { Request, RequestHandler } from 'express'

  /** Options of the middleware (the package's own `Options`). */
  export interface Options {
    setHeader?: boolean
    headerName?: string
    generator?: (request: Request) => string
  }

  /** Sets `req.id` (the incoming header, else a UUID v4) and echoes it as a response header. */
  export default function requestID(options?: Options): RequestHandler
}

// A script file (no top-level import or export), so both blocks are global declarations.
declare namespace Express {
  interface Request {
    /** Set by `express-request-id`. */
    id: string
  }
}
