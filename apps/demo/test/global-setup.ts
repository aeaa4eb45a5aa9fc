/**
 * Vitest global setup of the demo: makes sure Debian's Chromium is there for the browser test,
 * and hands its path to the tests through `CHROMIUM_PATH`.
 */
import { ensureChromium } from './chromium'

export default function setup(): void {
  process.env['CHROMIUM_PATH'] = ensureChromium()
}
