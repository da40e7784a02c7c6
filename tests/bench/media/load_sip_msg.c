/*
 * Just enough SIP (RFC 3261 §7) for rtp_load to play both phones
 * against tandem over UDP: parsing the start line, the headers a UA
 * echoes or matches on (Via, From, To, Call-ID, CSeq, Contact, in full
 * or compact form, §7.3.3) and the body, as slices into the datagram;
 * building a response from a request; sending; the retransmission
 * timers both phones share; and which call a message belongs to. Not a
 * validating parser: the peer is tandem, whose own tests check it.
 */
#include "rtp_load.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

static struct load_slice trim(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return (struct load_slice){ p, (size_t)(end - p) };
}

static bool name_is(struct load_slice n, const char *full, char compact)
{
	if (n.len == 1)
		return tolower((unsigned char)n.p[0]) == compact;
	return n.len == strlen(full) && !strncasecmp(n.p, full, n.len);
}

static void header(struct load_sip_msg *m, struct load_slice name,
		   struct load_slice v)
{
	if (name_is(name, "Via", 'v')) {
		if (m->nvia < LOAD_SIP_VIAS)
			m->via[m->nvia++] = v;
	} else if (name_is(name, "From", 'f')) {
		m->from = v;
	} else if (name_is(name, "To", 't')) {
		m->to = v;
	} else if (name_is(name, "Call-ID", 'i')) {
		m->call_id = v;
	} else if (name_is(name, "CSeq", '\0')) {
		m->cseq = v;
	} else if (name_is(name, "Contact", 'm')) {
		m->contact = v;
	}
}

static int start_line(const char *p, const char *end, struct load_sip_msg *m)
{
	const char *sp1 = memchr(p, ' ', (size_t)(end - p)), *sp2;

	if (!sp1)
		return EBADMSG;
	if (sp1 - p == 7 && !memcmp(p, "SIP/2.0", 7)) {
		if (end - sp1 < 4)
			return EBADMSG;
		m->status = (unsigned)strtoul(sp1 + 1, NULL, 10);
		return m->status >= 100 && m->status < 700 ? 0 : EBADMSG;
	}
	sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1));
	if (!sp2)
		return EBADMSG;
	m->request = true;
	m->method = (struct load_slice){ p, (size_t)(sp1 - p) };
	m->uri = (struct load_slice){ sp1 + 1, (size_t)(sp2 - sp1 - 1) };
	return 0;
}

int load_sip_parse(const char *buf, size_t len, struct load_sip_msg *m)
{
	const char *p = buf, *end = buf + len;
	bool first = true;

	memset(m, 0, sizeof(*m));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end, *colon;

		if (le > p && le[-1] == '\r')
			le--;
		if (le == p) { /* the empty line: the body follows */
			p = eol ? eol + 1 : end;
			m->body = (struct load_slice){ p, (size_t)(end - p) };
			return first ? EBADMSG : 0;
		}
		if (first) {
			if (start_line(p, le, m))
				return EBADMSG;
			first = false;
		} else if ((colon = memchr(p, ':', (size_t)(le - p))) != NULL) {
			header(m, trim(p, colon), trim(colon + 1, le));
		}
		p = eol ? eol + 1 : end;
	}
	return EBADMSG; /* no end of the headers */
}

/* The URI of a name-addr (inside <>) or of an addr-spec (up to ';'). */
struct load_slice load_sip_nameaddr_uri(struct load_slice v)
{
	const char *lt = memchr(v.p, '<', v.len), *gt, *semi;

	if (lt) {
		gt = memchr(lt, '>', v.len - (size_t)(lt - v.p));
		if (gt)
			return (struct load_slice){ lt + 1,
						    (size_t)(gt - lt - 1) };
	}
	semi = memchr(v.p, ';', v.len);
	return trim(v.p, semi ? semi : v.p + v.len);
}

/* The user part of sip:user@host; empty when there is none. */
struct load_slice load_sip_uri_user(struct load_slice uri)
{
	const char *colon = memchr(uri.p, ':', uri.len), *at;

	if (!colon)
		return (struct load_slice){ uri.p, 0 };
	at = memchr(colon, '@', uri.len - (size_t)(colon - uri.p));
	if (!at)
		return (struct load_slice){ uri.p, 0 };
	return (struct load_slice){ colon + 1, (size_t)(at - colon - 1) };
}

