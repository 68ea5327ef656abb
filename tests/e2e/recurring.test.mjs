// recurring.test.mjs - scenario 3, a recurring series: the organizer invites to five daily
// meetings; the attendee declines one instance (an overriding VEVENT, RFC 6638 Appendix B.7),
// then accepts the series (the declined instance keeps its explicit answer); the organizer
// moves another instance; the attendee answers the moved instance. Each step is checked in
// both copies. Against Cyrus (fixed) and Xandikos, which differ a lot here (SERIES below).

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as H from "./harness.mjs";
import * as S from "../servers/servers.mjs";

const DAY = 86400000;

/**
 * What each server does with a series (observed; README.md):
 * - instanceDecline: the attendee's PUT that adds an overriding VEVENT declining one instance
 *   (RFC 6638 3.2.2.1 item 11 and Appendix B.7 allow it): Cyrus stores it (204) and sends the
 *   organizer a REPLY for that RECURRENCE-ID; Xandikos refuses it, 412 with
 *   CALDAV:attendee-allowed ("Attendees may only modify their own ATTENDEE entry").
 * - organizerCopyGetsInstanceReply: the organizer's copy gains the declined instance. Cyrus only
 *   files the REPLY in the organizer's schedule inbox; its copy has no override for it.
 * - seriesAfterInstanceReply: the series (master) answer in the organizer's copy after the
 *   attendee answered only the moved instance (the PUT keeps ACCEPTED on the master): Xandikos
 *   copies the instance's TENTATIVE onto the master as well.
 */
const SERIES = {
  cyrus: { instanceDecline: 204, organizerCopyGetsInstanceReply: false, seriesAfterInstanceReply: "ACCEPTED" },
  xandikos: { instanceDecline: 412, organizerCopyGetsInstanceReply: false, seriesAfterInstanceReply: "TENTATIVE" },
};

/** The VEVENTs of a copy: { rid (RECURRENCE-ID value or undefined), lines (own properties) }. */
function vevents(text) {
  const components = [];
  let current = null;
  let depth = 0;
  for (const l of H.unfoldLines(text)) {
    const u = l.toUpperCase();
    if (u === "BEGIN:VEVENT") [current, depth] = [{ rid: undefined, lines: [] }, 0];
    else if (u === "END:VEVENT") components.push(current), (current = null);
    else if (!current) continue;
    else if (u.startsWith("BEGIN:")) depth++;
    else if (u.startsWith("END:")) depth--;
    else if (depth === 0) {
      if (/^RECURRENCE-ID[;:]/i.test(l)) current.rid = l.slice(l.indexOf(":") + 1);
      current.lines.push(l);
    }
  }
  return components;
}

/** The PARTSTAT of `address` in the VEVENT with this RECURRENCE-ID (undefined: the master). */
function partstatIn(text, address, recurrenceId) {
  const c = vevents(text).find((x) => x.rid === recurrenceId);
  if (!c) return undefined;
  const line = c.lines.find((l) => /^ATTENDEE[;:]/i.test(l) && l.toLowerCase().endsWith(`:${address.toLowerCase()}`));
  return H.partstatOf(line) ?? "NONE";
}

/** The DTSTART of the VEVENT with this RECURRENCE-ID. */
function startIn(text, recurrenceId) {
  const line = vevents(text).find((x) => x.rid === recurrenceId)?.lines.find((l) => /^DTSTART[;:]/i.test(l));
  return line?.slice(line.indexOf(":") + 1);
}

