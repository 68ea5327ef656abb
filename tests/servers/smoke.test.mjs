// smoke.test.mjs - the raw RFC 6638 Appendix B.3 exchange against real servers.
//
//   node --test tests/servers/                          # all: cyrus, cyrus-stock, xandikos, radicale
//   CALDAV_SERVERS=xandikos,radicale node --test tests/servers/
//
// Each server is started through its script (an already running one is reused
// and left running; one started here is stopped at the end). The assertions
// pin what each server really does, including where it departs from RFC 6638
// section 3.2.10, so a change of behaviour (or a broken shim) fails loudly.

import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as S from "./servers.mjs";

const ICS = { "Content-Type": "text/calendar; charset=utf-8" };
const HOUR = 3600 * 1000;

/**
 * What each scheduling server does, as observed (tests/servers/README.md):
 * - putCreateEtag: the organizer's create answer carries an ETag
 * - attendeePutChangesTag: the attendee's own PUT changes its Schedule-Tag
 *   (RFC 6638 3.2.10, attendee rule 3: MUST change)
 * - replyChangesOrganizerTag: merging the attendee's reply changes the
 *   organizer's Schedule-Tag (organizer rule 1: MUST NOT)
 * - organizerScheduleStatus: after the reply, the attendee's copy has
 *   SCHEDULE-STATUS on ORGANIZER (B.3's final GET shows 1.2)
 * - weakEtag: GET (fetch sends Accept-Encoding: gzip) answers a weak W/ ETag
 * - transpAfterUpdate: how many TRANSP properties the attendee's copy holds
 *   after the organizer's update (the invitation has one); Cyrus adds a second
 *   one and then refuses the attendee's PUT of that copy with 403
 *   CALDAV:valid-calendar-data
 */
const BEHAVIOUR = {
  cyrus: { putCreateEtag: false, attendeePutChangesTag: true, replyChangesOrganizerTag: true, organizerScheduleStatus: "1.2", weakEtag: true, transpAfterUpdate: 2 },
  xandikos: { putCreateEtag: true, attendeePutChangesTag: false, replyChangesOrganizerTag: false, organizerScheduleStatus: undefined, weakEtag: false, transpAfterUpdate: 1 },
};

const selected = new Set(S.selectedServers());
const skipUnless = (kind) => (selected.has(kind) ? false : `not in CALDAV_SERVERS`);

/** Starts `kind` before the suite and stops it after, if this suite started it. */
function useServer(kind) {
  const box = {};
  before(async () => {
    box.server = await S.startServer(kind);
  }, { timeout: S.START_TIMEOUT_MS });
  after(async () => {
    if (box.server?.startedHere) await S.stopServer(kind);
  }, { timeout: 60 * 1000 });
  return box;
}

/** The server answers on 127.0.0.1 and on no other address of this machine. */
async function assertLoopbackOnly(server) {
  const port = Number(new URL(server.url).port);
  assert.equal(new URL(server.url).hostname, "127.0.0.1");
  assert.equal(await S.acceptsConnections("127.0.0.1", port), true);
  for (const address of await S.externalAddresses()) {
    assert.equal(await S.acceptsConnections(address, port), false, `reachable on ${address}:${port}`);
  }
}

/** The organizer (cyrus) invites wilfredo and bernard; returns what later steps need. */
async function invite(server, label) {
  const uid = S.freshUid(label);
  const organizer = { cn: "Cyrus", address: server.address("cyrus") };
  const attendees = [
    { cn: "Wilfredo", address: server.address("wilfredo") },
    { cn: "Bernard", address: server.address("bernard") },
  ];
  const href = new URL(`${label}-${Date.now()}.ics`, server.calendar("cyrus")).href;
  const body = S.invitation({ uid, start: S.futureStart(), organizer, attendees });
  const res = await server.request("cyrus", href, { method: "PUT", headers: { ...ICS, "If-None-Match": "*" }, body });
  await res.text();
  return { uid, href, res };
}

/** GET as `user`: status, ETag, Schedule-Tag and body. */
async function getCopy(server, user, href) {
  const res = await server.request(user, href);
  return { status: res.status, etag: res.headers.get("etag"), tag: res.headers.get("schedule-tag"), body: await res.text() };
}

/** PUT as `user` with extra headers: status, ETag, Schedule-Tag, body. */
async function putCopy(server, user, href, body, headers) {
  const res = await server.request(user, href, { method: "PUT", headers: { ...ICS, ...headers }, body });
  return { status: res.status, etag: res.headers.get("etag"), tag: res.headers.get("schedule-tag"), body: await res.text() };
}

