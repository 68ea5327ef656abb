// seed.test.mjs - scenario 1 (RFC 6638 Appendix B.3) with scenario 6's independent client:
// python-caldav, as the organizer, invites; the attendee's page (the built package in
// Chromium) GETs its copy, attendeeReply (ACCEPTED + a 15-minute alarm), PUTs with
// preconditionHeaders, classifyResponse, re-GETs with cache "no-store"; the organizer's copy
// shows the answer. Against Cyrus (with the Schedule-Tag fix) and Xandikos.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import * as H from "./harness.mjs";

for (const kind of ["cyrus", "xandikos"]) {
  const expect = H.BEHAVIOUR[kind];
  describe(`${kind}: the seed, RFC 6638 B.3 (organizer: python-caldav; attendee: our package in Chromium)`, { skip: H.skipUnless(kind) }, () => {
    const dav = H.useCaldav(kind);
    const chrome = H.useBrowser();
    const st = {};

    it("python-caldav creates the invitation with If-None-Match: * (201)", async () => {
      const server = dav.server;
      st.uid = H.freshUid(`seed-${kind}`);
      st.start = H.futureStart(40);
      const made = await H.pythonOrganizer(server, "cyrus", "invite", {
        uid: st.uid,
        start: st.start.toISOString(),
        summary: "Seed lunch",
        organizer: { address: server.address("cyrus"), cn: "Cyrus" },
        attendees: [
          { address: server.address("wilfredo"), cn: "Wilfredo" },
          { address: server.address("bernard"), cn: "Bernard" },
        ],
      });
      const put = made.requests.find((r) => r.method === "PUT");
      assert.deepEqual(put.sent, { "if-none-match": "*" }, "python-caldav's create precondition");
      assert.equal(put.status, 201);
      st.orgHref = H.pathOf(made.url);
    });

    it("the attendee's page finds its copy, answers ACCEPTED with a 15-minute alarm in one PUT", async () => {
      st.attendee = await H.openClient(chrome.browser, dav.web, dav.server, "wilfredo");
      st.attHref = await st.attendee.run(([cal, uid]) => window.e2e.find(cal, uid), [H.pathOf(dav.server.calendar("wilfredo")), st.uid]);
      assert.ok(st.attHref, "the server delivered wilfredo's copy");
      const r = await st.attendee.run((href) => window.e2e.reply({ href, partstat: "ACCEPTED", alarms: [{ trigger: "-PT15M" }] }), st.attHref);
      st.reply = r;
      assert.equal(r.reply.changed, true);
      assert.equal(r.reply.scheduleAgent, "SERVER", "the server schedules: no iTIP for the client to send");
      assert.equal(r.reply.itip, null);
      assert.equal(r.attempts, 1, "no retry needed");
      assert.equal(r.base.etag.startsWith("W/"), expect.weakGetEtag, `ETag form the browser got: ${r.base.etag}`);
      assert.ok(r.base.scheduleTag, "the GET carried a Schedule-Tag");
      // preconditionHeaders chose the Schedule-Tag (even next to a weak ETag) and nothing else
      assert.deepEqual(r.trace[0].sent, { "If-Schedule-Tag-Match": r.base.scheduleTag });
      assert.ok([200, 201, 204].includes(r.trace[0].status), `PUT answered ${r.trace[0].status}`);
      // 2xx: "ok" when a strong ETag says the body was stored as sent, else "refetch"
      assert.equal(r.outcome, expect.attendeePutOutcome);
      assert.equal(r.trace[0].scheduleTag !== r.base.scheduleTag, expect.attendeePutChangesTag, "the attendee's own PUT changed its tag (RFC 6638 3.2.10)");
    });

    it("the precondition reached the server byte for byte through the proxy", () => {
      const wire = dav.web.exchanges.filter((x) => x.method === "PUT" && x.user === "wilfredo" && H.pathOf(st.attHref) === x.path);
      assert.equal(wire.length, 1);
      assert.equal(wire[0].request["if-schedule-tag-match"], st.reply.base.scheduleTag);
      assert.equal(wire[0].request["if-match"], undefined);
    });

    it("re-GET (no-store) shows ACCEPTED, the alarm, and what the server wrote on ORGANIZER", async () => {
      const att = await st.attendee.run((href) => window.e2e.get(href), st.attHref);
      const W = dav.server.address("wilfredo");
      assert.equal(H.partstatOf(H.attendeeLine(att.body, W)), "ACCEPTED");
      assert.deepEqual(H.triggers(att.body), ["-PT15M"]);
      assert.equal(H.scheduleStatusOf(H.organizerLine(att.body)), expect.organizerScheduleStatus, "SCHEDULE-STATUS on ORGANIZER (B.3 shows 1.2)");
      assert.equal(att.scheduleTag, st.reply.trace[0].scheduleTag ?? st.reply.base.scheduleTag, "the tag the PUT reported is the stored one");
      assert.equal(H.propertyValue(att.body, "DTSTART"), H.icalUtc(st.start), "the organizer's time is untouched");
    });

    it("the organizer's copy shows wilfredo ACCEPTED and bernard still NEEDS-ACTION", async () => {
      const organizer = await H.openClient(chrome.browser, dav.web, dav.server, "cyrus");
      const org = await organizer.run((href) => window.e2e.get(href), st.orgHref);
      assert.equal(H.partstatOf(H.attendeeLine(org.body, dav.server.address("wilfredo"))), "ACCEPTED");
      assert.equal(H.partstatOf(H.attendeeLine(org.body, dav.server.address("bernard"))), "NEEDS-ACTION");
      assert.deepEqual(H.triggers(org.body), [], "the attendee's alarm stays personal to the attendee");
      assert.deepEqual(organizer.problems, []);
      await organizer.page.close();
    });

    it("the page shows the exchange (page text asserted, screenshot taken)", async () => {
      const path = await H.screenshot(st.attendee, `seed-${kind}`);
      const text = await st.attendee.page.textContent("#log");
      assert.match(text, /attendeeReply: ACCEPTED, changed=true, scheduleAgent=SERVER/);
      assert.match(text, new RegExp(`PUT ${H.pathOf(st.attHref).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s+If-Schedule-Tag-Match: `));
      assert.match(text, /→ 20[14]/);
      assert.match(text, /verdict: (ok|refetch)/);
      assert.ok(statSync(path).size > 10_000, `a real screenshot at ${path}`);
      assert.equal(readFileSync(path).subarray(1, 4).toString(), "PNG");
      assert.deepEqual(st.attendee.problems, []);
      await st.attendee.page.close();
    });
  });
}