for (const kind of ["cyrus", "xandikos"]) {
  const expect = SERIES[kind];
  describe(`${kind}: a recurring series`, { skip: H.skipUnless(kind) }, () => {
    const dav = H.useCaldav(kind);
    const chrome = H.useBrowser();
    const st = {};

    it("the organizer invites to five daily meetings; the attendee declines the second one", async () => {
      const server = dav.server;
      st.W = server.address("wilfredo");
      st.organizer = await H.openClient(chrome.browser, dav.web, server, "cyrus");
      st.attendee = await H.openClient(chrome.browser, dav.web, server, "wilfredo");
      st.uid = H.freshUid(`series-${kind}`);
      const start = H.futureStart(70);
      st.day = (n) => H.icalUtc(new Date(start.getTime() + n * DAY));
      st.orgHref = `${H.pathOf(server.calendar("cyrus"))}series-${Date.now()}.ics`;
      const body = H.invitation({
        uid: st.uid,
        start,
        summary: "Daily standup",
        organizer: { cn: "Cyrus", address: server.address("cyrus") },
        attendees: [{ cn: "Wilfredo", address: st.W }],
      }).replace(/\r\nDTEND:/, "\r\nRRULE:FREQ=DAILY;COUNT=5\r\nDTEND:");
      assert.equal((await st.organizer.run(([href, data]) => window.e2e.create(href, data), [st.orgHref, body])).status, 201);
      st.attHref = await st.attendee.run(([cal, u]) => window.e2e.find(cal, u), [H.pathOf(server.calendar("wilfredo")), st.uid]);
      assert.ok(st.attHref);

      const r = await st.attendee.run(([href, rid]) => window.e2e.reply({ href, partstat: "DECLINED", recurrenceId: rid }), [st.attHref, st.day(1)]);
      assert.equal(vevents(r.sentData).length, 2, "the reply added one overriding VEVENT (B.7)");
      assert.equal(partstatIn(r.sentData, st.W, st.day(1)), "DECLINED");
      assert.doesNotMatch(r.sentData, /^EXDATE/m, "declined with an override, not an EXDATE");
      assert.equal(r.trace[0].status, expect.instanceDecline);
      const att = await st.attendee.run((href) => window.e2e.get(href), st.attHref);
      const org = await st.organizer.run((href) => window.e2e.get(href), st.orgHref);
      if (expect.instanceDecline === 204) {
        assert.equal(r.outcome, "refetch");
        assert.equal(partstatIn(att.body, st.W, st.day(1)), "DECLINED", "my copy keeps the declined instance");
        assert.equal(partstatIn(att.body, st.W, undefined), "NEEDS-ACTION", "the series is still unanswered");
        // the REPLY for that instance went to the organizer's schedule inbox
        const reply = await instanceReplyInInbox(dav.server, st.uid, st.day(1));
        assert.equal(reply, "DECLINED", "the organizer got a REPLY declining that RECURRENCE-ID");
      } else {
        assert.equal(r.outcome, "forbidden");
        assert.equal(r.verdict.condition, "attendee-allowed");
        assert.equal(vevents(att.body).length, 1, "nothing was stored");
      }
      assert.equal(partstatIn(org.body, st.W, st.day(1)), expect.organizerCopyGetsInstanceReply ? "DECLINED" : undefined, "an override for the declined instance in the organizer's copy");
    });

    it("the attendee accepts the series; a declined instance keeps its answer", async () => {
      const r = await st.attendee.run((href) => window.e2e.reply({ href, partstat: "ACCEPTED", alarms: [{ trigger: "-PT5M" }] }), st.attHref);
      assert.ok(["ok", "refetch"].includes(r.outcome), r.outcome);
      assert.equal(r.attempts, 1);
      const att = await st.attendee.run((href) => window.e2e.get(href), st.attHref);
      assert.equal(partstatIn(att.body, st.W, undefined), "ACCEPTED");
      assert.equal(partstatIn(att.body, st.W, st.day(1)), expect.instanceDecline === 204 ? "DECLINED" : undefined);
      const org = await st.organizer.run((href) => window.e2e.get(href), st.orgHref);
      assert.equal(partstatIn(org.body, st.W, undefined), "ACCEPTED", "the organizer sees the series accepted");
    });

    it("the organizer moves the fourth meeting by an hour; the attendee answers the moved instance", async (t) => {
      const moved = await st.organizer.run(([href, rid]) => window.e2e.organizerEdit({ href, moveMinutes: 60, recurrenceId: rid }), [st.orgHref, st.day(3)]);
      if (moved.trace[0].status === 412 && !(await st.organizer.run(() => window.e2e.has("merge")))) return t.skip("412 needs merge(), not in this build yet");
      assert.ok(["ok", "refetch"].includes(moved.outcome), moved.outcome);
      const newStart = H.icalUtc(new Date(Date.parse(isoOf(st.day(3))) + 3600000));
      const org = await st.organizer.run((href) => window.e2e.get(href), st.orgHref);
      assert.equal(startIn(org.body, st.day(3)), newStart, "the organizer's override");
      assert.equal(partstatIn(org.body, st.W, undefined), "ACCEPTED", "the series answer survived the organizer's write");

      const att = await st.attendee.run((href) => window.e2e.get(href), st.attHref);
      assert.equal(startIn(att.body, st.day(3)), newStart, "the move reached the attendee");
      assert.equal(partstatIn(att.body, st.W, undefined), "ACCEPTED", "my series answer stays");
      st.afterMove = { movedInstance: partstatIn(att.body, st.W, st.day(3)), declinedInstance: partstatIn(att.body, st.W, st.day(1)) };

      const r = await st.attendee.run(([href, rid]) => window.e2e.reply({ href, partstat: "TENTATIVE", recurrenceId: rid }), [st.attHref, st.day(3)]);
      assert.ok(["ok", "refetch"].includes(r.outcome), `answering the organizer's override: ${r.outcome} ${r.verdict?.message ?? ""}`);
      assert.equal(partstatIn(r.sentData, st.W, undefined), "ACCEPTED", "my PUT left the series answer alone");
      assert.equal(partstatIn(r.sentData, st.W, st.day(3)), "TENTATIVE");
      const org2 = await st.organizer.run((href) => window.e2e.get(href), st.orgHref);
      assert.equal(partstatIn(org2.body, st.W, st.day(3)), "TENTATIVE", "the organizer sees my answer to the moved instance");
      assert.equal(startIn(org2.body, st.day(3)), newStart);
      assert.equal(partstatIn(org2.body, st.W, undefined), expect.seriesAfterInstanceReply, "the series answer in the organizer's copy");
      assert.deepEqual([...st.organizer.problems, ...st.attendee.problems], []);
    });

    it("records what the organizer's update did to my per-instance answers", () => {
      // the moved instance: the organizer's new override carries my series answer or a reset;
      // the declined instance: kept in my copy or replaced by the organizer's version
      assert.ok(st.afterMove, "the previous step ran");
      assert.deepEqual(st.afterMove, AFTER_MOVE[kind]);
    });
  });
}

/** My answers in my copy right after the organizer moved day 4 (observed; README.md). */
const AFTER_MOVE = {
  cyrus: { movedInstance: "NEEDS-ACTION", declinedInstance: "DECLINED" },
  xandikos: { movedInstance: "ACCEPTED", declinedInstance: undefined },
};

function isoOf(v) {
  return `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}T${v.slice(9, 11)}:${v.slice(11, 13)}:${v.slice(13, 15)}Z`;
}

/** The PARTSTAT of the REPLY for `recurrenceId` of `uid` in the organizer's schedule inbox. */
async function instanceReplyInInbox(server, uid, recurrenceId) {
  for (const href of await S.inboxItems(server, "cyrus")) {
    const text = await (await server.request("cyrus", href)).text();
    if (H.propertyValue(text, "UID") !== uid || H.propertyValue(text, "METHOD") !== "REPLY") continue;
    const partstat = partstatIn(text, server.address("wilfredo"), recurrenceId);
    if (partstat) return partstat;
  }
  return undefined;
}