for (const kind of ["cyrus", "xandikos"]) {
  const expect = BEHAVIOUR[kind];
  describe(`${kind}: RFC 6638 B.3, attendee replies to an invitation`, { skip: skipUnless(kind) }, () => {
    const box = useServer(kind);
    const st = {};
    const W = () => box.server.address("wilfredo");

    it("listens on loopback only", () => assertLoopbackOnly(box.server));

    it("announces implicit scheduling (DAV: calendar-auto-schedule)", async () => {
      const res = await box.server.request("cyrus", box.server.calendar("cyrus"), { method: "OPTIONS" });
      await res.text();
      assert.equal(res.status, 200);
      assert.match(res.headers.get("dav") ?? "", /calendar-auto-schedule/);
    });

    it("organizer PUT creates the scheduling object (201, Schedule-Tag)", async () => {
      const { uid, href, res } = await invite(box.server, "b3");
      Object.assign(st, { uid, orgHref: href });
      assert.equal(res.status, 201);
      assert.ok(res.headers.get("schedule-tag"), "create answer has a Schedule-Tag");
      assert.equal(res.headers.has("etag"), expect.putCreateEtag, "ETag on the create answer");
      const org = await getCopy(box.server, "cyrus", href);
      assert.equal(org.status, 200);
      assert.ok(org.etag && org.tag);
      st.orgTag0 = org.tag;
    });

    it("delivers an iTIP REQUEST to wilfredo's schedule inbox", async () => {
      // one request at a time: each keep-alive connection holds a whole Cyrus httpd process
      let itip;
      for (const h of await S.inboxItems(box.server, "wilfredo")) {
        const body = await (await box.server.request("wilfredo", h)).text();
        if (S.propertyValue(body, "UID") === st.uid) itip = body;
      }
      assert.ok(itip, `an inbox item carries UID ${st.uid}`);
      assert.equal(S.propertyValue(itip, "METHOD"), "REQUEST");
    });

    it("puts wilfredo's copy in his calendar; GET gives ETag and Schedule-Tag", async () => {
      st.attHref = await S.findCopy(box.server, "wilfredo", st.uid);
      assert.ok(st.attHref, "calendar-query by UID finds wilfredo's copy");
      const att = await getCopy(box.server, "wilfredo", st.attHref);
      assert.equal(att.status, 200);
      assert.ok(att.etag, "ETag");
      assert.ok(att.tag, "Schedule-Tag");
      assert.equal(att.etag.startsWith("W/"), expect.weakEtag, `ETag form: ${att.etag}`);
      assert.equal(S.partstatOf(S.attendeeLine(att.body, W())), "NEEDS-ACTION");
      Object.assign(st, { attBody0: att.body, attTag0: att.tag, attEtag0: att.etag });
      st.bernardHref = await S.findCopy(box.server, "bernard", st.uid);
      assert.ok(st.bernardHref, "bernard got a copy too");
      st.bernardTag0 = (await getCopy(box.server, "bernard", st.bernardHref)).tag;
    });

    it("wilfredo PUTs ACCEPTED + VALARM with If-Schedule-Tag-Match (204)", async () => {
      const body = S.addAlarm(S.setPartstat(st.attBody0, W(), "ACCEPTED"));
      const put = await putCopy(box.server, "wilfredo", st.attHref, body, { "If-Schedule-Tag-Match": st.attTag0 });
      assert.equal(put.status, 204);
      assert.ok(put.tag, "the PUT answer carries the Schedule-Tag");
      assert.equal(put.tag !== st.attTag0, expect.attendeePutChangesTag, "the attendee's own PUT changes its tag");
      const att = await getCopy(box.server, "wilfredo", st.attHref);
      assert.equal(att.tag, put.tag, "the PUT answer's tag is the stored tag");
      assert.notEqual(att.etag, st.attEtag0, "the ETag changed");
      assert.equal(S.partstatOf(S.attendeeLine(att.body, W())), "ACCEPTED");
      assert.match(att.body, /TRIGGER:-PT15M/, "the alarm was kept");
      const status = /;SCHEDULE-STATUS=([^;:]*)/.exec(S.organizerLine(att.body) ?? "")?.[1];
      assert.equal(status, expect.organizerScheduleStatus, "SCHEDULE-STATUS on ORGANIZER");
      Object.assign(st, { attBody1: att.body, attTag1: att.tag });
    });

    it("the organizer's copy shows wilfredo ACCEPTED", async () => {
      const org = await getCopy(box.server, "cyrus", st.orgHref);
      assert.equal(S.partstatOf(S.attendeeLine(org.body, W())), "ACCEPTED");
      assert.equal(org.tag !== st.orgTag0, expect.replyChangesOrganizerTag, "the reply changed the organizer's tag");
      const bernard = await getCopy(box.server, "bernard", st.bernardHref);
      assert.equal(bernard.tag, st.bernardTag0, "another attendee's tag stays (3.2.10 attendee rule 2)");
    });

    it("a PUT with the pre-reply tag: 412 where the reply changed the tag, else accepted", async () => {
      const body = S.setPartstat(st.attBody0, W(), "TENTATIVE");
      const put = await putCopy(box.server, "wilfredo", st.attHref, body, { "If-Schedule-Tag-Match": st.attTag0 });
      assert.equal(put.status, expect.attendeePutChangesTag ? 412 : 204);
      if (put.status === 204) {
        // restore ACCEPTED so the rest of the story starts from the same place
        const att = await getCopy(box.server, "wilfredo", st.attHref);
        const again = await putCopy(box.server, "wilfredo", st.attHref, S.setPartstat(att.body, W(), "ACCEPTED"), {
          "If-Schedule-Tag-Match": att.tag,
        });
        assert.equal(again.status, 204);
        st.attTag1 = again.tag;
      }
    });

    it("after the organizer reschedules, wilfredo's stale tag gets 412 and nothing is overwritten", async () => {
      const org = await getCopy(box.server, "cyrus", st.orgHref);
      const moved = S.reschedule(org.body, 4 * HOUR);
      const put = await putCopy(box.server, "cyrus", st.orgHref, moved, { "If-Schedule-Tag-Match": org.tag });
      assert.equal(put.status, 204);
      const newStart = S.propertyValue(moved, "DTSTART");
      const att = await getCopy(box.server, "wilfredo", st.attHref);
      assert.equal(S.propertyValue(att.body, "DTSTART"), newStart, "the reschedule reached wilfredo");
      assert.notEqual(att.tag, st.attTag1, "a consequential change gives a new tag (attendee rule 1)");

      const stale = S.setPartstat(st.attBody1, W(), "DECLINED");
      const late = await putCopy(box.server, "wilfredo", st.attHref, stale, { "If-Schedule-Tag-Match": st.attTag1 });
      assert.equal(late.status, 412);
      const after = await getCopy(box.server, "wilfredo", st.attHref);
      assert.equal(S.propertyValue(after.body, "DTSTART"), newStart, "the stale copy was not stored");
      assert.notEqual(S.partstatOf(S.attendeeLine(after.body, W())), "DECLINED");
      const orgAfter = await getCopy(box.server, "cyrus", st.orgHref);
      assert.notEqual(S.partstatOf(S.attendeeLine(orgAfter.body, W())), "DECLINED", "no stale reply reached the organizer");
    });

    it("wilfredo re-accepts the new time with the current tag", async () => {
      const att = await getCopy(box.server, "wilfredo", st.attHref);
      const transp = att.body.match(/^TRANSP[;:]/gm) ?? [];
      assert.equal(transp.length, expect.transpAfterUpdate, "TRANSP properties in the updated copy");
      const put = await putCopy(box.server, "wilfredo", st.attHref, S.setPartstat(att.body, W(), "ACCEPTED"), {
        "If-Schedule-Tag-Match": att.tag,
      });
      if (expect.transpAfterUpdate > 1) {
        // Cyrus refuses the copy it produced itself; a client must drop the duplicate
        assert.equal(put.status, 403);
        assert.match(put.body, /valid-calendar-data/);
        const deduped = S.joinLines(S.unfoldLines(S.setPartstat(att.body, W(), "ACCEPTED")).filter((l, i, all) => !/^TRANSP[;:]/.test(l) || all.findIndex((x) => /^TRANSP[;:]/.test(x)) === i));
        const retry = await putCopy(box.server, "wilfredo", st.attHref, deduped, { "If-Schedule-Tag-Match": att.tag });
        assert.equal(retry.status, 204, "accepted once the duplicate TRANSP is gone");
      } else {
        assert.equal(put.status, 204);
      }
      const org = await getCopy(box.server, "cyrus", st.orgHref);
      assert.equal(S.partstatOf(S.attendeeLine(org.body, W())), "ACCEPTED", "the organizer sees the new acceptance");
    });
  });
}

