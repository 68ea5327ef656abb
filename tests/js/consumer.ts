// A TypeScript consumer of the installed package, checked with `tsc --noEmit --strict` by
// package.test.mjs. It must compile against the published .d.ts exactly as a user's code would,
// and it calls EVERY export with the shapes of API.md (a missing or mistyped export fails tsc).
import init, {
  attendeeReply,
  classifyResponse,
  compareEntityTags,
  initSync,
  inspect,
  merge,
  parseEntityTag,
  preconditionHeaders,
  roundTrip,
  saveWithMerge,
  toIcal,
  toJcal,
  version,
} from "caldav-sched";
import type {
  AlarmSummary,
  AttendeeSummary,
  CalDavSchedError,
  CalendarData,
  Change,
  ComponentSummary,
  DataFormat,
  EntityTag,
  ErrorCode,
  Inspection,
  Limits,
  MergeResult,
  Outcome,
  PartStat,
  Role,
  ScheduleAgent,
  SaveWithMergeResult,
  ScheduleStatus,
  StatusClass,
  Verdict,
  Warning,
} from "caldav-sched";

export async function start(): Promise<string> {
  await init();
  const v: string = version();
  return v;
}

export function loadFrom(bytes: Uint8Array): void {
  initSync({ module: bytes });
}

export function check(data: string, limits?: Partial<Limits>): string | Uint8Array {
  return roundTrip({ data, limits });
}

export function codeOf(e: unknown): ErrorCode | undefined {
  if (e instanceof Error && "code" in e) {
    const err = e as CalDavSchedError;
    const line: number | undefined = err.line;
    void line;
    return err.code;
  }
  return undefined;
}

export const parseCode: ErrorCode = "PARSE";
export const sample: Warning = { code: "BAD_FOLD", message: "a fold" };

// ---- Tag preconditions
export function tags(etag: string, scheduleTag?: string): Record<string, string> {
  const parsed: EntityTag = parseEntityTag(etag);
  const weak: boolean = parsed.weak;
  const opaque: string = parsed.opaque;
  void opaque;
  const same: boolean = compareEntityTags(etag, parsed.raw) && compareEntityTags(etag, etag, { weak });
  void same;
  const create: Record<string, string> = preconditionHeaders({ intent: "create" });
  void create;
  return preconditionHeaders({ intent: "update", etag, scheduleTag });
}

// A tsdav DAVCalendarObject spreads straight in.
interface DAVCalendarObject { url: string; etag?: string; data?: any }
export function fromTsdav(calendarObject: DAVCalendarObject): Record<string, string> {
  return preconditionHeaders({ intent: "delete", ...calendarObject, scheduleReply: false });
}

export async function save(url: string, body: string, sent: Record<string, string>, attempt: number): Promise<Outcome> {
  const response = await fetch(url, { method: "PUT", headers: sent, body });
  const verdict: Verdict = classifyResponse({
    method: "PUT",
    status: response.status,
    headers: response.headers,
    body: await response.text(),
    sent,
    attempt,
    maxAttempts: 3,
  });
  const keep: [string | undefined, string | undefined] = [verdict.etag, verdict.scheduleTag];
  void keep;
  const retryAfter: number | undefined = verdict.retryAfter;
  void retryAfter;
  classifyResponse({ method: "GET", status: 200, headers: { ETag: '"1"' } });
  classifyResponse({ method: "DELETE", status: 204, headers: [["etag", '"1"']] });
  return verdict.outcome;
}

// ---- Attendee reply
export function accept(data: CalendarData, me: string | string[], format?: DataFormat): CalendarData {
  const partstat: PartStat = "ACCEPTED";
  const result = attendeeReply({
    data,
    me,
    partstat,
    recurrenceId: "20270112T150000Z",
    scope: "thisAndFuture",
    comment: "See you",
    alarms: [{ trigger: "-PT15M", action: "DISPLAY", description: "Soon" }],
    now: "20270101T000000Z",
    format,
    limits: { maxBytes: 1_000_000 },
  });
  const itip: string | null = result.itip;
  const agent: ScheduleAgent = result.scheduleAgent;
  const changed: boolean = result.changed;
  const warnings: Warning[] = result.warnings;
  void [itip, agent, changed, warnings];
  return result.data;
}

