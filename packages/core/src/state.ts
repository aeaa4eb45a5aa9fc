/**
 * @module
 * Request state typing. `request.state` holds what middlewares add (the user, a request id).
 *
 * The first way to type it is inference through the middleware list ({@link StateOf}); the second,
 * for plug-ins that want their fields visible everywhere, is module augmentation:
 *
 * ```ts
 * declare module '@cycle/core' {
 *   interface RequestState { requestId: string }
 * }
 * ```
 */

/** Augmentable request state, merged into every `CycleRequest`'s `state`. Empty by default. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RequestState {}

/** Augmentable map of custom converter names to the value type they produce. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ConverterTypes {}

/** Turns a union into an intersection (`A | B` → `A & B`). */
export type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (
  x: infer I
) => void
  ? I
  : never

/** Flattens an intersection for readable hovers. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {}
