/**
 * @module
 * The Standard Schema v1 interface (https://standardschema.dev), written out here so that
 * validation works with zod, valibot, arktype and any other implementation while depending on
 * none of them. The spec asks libraries and consumers to copy these types rather than import them.
 */

/**
 * A schema that implements Standard Schema v1: it has a `~standard` property whose `validate`
 * returns `{ value }` or `{ issues }`, possibly asynchronously.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The Standard Schema properties. */
  readonly '~standard': StandardSchemaV1.Props<Input, Output>
}

/** Types that belong to {@link StandardSchemaV1}. */
export declare namespace StandardSchemaV1 {
  /** The properties under `~standard`. */
  export interface Props<Input = unknown, Output = Input> {
    /** The version of the spec: always 1. */
    readonly version: 1
    /** The library that implements it (`zod`, `valibot`, `arktype`, …). */
    readonly vendor: string
    /** Validates an unknown value. */
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>
    /** Inferred types, for type-level use only. */
    readonly types?: Types<Input, Output> | undefined
  }

  /** What `validate` returns. */
  export type Result<Output> = SuccessResult<Output> | FailureResult

  /** A successful validation, with the parsed (possibly transformed) value. */
  export interface SuccessResult<Output> {
    /** The output value. */
    readonly value: Output
    /** Absent on success. */
    readonly issues?: undefined
  }

  /** A failed validation. */
  export interface FailureResult {
    /** What is wrong, one issue per problem. */
    readonly issues: ReadonlyArray<Issue>
  }

  /** One validation issue. */
  export interface Issue {
    /** A human-readable message. */
    readonly message: string
    /** Where in the input the issue is: keys, or `{ key }` segments. */
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined
  }

  /** A path segment given as an object. */
  export interface PathSegment {
    /** The key of this segment. */
    readonly key: PropertyKey
  }

  /** Input and output types of a schema. */
  export interface Types<Input = unknown, Output = Input> {
    /** The accepted input type. */
    readonly input: Input
    /** The produced output type. */
    readonly output: Output
  }

  /** The input type of a schema. */
  export type InferInput<Schema extends StandardSchemaV1> = NonNullable<
    Schema['~standard']['types']
  >['input']

  /** The output type of a schema. */
  export type InferOutput<Schema extends StandardSchemaV1> = NonNullable<
    Schema['~standard']['types']
  >['output']
}

/** Whether a value implements Standard Schema v1. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false
  const props = (value as { '~standard'?: unknown })['~standard']
  return (
    typeof props === 'object' &&
    props !== null &&
    (props as { version?: unknown }).version === 1 &&
    typeof (props as { validate?: unknown }).validate === 'function'
  )
}