describe("cyrus without the shim: the stock Schedule-Tag bug", { skip: skipUnless("cyrus-stock") }, () => {
  const box = useServer("cyrus-stock");

  it("listens on loopback only", () => assertLoopbackOnly(box.server));

  it("runs without the fix", () => {
    assert.equal(box.server.scheduleTagFix, "0");
  });

  it("after the first update every tag is SHA1(UID), so a stale tag is accepted", async () => {
    const server = box.server;
    const W = server.address("wilfredo");
    const { uid, href: orgHref, res } = await invite(server, "stock");
    assert.equal(res.status, 201);
    const attHref = await S.findCopy(server, "wilfredo", uid);
    assert.ok(attHref);
    const att0 = await getCopy(server, "wilfredo", attHref);
    const put = await putCopy(server, "wilfredo", attHref, S.setPartstat(att0.body, W, "ACCEPTED"), {
      "If-Schedule-Tag-Match": att0.tag,
    });
    assert.equal(put.status, 204);
    const att1 = await getCopy(server, "wilfredo", attHref);
    const sha1Uid = `"${createHash("sha1").update(uid).digest("hex")}"`;
    assert.equal(att1.tag, sha1Uid, "the stored tag is SHA1(UID)");
    assert.notEqual(att1.tag, put.tag, "the PUT answer's tag is not the stored tag");

    // the organizer reschedules: a consequential change that MUST change the tag
    const org = await getCopy(server, "cyrus", orgHref);
    const moved = S.reschedule(org.body, 4 * HOUR);
    const reput = await putCopy(server, "cyrus", orgHref, moved, { "If-Schedule-Tag-Match": org.tag });
    assert.equal(reput.status, 204);
    const att2 = await getCopy(server, "wilfredo", attHref);
    assert.equal(S.propertyValue(att2.body, "DTSTART"), S.propertyValue(moved, "DTSTART"));
    assert.equal(att2.tag, att1.tag, "BUG: the tag did not change");

    // wilfredo's client still holds the pre-reschedule copy and tag: it should get 412
    const stale = await putCopy(server, "wilfredo", attHref, S.setPartstat(att1.body, W, "DECLINED"), {
      "If-Schedule-Tag-Match": att1.tag,
    });
    assert.equal(stale.status, 204, "BUG: the stale tag was accepted");
    const att3 = await getCopy(server, "wilfredo", attHref);
    assert.equal(S.propertyValue(att3.body, "DTSTART"), S.propertyValue(att1.body, "DTSTART"), "BUG: the reschedule was overwritten");
  });
});

