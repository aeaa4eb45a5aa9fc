/**
 * @module
 * What views share: the settings, the store, the inspector feed and `reverse()`. Built once per
 * app by `createDemoApp()`; views receive it instead of reaching for module-level globals, so two
 * apps (two tests, a restart) never share state.
 */
import { Unauthorized, type CycleRequest, type Params } from '@cycle/core'
import type { InspectorFeed } from './inspector/feed'
import type { DemoUser, Settings, State } from './settings'
import type { Store } from './store/types'

/** Shared by every view of one app. */
export interface DemoContext {
  readonly settings: Settings
  readonly store: Store
  readonly feed: InspectorFeed
  /** The app's `reverse()` (set once the app exists). */
  reverse(name: string, params?: Record<string, unknown>): string
  /** A password hash of nothing, verified for unknown usernames so timing does not tell them apart. */
  dummyHash(): Promise<string>
}

/** The request type of the demo's views. */
export type DemoRequest<P = Params> = CycleRequest<State, P>

/**
 * The authenticated user. Routes that call it also carry `requireAuth()`, which answers the 401
 * first; the check here only keeps the types honest.
 */
export function currentUser(request: DemoRequest<unknown>): DemoUser {
  const user = request.state.user
  if (!user.isAuthenticated) throw new Unauthorized('Log in first.')
  return { id: user.id, username: user.username }
}
