/*
 * The scanner under every SIP parser: character classes of RFC 3261 §25.1,
 * whitespace with line folding, tokens, words, quoted strings, numbers and
 * generic parameters. Bounded by the slice it scans; never allocates.
 */
#include <errno.h>

#include "sip_int.h"

#define T  (SIP_CC_TOKEN | SIP_CC_WORD)
#define W  SIP_CC_WORD
#define D  (SIP_CC_DIGIT | SIP_CC_HEX | T | SIP_CC_UNRESERVED)
#define H  (SIP_CC_ALPHA | SIP_CC_HEX | T | SIP_CC_UNRESERVED)
#define A  (SIP_CC_ALPHA | T | SIP_CC_UNRESERVED)
#define M  (T | SIP_CC_UNRESERVED) /* mark that is also a token char */
#define MW (W | SIP_CC_UNRESERVED) /* mark that is only a word char: ( ) */
#define S  SIP_CC_WS

const uint8_t sip_cc[256] = {
	['\t'] = S, [' '] = S,  ['!'] = M, ['"'] = W, ['%'] = T, ['\''] = M,
	['('] = MW, [')'] = MW, ['*'] = M, ['+'] = T, ['-'] = M, ['.'] = M,
	['/'] = W,  ['0'] = D,  ['1'] = D, ['2'] = D, ['3'] = D, ['4'] = D,
	['5'] = D,  ['6'] = D,  ['7'] = D, ['8'] = D, ['9'] = D, [':'] = W,
	['<'] = W,  ['>'] = W,  ['?'] = W, ['A'] = H, ['B'] = H, ['C'] = H,
	['D'] = H,  ['E'] = H,  ['F'] = H, ['G'] = A, ['H'] = A, ['I'] = A,
	['J'] = A,  ['K'] = A,  ['L'] = A, ['M'] = A, ['N'] = A, ['O'] = A,
	['P'] = A,  ['Q'] = A,  ['R'] = A, ['S'] = A, ['T'] = A, ['U'] = A,
	['V'] = A,  ['W'] = A,  ['X'] = A, ['Y'] = A, ['Z'] = A, ['['] = W,
	['\\'] = W, [']'] = W,  ['_'] = M, ['`'] = T, ['a'] = H, ['b'] = H,
	['c'] = H,  ['d'] = H,  ['e'] = H, ['f'] = H, ['g'] = A, ['h'] = A,
	['i'] = A,  ['j'] = A,  ['k'] = A, ['l'] = A, ['m'] = A, ['n'] = A,
	['o'] = A,  ['p'] = A,  ['q'] = A, ['r'] = A, ['s'] = A, ['t'] = A,
	['u'] = A,  ['v'] = A,  ['w'] = A, ['x'] = A, ['y'] = A, ['z'] = A,
	['{'] = W,  ['}'] = W,  ['~'] = M,
};

void sip_scan_lws_slow(struct sip_scan *s)
{
	const char *p = s->p;

	for (;;) {
		if (p < s->end && (*p == ' ' || *p == '\t')) {
			p++;
		} else if (p + 2 < s->end && p[0] == '\r' && p[1] == '\n' &&
			   (p[2] == ' ' || p[2] == '\t')) {
			p += 3;
		} else if (p + 1 < s->end && p[0] == '\n' &&
			   (p[1] == ' ' || p[1] == '\t')) {
			p += 2;
		} else {
			break;
		}
	}
	s->p = p;
}

bool sip_scan_char(struct sip_scan *s, char c)
{
	if (s->p < s->end && *s->p == c) {
		s->p++;
		return true;
	}
	return false;
}

bool sip_scan_sep(struct sip_scan *s, char c)
{
	const char *save = s->p;

	sip_scan_lws(s);
	if (!sip_scan_char(s, c)) {
		s->p = save;
		return false;
	}
	sip_scan_lws(s);
	return true;
}

bool sip_scan_class(struct sip_scan *s, uint8_t cls, struct tnd_slice *out)
{
	const char *p = s->p;

	while (p < s->end && sip_cc_is(*p, cls))
		p++;
	if (p == s->p)
		return false;
	if (out)
		*out = (struct tnd_slice){ s->p, (size_t)(p - s->p) };
	s->p = p;
	return true;
}

