/*
 * Token lists: Require, Proxy-Require, Supported, Unsupported (option-tag
 * lists, RFC 3261 §20.32, §20.29, §20.37, §20.40) and Allow (§20.5).
 * Each element is a token with optional LWS around it; an empty value is
 * an empty list. Splitting at commas is sip_value_next's (params.c); this
 * file checks and searches the elements with the scanner of scan.c.
 */
#include "sip_int.h"

/*
 * The token that makes up list element `item`, LWS around it allowed.
 * The scanner starts at `value` so that a fault's offset is relative to
 * the whole header value; on failure it rests on the fault.
 */
static bool list_item_token(struct tnd_slice value, struct tnd_slice item,
			    struct sip_scan *s, struct tnd_slice *token)
{
	*s = (struct sip_scan){ value.p, item.p, item.p + item.len };
	sip_scan_lws(s);
	if (!sip_scan_token(s, token))
		return false;
	sip_scan_lws(s);
	return sip_scan_eof(s);
}

/* A value of nothing but LWS: "Supported:" with no option tags. */
static bool list_is_empty(struct tnd_slice value)
{
	struct sip_scan s;

	if (value.len == 0)
		return true;
	sip_scan_init(&s, value);
	sip_scan_lws(&s);
	return sip_scan_eof(&s);
}

/*
 * RFC 3261 §25.1 writes Allow and Supported as [ token *(COMMA token) ]:
 * the list may be empty, an element may not (",,", or a comma at either
 * end, is malformed). Require is 1#token there; an empty Require is
 * accepted all the same, as it asks for nothing.
 */
int sip_tokens_check(struct tnd_slice value, struct sip_parse_error *err)
{
	struct sip_scan s;
	struct tnd_slice item, token;
	size_t pos = 0;

	if (list_is_empty(value))
		return 0;
	while (sip_value_next(value, &pos, &item)) {
		if (list_item_token(value, item, &s, &token))
			continue;
		return sip_scan_fail(&s, err,
				     item.len ? "Malformed token in list"
					      : "Empty element in token list");
	}
	return 0;
}

/*
 * RFC 3261 §7.3.1: tokens compare case-insensitively. Methods are
 * case-sensitive (§7.1), so an Allow listing "invite" matches "INVITE"
 * here; that only errs towards trusting what the peer advertised.
 */
bool sip_tokens_contains(struct tnd_slice value, const char *token)
{
	struct sip_scan s;
	struct tnd_slice item, found;
	size_t pos = 0;

	while (sip_value_next(value, &pos, &item)) {
		if (list_item_token(value, item, &s, &found) &&
		    tnd_slice_caseeq_cstr(found, token))
			return true;
	}
	return false;
}
