/**
 * @module
 * Core's default rendering, the last part of the render step: what no render hook rendered is
 * written here, at the end of the phase that produced it, before any response hook sees it (as
 * Django renders a `TemplateResponse` before its response middlewares).
 */
import { InternalServerError } from './errors'
import { renderProblem } from './exception-response'
import type { CycleRequest } from './request'
import { CycleResponse, PROBLEM_TYPE } from './response'
import { ResponseShapeError, serializerFor } from './serializer'

/**
 * Renders a pending response: a problem document as JSON or, for a client that prefers it, an
 * HTML page; anything else as JSON, through the route's response schema for its status when it
 * declares one.
 *
 * @throws InternalServerError when the data cannot be written (a BigInt, a cycle, a shape the
 *   schema refuses), with the original error as its `cause`
 */
export function renderDefault(request: CycleRequest, res: CycleResponse): void {
  const serialize = serializerFor(request, res.status)
  try {
    if (res.headers._map['content-type'] === PROBLEM_TYPE) renderProblem(request, res, serialize)
    else res.render(serialize)
  } catch (error) {
    throw new InternalServerError(
      error instanceof ResponseShapeError
        ? "The response data does not match the route's response schema."
        : 'The response data could not be serialized as JSON.',
      { cause: error }
    )
  }
}

/** A 500 problem that cannot fail to render: fixed text, no schema, no hook. */
export function bareProblem(): CycleResponse {
  const res = new CycleResponse(
    '{"type":"about:blank","title":"Internal Server Error","status":500}',
    { status: 500 }
  )
  res.headers._map['content-type'] = 'application/problem+json'
  return res
}