bool sip_scan_token(struct sip_scan *s, struct tnd_slice *out)
{
	return sip_scan_class(s, SIP_CC_TOKEN, out);
}

bool sip_scan_word(struct sip_scan *s, struct tnd_slice *out)
{
	return sip_scan_class(s, SIP_CC_WORD, out);
}

bool sip_scan_quoted(struct sip_scan *s, struct tnd_slice *inner)
{
	const char *p = s->p;

	if (p >= s->end || *p != '"')
		return false;
	p++;
	while (p < s->end) {
		char c = *p;

		if (c == '"') {
			if (inner)
				*inner = (struct tnd_slice){
					s->p + 1, (size_t)(p - s->p - 1)
				};
			s->p = p + 1;
			return true;
		}
		if (c == '\\') {
			/* quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F) */
			if (p + 1 >= s->end || p[1] == '\r' || p[1] == '\n' ||
			    (unsigned char)p[1] > 0x7f)
				return false;
			p += 2;
			continue;
		}
		if (c == '\r' || c == '\n') {
			/* Only a fold may break a quoted string's line. */
			struct sip_scan fold = { s->start, p, s->end };

			sip_scan_lws(&fold);
			if (fold.p == p)
				return false;
			p = fold.p;
			continue;
		}
		/* qdtext (RFC 3261 §25.1): no controls but HTAB, no bare DEL */
		if (((unsigned char)c < 0x20 && c != '\t') || c == 0x7f)
			return false;
		p++;
	}
	return false;
}

int sip_scan_uint(struct sip_scan *s, uint32_t max, uint32_t *out)
{
	struct tnd_slice digits;
	int rc;

	if (!sip_scan_class(s, SIP_CC_DIGIT, &digits))
		return EINVAL;
	rc = tnd_slice_to_u32(digits, max, out);
	if (rc)
		s->p = digits.p;
	return rc;
}

struct tnd_slice sip_scan_rest(struct sip_scan *s)
{
	const char *e = s->end;

	while (e > s->p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
			    e[-1] == '\n'))
		e--;
	return (struct tnd_slice){ s->p, (size_t)(e - s->p) };
}

int sip_scan_fail(const struct sip_scan *s, struct sip_parse_error *err,
		  const char *what)
{
	return sip_parse_fail(err, 400, what, sip_scan_offset(s));
}

/*
 * gen-value = token / host / quoted-string. A host may be a bracketed IPv6
 * reference, and RFC 5118 §4.5 asks us to take an unbracketed IPv6 address
 * too (received=2001:db8::9:255), which is no token.
 */
static bool scan_gen_value(struct sip_scan *s)
{
	struct tnd_slice host;
	enum sip_host_type type;
	const char *start = s->p;

	if (sip_scan_quoted(s, NULL))
		return true;
	if (sip_scan_peek(s, '['))
		return sip_scan_host(s, &host, &type);
	if (!sip_scan_token(s, NULL) && !sip_scan_peek(s, ':'))
		return false;
	if (!sip_scan_peek(s, ':'))
		return true;
	while (!sip_scan_eof(s) &&
	       (sip_cc_is(*s->p, SIP_CC_HEX) || *s->p == ':' || *s->p == '.'))
		s->p++;
	if (sip_is_ipv6((struct tnd_slice){ start, (size_t)(s->p - start) }))
		return true;
	s->p = start;
	return false;
}

int sip_scan_params(struct sip_scan *s, struct tnd_slice *region,
		    struct sip_parse_error *err)
{
	const char *first = NULL, *last = s->p;

	for (;;) {
		const char *save = s->p;

		if (!sip_scan_sep(s, ';')) {
			s->p = save;
			break;
		}
		if (!first)
			first = save;
		if (!sip_scan_token(s, NULL))
			return sip_scan_fail(s, err,
					     "Empty or malformed parameter");
		if (sip_scan_sep(s, '=') && !scan_gen_value(s))
			return sip_scan_fail(s, err,
					     "Malformed parameter value");
		last = s->p;
	}
	if (region) {
		if (first) {
			while (*first != ';')
				first++; /* region starts at the ';' itself */
			*region =
			    (struct tnd_slice){ first, (size_t)(last - first) };
		} else {
			*region = TND_SLICE_NULL;
		}
	}
	return 0;
}