describe("radicale: no scheduling, If-Match is the only guard", { skip: skipUnless("radicale") }, () => {
  const box = useServer("radicale");

  it("listens on loopback only", () => assertLoopbackOnly(box.server));

  it("a second start reuses the running server", async () => {
    const again = await S.startServer("radicale");
    assert.equal(again.startedHere, false);
    assert.equal(again.url, box.server.url);
  });

  it("has no calendar-auto-schedule and no Schedule-Tag; If-Match and If-None-Match work", async () => {
    const server = box.server;
    const res = await server.request("cyrus", server.calendar("cyrus"), { method: "OPTIONS" });
    await res.text();
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.headers.get("dav") ?? "", /calendar-auto-schedule/);

    const { uid, href, res: created } = await invite(server, "fallback");
    assert.equal(created.status, 201);
    assert.equal(created.headers.get("schedule-tag"), null);
    const got = await getCopy(server, "cyrus", href);
    assert.equal(got.status, 200);
    assert.ok(got.etag);
    assert.equal(got.tag, null, "no Schedule-Tag");
    assert.equal(await S.findCopy(server, "wilfredo", uid, 0), null, "nothing was delivered to wilfredo");

    const dup = await putCopy(server, "cyrus", href, got.body, { "If-None-Match": "*" });
    assert.equal(dup.status, 412, "If-None-Match: * on an existing resource");

    const edited = S.setProperty(got.body, "SUMMARY", "Lunch (moved)");
    const ok = await putCopy(server, "cyrus", href, edited, { "If-Match": got.etag });
    assert.ok(ok.status === 201 || ok.status === 204, `If-Match current: ${ok.status}`);
    const stale = await putCopy(server, "cyrus", href, got.body, { "If-Match": got.etag });
    assert.equal(stale.status, 412, "If-Match stale");
    const ignored = await putCopy(server, "cyrus", href, edited, { "If-Schedule-Tag-Match": '"no-such-tag"' });
    assert.ok(ignored.status === 201 || ignored.status === 204, `If-Schedule-Tag-Match is ignored: ${ignored.status}`);
  });
});
