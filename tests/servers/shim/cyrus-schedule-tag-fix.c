/*
 * cyrus-schedule-tag-fix.c - LD_PRELOAD work-around for the Schedule-Tag bug
 * of Cyrus IMAP 3.6 (Debian 12 cyrus-caldav), used only by the project's tests.
 *
 * The bug: Cyrus's message_guid_encode() turns a 20-byte GUID into 40 hex
 * digits inside ONE static buffer. caldav_store_resource() (imap/caldav_util.c)
 * keeps that pointer as the resource's new Schedule-Tag, then calls
 * message_guid_encode() again to build the Message-ID header from SHA1(UID).
 * The second call overwrites the first result, so after the first update every
 * stored Schedule-Tag is SHA1(iCalendar UID): the same for every copy and
 * version of the event. An attendee's stale If-Schedule-Tag-Match then still
 * matches and the server accepts a write that should get 412 (RFC 6638 3.2.10).
 *
 * The fix: this library defines message_guid_encode() too. Loaded with
 * LD_PRELOAD, it wins the symbol lookup (httpd and libcyrus_imap call the
 * function through the PLT). Each call writes into the next of a ring of
 * buffers, so a pointer kept by a caller stays valid for the next RING_SLOTS-1
 * calls, which is what caldav_store_resource() assumes.
 *
 * Build: gcc -O2 -shared -fPIC -o cyrus-schedule-tag-fix.so cyrus-schedule-tag-fix.c
 */
#include <stddef.h>

/* Layout of struct message_guid in Cyrus 3.6 lib/message_guid.h. */
enum guid_status_layout { GUID_STATUS_UNKNOWN = -1, GUID_STATUS_NULL = 0, GUID_STATUS_NONNULL = 1 };
#define GUID_BYTES 20
struct message_guid {
    enum guid_status_layout status;
    unsigned char value[GUID_BYTES];
};

#define RING_SLOTS 128
#define HEX_CHARS (2 * GUID_BYTES)

const char *message_guid_encode(const struct message_guid *guid);

const char *message_guid_encode(const struct message_guid *guid)
{
    static char slots[RING_SLOTS][HEX_CHARS + 1];
    static size_t turn;
    static const char digits[16] = {
        '0', '1', '2', '3', '4', '5', '6', '7',
        '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'
    };
    char *out = slots[turn];
    turn = (turn + 1) % RING_SLOTS;

    for (size_t byte = 0; byte < GUID_BYTES; byte++) {
        unsigned char v = guid->value[byte];
        out[2 * byte] = digits[v >> 4];
        out[2 * byte + 1] = digits[v & 0x0f];
    }
    out[HEX_CHARS] = '\0';
    return out;
}
