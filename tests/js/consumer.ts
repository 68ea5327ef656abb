// A TypeScript consumer of the installed package, checked with `tsc --noEmit --strict` by
// package.test.mjs. It must compile against the published .d.ts exactly as a user's code would.
import init, { initSync, roundTrip, version } from "caldav-sched";
import type { CalDavSchedError, ErrorCode, Limits, Warning } from "caldav-sched";

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
}