bool load_sip_cseq_is(struct load_slice cseq, const char *method)
{
	const char *p = cseq.p, *end = cseq.p + cseq.len;

	while (p < end && isdigit((unsigned char)*p))
		p++;
	return load_slice_eq(trim(p, end), method);
}

bool load_slice_eq(struct load_slice s, const char *lit)
{
	return s.len == strlen(lit) && !memcmp(s.p, lit, s.len);
}

int load_slice_uint(struct load_slice s, unsigned *out)
{
	unsigned long v = 0;

	if (s.len == 0 || s.len > 9)
		return EINVAL;
	for (size_t i = 0; i < s.len; i++) {
		if (!isdigit((unsigned char)s.p[i]))
			return EINVAL;
		v = v * 10 + (unsigned long)(s.p[i] - '0');
	}
	*out = (unsigned)v;
	return 0;
}

char *load_slice_dup(struct load_slice s)
{
	char *d = malloc(s.len + 1);

	if (d) {
		memcpy(d, s.p, s.len);
		d[s.len] = '\0';
	}
	return d;
}

/* The index of the call a user part or Call-ID ("r<run>c<idx>", up to
 * an '@') names; EINVAL when it is not one of this run's. */
int load_sip_call_of(const struct load_ctx *c, struct load_slice s,
		     unsigned *idx)
{
	const char *at = memchr(s.p, '@', s.len);
	char buf[48];
	unsigned run;

	if (at)
		s.len = (size_t)(at - s.p);
	if (s.len >= sizeof(buf))
		return EINVAL;
	memcpy(buf, s.p, s.len);
	buf[s.len] = '\0';
	if (sscanf(buf, "r%8xc%u", &run, idx) != 2 || run != c->run_id ||
	    *idx >= c->o->calls)
		return EINVAL;
	return 0;
}

/* A response to request m: its Vias, From, To (with ";tag=" tag when
 * tag is given), Call-ID and CSeq, then tail (more headers, the empty
 * line and a body; NULL: no body). Its length, or -1. */
int load_sip_response(const struct load_sip_msg *m, const char *status,
		      const char *tag, const char *tail, char *b)
{
	size_t max = LOAD_SIP_MSG_MAX;
	int n = snprintf(b, max, "SIP/2.0 %s\r\n", status);

	for (unsigned i = 0; i < m->nvia && (size_t)n < max; i++)
		n += snprintf(b + n, max - (size_t)n, "Via: %.*s\r\n",
			      (int)m->via[i].len, m->via[i].p);
	if ((size_t)n >= max)
		return -1;
	n += snprintf(b + n, max - (size_t)n,
		      "From: %.*s\r\nTo: %.*s%s%s\r\nCall-ID: %.*s\r\n"
		      "CSeq: %.*s\r\n%s",
		      (int)m->from.len, m->from.p, (int)m->to.len, m->to.p,
		      tag ? ";tag=" : "", tag ? tag : "", (int)m->call_id.len,
		      m->call_id.p, (int)m->cseq.len, m->cseq.p,
		      tail ? tail : "Content-Length: 0\r\n\r\n");
	return (size_t)n < max ? n : -1;
}

void load_sip_send(struct load_ctx *c, int fd, const struct sockaddr_in *to,
		   const char *msg, int len)
{
	if (len <= 0 || len >= LOAD_SIP_MSG_MAX ||
	    sendto(fd, msg, (size_t)len, 0, (const struct sockaddr *)to,
		   sizeof(*to)) != len)
		c->st.send_err++;
}

/* The next retransmission: T1 doubling (RFC 3261 §17.1.1.2), capped at
 * T2 for BYE and the 2xx (§17.1.2.2, §13.3.1.4). */
void load_sip_retry_arm(struct load_ctx *c, uint64_t *at, uint8_t *tries,
			bool capped)
{
	uint64_t ms = (uint64_t)LOAD_T1_MS << (*tries < 6 ? *tries : 6);

	if (capped && ms > LOAD_T2_MS)
		ms = LOAD_T2_MS;
	*at = c->now + ms * NS_PER_MS;
	(*tries)++;
}

bool load_sip_expired(const struct load_ctx *c, uint64_t since)
{
	return c->now - since >= LOAD_TIMEOUT_MS * NS_PER_MS;
}
