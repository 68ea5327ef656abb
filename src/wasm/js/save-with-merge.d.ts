import type { MergeResult, Verdict } from "./caldav_sched.js";

/** Options of {@link saveWithMerge}. */
export interface SaveWithMergeOptions {
  /** The resource URL (the calendar object's href). */
  url: string;
  /** The local edit to save (iCalendar text). */
  data: string;
  /** The copy the edit started from: enables a three-way merge on a 412. */
  base?: string;
  /** The user's calendar-user addresses. */
  me: string | string[];
  /** Validators of the copy the edit started from, as received. */
  etag?: string;
  scheduleTag?: string;
  /** "update" (default) or "create" (If-None-Match: *). */
  intent?: "create" | "update";
  /** PUTs at most (default 3, 1-10). */
  maxAttempts?: number;
  /** Passed to merge(). */
  role?: "auto" | "attendee" | "organizer";
  onReschedule?: "ask" | "keep" | "reset";
  personal?: string[];
  /**
   * Asked when a merge needs the user's confirmation (the organizer moved what the user had
   * answered): true keeps the user's answer, false accepts the reset to NEEDS-ACTION. Without it
   * the loop stops with outcome "needs-confirmation".
   */
  confirm?: (merge: MergeResult) => boolean | Promise<boolean>;
  /**
   * Extra request headers (e.g. Authorization), a plain object. Content-Type and every
   * conditional header (If-Match, If-None-Match, If-Schedule-Tag-Match, If-Unmodified-Since,
   * If-Modified-Since, If-Range, If), in any letter case, throw INVALID_OPTION: saveWithMerge
   * sends exactly one precondition itself (the tags come from `etag` / `scheduleTag`).
   */
  headers?: Record<string, string>;
  /** The fetch to use (default: globalThis.fetch). */
  fetch?: typeof fetch;
}

/** One step of the loop, in order. */
export type SaveStep =
  | { kind: "put"; attempt: number; sent: Record<string, string>; status: number; verdict: Verdict }
  | { kind: "get"; attempt: number; status: number; verdict: Verdict }
  | { kind: "merge"; attempt: number; result: MergeResult }
  | { kind: "confirm"; attempt: number; keep: boolean };

/** What {@link saveWithMerge} did. */
export interface SaveWithMergeResult {
  /** True when the server holds the edit (or a merge of it). */
  ok: boolean;
  /**
   * "ok", a failing verdict's outcome, "needs-confirmation" or "give-up"; "failed" also when
   * the newer server copy fetched after a 412 cannot be used (no Schedule-Tag and no strong
   * ETag to write it back with, unreadable, or another object): `message` says which.
   */
  outcome: Verdict["outcome"] | "needs-confirmation";
  /** What happened, in one or two sentences (the last verdict's message, or why the loop stopped). */
  message: string;
  /**
   * The copy the server now holds (ok; what was sent when the server stored it but the GET that
   * should read it back failed: `message` says so), or the last body tried / the merge awaiting
   * confirmation.
   */
  data: string;
  /** Validators to keep for the next write. */
  etag?: string;
  scheduleTag?: string;
  /** PUTs made. */
  attempts: number;
  /** Every request, verdict, merge report and confirmation, in order. */
  steps: SaveStep[];
}

/**
 * Saves a local edit with the right precondition and, on a 412, GETs the newer copy, merges and
 * retries with the new tag, at most `maxAttempts` PUTs.
 *
 * ```js
 * const result = await saveWithMerge({ url, data: edited, base: fetched, me, scheduleTag, etag,
 *   confirm: (m) => window.confirm("The organizer moved the meeting. Keep your answer?") });
 * if (!result.ok) console.warn(result.outcome, result.steps);
 * ```
 */
export function saveWithMerge(options: SaveWithMergeOptions): Promise<SaveWithMergeResult>;