// ---- Merge
export function reconcile(local: string, server: CalendarData, base?: string): CalendarData | undefined {
  const m = merge({ local, server, base, me: "mailto:w@example.com", role: "auto", onReschedule: "ask", limits: { maxBytes: 1_000_000 } });
  const lists: Change[][] = [m.kept, m.dropped, m.conflicts];
  const words: string[] = lists.flat().map((c) => `${c.component} ${c.recurrenceId ?? ""} ${c.property ?? ""}: ${c.what}`);
  void words;
  const flags: boolean[] = [m.rescheduled, m.needsConfirmation, m.unchanged];
  void flags;
  return m.unchanged ? undefined : m.data;
}

export async function saveLoop(url: string, data: string, etag: string): Promise<boolean> {
  const r: SaveWithMergeResult = await saveWithMerge({
    url,
    data,
    me: "mailto:w@example.com",
    etag,
    maxAttempts: 3,
    confirm: (m: MergeResult) => m.rescheduled,
    headers: { Authorization: "Basic x" },
  });
  const attempts: number = r.attempts;
  void attempts;
  return r.ok;
}

// ---- Interop
export function interop(ics: string): string {
  const jcal: unknown[] = toJcal({ data: ics });
  const back: string = toIcal({ data: jcal, limits: { maxDepth: 8 } });
  const summary: Inspection = inspect({ data: jcal, me: ["mailto:w@example.com", "/principals/w/"] });
  const role: Role = summary.role;
  const organizer: string | undefined = summary.organizer;
  const agent: ScheduleAgent = summary.scheduleAgent;
  void [role, organizer, agent, summary.uid, summary.warnings];
  for (const c of summary.components as ComponentSummary[]) {
    const type: string = c.type;
    const recurrenceId: string | undefined = c.recurrenceId;
    const sequence: number = c.sequence;
    const mine: string | undefined = c.myPartstat;
    void [type, recurrenceId, sequence, mine, c.start, c.summary, c.status];
    for (const a of c.attendees as AttendeeSummary[]) {
      const codes: string[] | undefined = a.scheduleStatus;
      const details: ScheduleStatus[] = a.scheduleStatusDetails ?? [];
      const failed: boolean = details.some((d) => d.failed);
      const cls: StatusClass | undefined = details[0]?.class;
      void [a.address, a.cn, a.partstat, a.role, a.isMe, codes, failed, cls, details[0]?.meaning];
    }
    for (const alarm of c.alarms as AlarmSummary[]) {
      const trigger: string = alarm.trigger;
      void [trigger, alarm.action, alarm.uid];
    }
  }
  inspect({ data: new TextEncoder().encode(ics), limits: { maxLines: 10_000 } });
  return back;
}

// Misuse must not type-check (tsc fails if an expected error is missing).
export function misuse(): void {
  // @ts-expect-error: not an ErrorCode
  const notACode: ErrorCode = "NOPE";
  void notACode;
  // @ts-expect-error: `data` is required
  roundTrip({});
  // @ts-expect-error: version() returns a string
  const n: number = version();
  void n;
  // @ts-expect-error: not an intent
  preconditionHeaders({ intent: "replace", etag: '"1"' });
  // @ts-expect-error: not a PARTSTAT
  attendeeReply({ data: "", me: "mailto:a@x", partstat: "MAYBE" });
  // @ts-expect-error: not an output format
  attendeeReply({ data: "", me: "mailto:a@x", partstat: "ACCEPTED", format: "json" });
  // @ts-expect-error: toIcal takes jCal, not text
  toIcal({ data: "BEGIN:VCALENDAR" });
  // @ts-expect-error: not a method classifyResponse knows
  classifyResponse({ method: "PATCH", status: 200 });
  // @ts-expect-error: `me` is an address or a list of them
  inspect({ data: "", me: 42 });
  // @ts-expect-error: merge needs the server copy
  merge({ local: "", me: "mailto:a@x" });
  // @ts-expect-error: not an onReschedule choice
  merge({ local: "", server: "", me: "mailto:a@x", onReschedule: "later" });
  // @ts-expect-error: a role is lower case
  const r: Role = "ORGANIZER";
  void r;
}
