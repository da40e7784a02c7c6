/*
 * Names of headers and methods: lookup of long and compact header names
 * (RFC 3261 §7.3.3 and the IANA registry's compact forms), the list
 * headers whose values may be split at commas, and method names.
 */
#include <string.h>

#include "sip_int.h"

struct hdr_info {
	const char *name;
	size_t len;
	char compact; /* 0 when none */
	bool list;
};

#define H(name, compact, list)                        \
	{                                             \
		name, sizeof(name) - 1, compact, list \
	}

static const struct hdr_info hdr_table[SIP_HDR_COUNT] = {
	[SIP_HDR_OTHER] = H("", 0, false),
	[SIP_HDR_ACCEPT] = H("Accept", 0, true),
	[SIP_HDR_ACCEPT_CONTACT] = H("Accept-Contact", 'a', true),
	[SIP_HDR_ACCEPT_ENCODING] = H("Accept-Encoding", 0, true),
	[SIP_HDR_ALLOW] = H("Allow", 0, true),
	[SIP_HDR_ALLOW_EVENTS] = H("Allow-Events", 'u', true),
	[SIP_HDR_AUTHORIZATION] = H("Authorization", 0, false),
	[SIP_HDR_CALL_ID] = H("Call-ID", 'i', false),
	[SIP_HDR_CONTACT] = H("Contact", 'm', true),
	[SIP_HDR_CONTENT_DISPOSITION] = H("Content-Disposition", 0, false),
	[SIP_HDR_CONTENT_ENCODING] = H("Content-Encoding", 'e', true),
	[SIP_HDR_CONTENT_LENGTH] = H("Content-Length", 'l', false),
	[SIP_HDR_CONTENT_TYPE] = H("Content-Type", 'c', false),
	[SIP_HDR_CSEQ] = H("CSeq", 0, false),
	[SIP_HDR_DATE] = H("Date", 0, false),
	[SIP_HDR_EVENT] = H("Event", 'o', false),
	[SIP_HDR_EXPIRES] = H("Expires", 0, false),
	[SIP_HDR_FROM] = H("From", 'f', false),
	[SIP_HDR_IDENTITY] = H("Identity", 'y', false),
	[SIP_HDR_MAX_FORWARDS] = H("Max-Forwards", 0, false),
	[SIP_HDR_MIN_EXPIRES] = H("Min-Expires", 0, false),
	[SIP_HDR_MIN_SE] = H("Min-SE", 0, false),
	[SIP_HDR_PROXY_AUTHENTICATE] = H("Proxy-Authenticate", 0, false),
	[SIP_HDR_PROXY_AUTHORIZATION] = H("Proxy-Authorization", 0, false),
	[SIP_HDR_PROXY_REQUIRE] = H("Proxy-Require", 0, true),
	[SIP_HDR_RACK] = H("RAck", 0, false),
	[SIP_HDR_RECORD_ROUTE] = H("Record-Route", 0, true),
	[SIP_HDR_REFER_TO] = H("Refer-To", 'r', false),
	[SIP_HDR_REFERRED_BY] = H("Referred-By", 'b', false),
	[SIP_HDR_REJECT_CONTACT] = H("Reject-Contact", 'j', true),
	[SIP_HDR_REPLACES] = H("Replaces", 0, false),
	[SIP_HDR_REQUEST_DISPOSITION] = H("Request-Disposition", 'd', true),
	[SIP_HDR_REQUIRE] = H("Require", 0, true),
	[SIP_HDR_RETRY_AFTER] = H("Retry-After", 0, false),
	[SIP_HDR_ROUTE] = H("Route", 0, true),
	[SIP_HDR_RSEQ] = H("RSeq", 0, false),
	[SIP_HDR_SERVER] = H("Server", 0, false),
	[SIP_HDR_SESSION_EXPIRES] = H("Session-Expires", 'x', false),
	[SIP_HDR_SUBJECT] = H("Subject", 's', false),
	[SIP_HDR_SUBSCRIPTION_STATE] = H("Subscription-State", 0, false),
	[SIP_HDR_SUPPORTED] = H("Supported", 'k', true),
	[SIP_HDR_TIMESTAMP] = H("Timestamp", 0, false),
	[SIP_HDR_TO] = H("To", 't', false),
	[SIP_HDR_UNSUPPORTED] = H("Unsupported", 0, true),
	[SIP_HDR_USER_AGENT] = H("User-Agent", 0, false),
	[SIP_HDR_VIA] = H("Via", 'v', true),
	[SIP_HDR_WARNING] = H("Warning", 0, true),
	[SIP_HDR_WWW_AUTHENTICATE] = H("WWW-Authenticate", 0, false),
};

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

