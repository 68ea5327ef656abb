// stock-bug.test.mjs - why the suite runs Cyrus with the Schedule-Tag shim (tests/servers/shim/):
// stock Cyrus 3.6 stores SHA1(UID) as every tag after the first update, so an attendee's
// client holding a tag from BEFORE the organizer's reschedule still matches, and its stale
// copy silently overwrites the new time. The same story on the fixed build gets 412.
// The page runs the real write loop with maxAttempts 1, so a 412 is a final "give-up" and the
// loop needs no merge.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as H from "./harness.mjs";

const EXPECT = {
  "cyrus-stock": { staleStatus: 204, overwritten: true },
  cyrus: { staleStatus: 412, overwritten: false },
};

for (const kind of ["cyrus-stock", "cyrus"]) {
  const expect = EXPECT[kind];
  describe(`${kind}: an attendee's write from before the organizer's reschedule`, { skip: H.skipUnless(kind) }, () => {
    const dav = H.useCaldav(kind);
    const chrome = H.useBrowser();

    it(expect.overwritten ? "BUG: the stale Schedule-Tag is accepted and the reschedule is overwritten" : "is refused with 412; the reschedule stays", async () => {
      const server = dav.server;
      assert.equal(server.scheduleTagFix, kind === "cyrus" ? "1" : "0");
      const organizer = await H.openClient(chrome.browser, dav.web, server, "cyrus");
      const attendee = await H.openClient(chrome.browser, dav.web, server, "wilfredo");
      const uid = H.freshUid(`tagbug-${kind}`);
      const orgHref = `${H.pathOf(server.calendar("cyrus"))}tagbug-${Date.now()}.ics`;
      const body = H.invitation({
        uid,
        start: H.futureStart(60),
        organizer: { cn: "Cyrus", address: server.address("cyrus") },
        attendees: [{ cn: "Wilfredo", address: server.address("wilfredo") }],
      });
      const made = await organizer.run(([href, data]) => window.e2e.create(href, data), [orgHref, body]);
      assert.equal(made.status, 201);
      const attHref = await attendee.run(([cal, u]) => window.e2e.find(cal, u), [H.pathOf(server.calendar("wilfredo")), uid]);
      assert.ok(attHref);

      const accepted = await attendee.run((href) => window.e2e.reply({ href, partstat: "ACCEPTED" }), attHref);
      assert.ok(["ok", "refetch"].includes(accepted.outcome));
      const afterReply = await attendee.run((href) => window.e2e.get(href), attHref);
      if (kind === "cyrus-stock") {
        const sha1Uid = `"${createHash("sha1").update(uid).digest("hex")}"`;
        assert.equal(afterReply.scheduleTag, sha1Uid, "BUG: the stored tag is SHA1(UID)");
      }

      // the attendee opens the event (GET), the organizer moves it, then the attendee answers
      const late = attendee.run((href) => window.e2e.reply({ href, partstat: "TENTATIVE", pause: "late", maxAttempts: 1 }), attHref);
      await H.atGate(attendee, "late");
      const moved = await organizer.run((href) => window.e2e.organizerEdit({ href, moveMinutes: 240 }), orgHref);
      assert.ok(["ok", "refetch"].includes(moved.outcome));
      const newStart = H.propertyValue((await organizer.run((href) => window.e2e.get(href), orgHref)).body, "DTSTART");
      const delivered = await attendee.run((href) => window.e2e.get(href), attHref);
      assert.equal(H.propertyValue(delivered.body, "DTSTART"), newStart, "the reschedule reached the attendee");
      assert.equal(delivered.scheduleTag === afterReply.scheduleTag, expect.overwritten, "did the consequential change give a new tag?");
      await H.openGate(attendee, "late");
      const r = await late;

      assert.equal(r.trace[0].status, expect.staleStatus);
      const now = await attendee.run((href) => window.e2e.get(href), attHref);
      if (expect.overwritten) {
        assert.ok(["ok", "refetch"].includes(r.outcome));
        assert.notEqual(H.propertyValue(now.body, "DTSTART"), newStart, "BUG: the attendee's copy went back to the old time");
      } else {
        assert.equal(r.outcome, "give-up", "412 at the attempt limit");
        assert.equal(H.propertyValue(now.body, "DTSTART"), newStart, "the reschedule stays");
        assert.equal(H.partstatOf(H.attendeeLine(now.body, server.address("wilfredo"))), "NEEDS-ACTION", "the stale TENTATIVE did not land");
      }
      assert.deepEqual([...organizer.problems, ...attendee.problems], []);
      await organizer.page.close();
      await attendee.page.close();
    });
  });
}