bool sip_is_ipv4(struct tnd_slice text)
{
	struct sip_scan s;

	sip_scan_init(&s, text);
	for (int part = 0; part < 4; part++) {
		uint32_t v;
		struct tnd_slice digits;

		if (part && !sip_scan_char(&s, '.'))
			return false;
		if (!sip_scan_class(&s, SIP_CC_DIGIT, &digits) ||
		    digits.len > 3 || tnd_slice_to_u32(digits, 255, &v))
			return false;
	}
	return sip_scan_eof(&s);
}

/*
 * RFC 5118 §4.10: RFC 3261's ABNF let "::" be followed by ":" IPv4address
 * ("2001:db8:::192.0.2.1"). Tolerate that on input, and only that: with
 * hex after it ("2001:db8:::1") three colons were never valid. `p` is just
 * past the third colon; `groups` counts those before the "::".
 */
static bool ipv6_three_colon_tail(const char *p, const char *end, int groups)
{
	return sip_is_ipv4((struct tnd_slice){ p, (size_t)(end - p) }) &&
	       groups + 2 < 8;
}

/* IPv6 per RFC 4291 §2.2 with an optional trailing IPv4 part. */
bool sip_is_ipv6(struct tnd_slice text)
{
	const char *p = text.p, *end;
	int groups = 0;
	bool compressed = false;

	/* Before any arithmetic: a flag's value is { NULL, 0 }. */
	if (text.len < 2)
		return false;
	end = p + text.len;
	if (p[0] == ':') {
		if (p[1] != ':')
			return false;
		compressed = true;
		p += 2;
		if (p < end && *p == ':')
			return ipv6_three_colon_tail(p + 1, end, 0);
	}
	while (p < end) {
		const char *g = p;

		while (p < end && sip_cc_is(*p, SIP_CC_HEX) && p - g < 5)
			p++;
		if (p < end && *p == '.') {
			/* IPv4 tail: counts as two groups */
			if (!sip_is_ipv4(
				(struct tnd_slice){ g, (size_t)(end - g) }))
				return false;
			groups += 2;
			p = end;
			break;
		}
		if (p == g || p - g > 4)
			return false;
		groups++;
		if (p == end)
			break;
		if (*p != ':')
			return false;
		p++;
		if (p < end && *p == ':') {
			if (compressed)
				return false;
			compressed = true;
			p++;
			if (p < end && *p == ':')
				return ipv6_three_colon_tail(p + 1, end,
							     groups);
		} else if (p == end) {
			return false; /* a single trailing ':' */
		}
	}
	return compressed ? groups < 8 : groups == 8;
}

bool sip_scan_host(struct sip_scan *s, struct tnd_slice *host,
		   enum sip_host_type *type)
{
	const char *p = s->p;

	if (p < s->end && *p == '[') {
		const char *close = p + 1;

		while (close < s->end && *close != ']')
			close++;
		if (close >= s->end)
			return false;
		struct tnd_slice addr = { p + 1, (size_t)(close - p - 1) };
		if (!sip_is_ipv6(addr))
			return false;
		*host = addr;
		*type = SIP_HOST_IPV6;
		s->p = close + 1;
		return true;
	}
	/* hostname = *( domainlabel "." ) toplabel [ "." ]; IPv4 is a subset */
	while (p < s->end && (sip_cc_is(*p, SIP_CC_ALPHA | SIP_CC_DIGIT) ||
			      *p == '-' || *p == '.'))
		p++;
	if (p == s->p)
		return false;
	struct tnd_slice name = { s->p, (size_t)(p - s->p) };
	if (name.p[0] == '-' || name.p[0] == '.')
		return false;
	*host = name;
	*type = sip_is_ipv4(name) ? SIP_HOST_IPV4 : SIP_HOST_NAME;
	s->p = p;
	return true;
}