/*
 * Equality of a header name read from a message with a table name. Both
 * are tokens, and within the token set OR-ing 0x20 folds exactly the
 * letters' case, so one OR per byte replaces a case conversion.
 */
static bool name_eq(struct tnd_slice a, const char *b)
{
	for (size_t i = 0; i < a.len; i++) {
		if ((a.p[i] | 0x20) != (b[i] | 0x20))
			return false;
	}
	return true;
}

/* The first id whose name starts with each letter; 0 for none. */
static const uint8_t letter_first[26] = {
	['a' - 'a'] = SIP_HDR_ACCEPT,
	['c' - 'a'] = SIP_HDR_CALL_ID,
	['d' - 'a'] = SIP_HDR_DATE,
	['e' - 'a'] = SIP_HDR_EVENT,
	['f' - 'a'] = SIP_HDR_FROM,
	['i' - 'a'] = SIP_HDR_IDENTITY,
	['m' - 'a'] = SIP_HDR_MAX_FORWARDS,
	['p' - 'a'] = SIP_HDR_PROXY_AUTHENTICATE,
	['r' - 'a'] = SIP_HDR_RACK,
	['s' - 'a'] = SIP_HDR_SERVER,
	['t' - 'a'] = SIP_HDR_TIMESTAMP,
	['u' - 'a'] = SIP_HDR_UNSUPPORTED,
	['v' - 'a'] = SIP_HDR_VIA,
	['w' - 'a'] = SIP_HDR_WARNING,
};

/* The ids whose names start with `letter`: [first, end) of the table. */
static bool letter_range(char letter, int *first, int *end)
{
	if (letter < 'a' || letter > 'z' || !letter_first[letter - 'a'])
		return false;
	*first = letter_first[letter - 'a'];
	*end = SIP_HDR_COUNT;
	for (int l = letter - 'a' + 1; l < 26; l++) {
		if (letter_first[l]) {
			*end = letter_first[l];
			break;
		}
	}
	return true;
}

/*
 * The ids are in alphabetical order of their names, so the first letter
 * narrows a lookup to a few entries, and the length to one or two.
 */
enum sip_hdr_id sip_hdr_lookup(struct tnd_slice name)
{
	int id, end;

	if (name.len == 1) {
		for (id = 1; id < SIP_HDR_COUNT; id++) {
			if (hdr_table[id].compact == lower(name.p[0]))
				return (enum sip_hdr_id)id;
		}
		return SIP_HDR_OTHER;
	}
	if (name.len == 0 || !letter_range(lower(name.p[0]), &id, &end))
		return SIP_HDR_OTHER;
	for (; id < end; id++) {
		if (hdr_table[id].len == name.len &&
		    name_eq(name, hdr_table[id].name))
			return (enum sip_hdr_id)id;
	}
	return SIP_HDR_OTHER;
}

const char *sip_hdr_name(enum sip_hdr_id id)
{
	return (id > SIP_HDR_OTHER && id < SIP_HDR_COUNT) ? hdr_table[id].name
							  : "";
}

bool sip_hdr_is_list(enum sip_hdr_id id)
{
	return id > SIP_HDR_OTHER && id < SIP_HDR_COUNT && hdr_table[id].list;
}

static const char *const method_names[] = {
	[SIP_METHOD_UNKNOWN] = "",
	[SIP_METHOD_INVITE] = "INVITE",
	[SIP_METHOD_ACK] = "ACK",
	[SIP_METHOD_BYE] = "BYE",
	[SIP_METHOD_CANCEL] = "CANCEL",
	[SIP_METHOD_OPTIONS] = "OPTIONS",
	[SIP_METHOD_REGISTER] = "REGISTER",
	[SIP_METHOD_PRACK] = "PRACK",
	[SIP_METHOD_UPDATE] = "UPDATE",
	[SIP_METHOD_INFO] = "INFO",
	[SIP_METHOD_REFER] = "REFER",
	[SIP_METHOD_SUBSCRIBE] = "SUBSCRIBE",
	[SIP_METHOD_NOTIFY] = "NOTIFY",
	[SIP_METHOD_MESSAGE] = "MESSAGE",
	[SIP_METHOD_PUBLISH] = "PUBLISH",
};

enum sip_method sip_method_lookup(struct tnd_slice name)
{
	size_t n = sizeof(method_names) / sizeof(method_names[0]);

	for (size_t m = 1; m < n; m++) {
		if (tnd_slice_eq_cstr(name, method_names[m]))
			return (enum sip_method)m;
	}
	return SIP_METHOD_UNKNOWN;
}

const char *sip_method_name(enum sip_method m)
{
	size_t n = sizeof(method_names) / sizeof(method_names[0]);

	return (size_t)m < n ? method_names[m] : "";
}
