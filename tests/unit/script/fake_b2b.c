/*
 * The fake b2b of fake_b2b.h. Calls and messages are real enough for
 * the script: messages are parsed SIP (header edits apply to them), a
 * call walks the states of b2b.h, and a dial's response lives until the
 * next dial or the end of the call, as the contract says. Each action
 * is recorded as text; hooks fire only when a test asks, never from
 * inside a b2b function (as the real layer promises).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_b2b.h"
#include "tandem/mem.h"
#include "tandem/sip_msg.h"

struct b2b {
	struct b2b_hooks hooks;
};

struct b2b_msg {
	struct sip_msg *sip;
	struct net_peer source;
	bool on_request, on_response; /* handed to that hook */
	bool answered;
};

struct b2b_call {
	uint64_t id;
	enum b2b_call_state state;
	void *user;
	struct b2b_msg *request;
	struct b2b_msg *response; /* the last dial's */
	struct b2b_call *next;
};

const struct b2b_config b2b_config_default = { 500, 4000, 1000 };

static struct b2b_call *calls;
static uint64_t next_id = 1;
static char record[32768];
static size_t record_len;
static const char *fail_fn;
static int fail_err;
static struct tnd_timers *delay_timers;
static uint64_t delay_ms;

static void rec(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void rec(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(record + record_len, sizeof(record) - record_len, fmt,
		      ap);
	va_end(ap);
	if (n > 0 && record_len + (size_t)n + 1 < sizeof(record)) {
		record_len += (size_t)n;
		record[record_len++] = '\n';
		record[record_len] = '\0';
	}
	if (delay_timers)
		delay_timers->manual_now += delay_ms;
}

/* The injected error for `fn`, once. */
static int injected(const char *fn)
{
	int err = 0;

	if (fail_fn && strcmp(fail_fn, fn) == 0) {
		err = fail_err;
		fail_fn = NULL;
	}
	return err;
}

/* "[a, b]" into buf. */
static const char *join(const char *const *items, size_t n, char *buf,
			size_t size)
{
	size_t len = 0;

	len += (size_t)snprintf(buf, size, "[");
	for (size_t i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i ? ", " : "", items[i]);
	if (len < size)
		snprintf(buf + len, size - len, "]");
	return buf;
}

static const char *label(const struct b2b_msg *m, char *buf, size_t size)
{
	if (m->sip->is_request)
		snprintf(buf, size, "%.*s", TND_SLICE_FMT(m->sip->method_name));
	else
		snprintf(buf, size, "%u", m->sip->status);
	return buf;
}

void fake_b2b_fail_next(const char *fn, int err)
{
	fail_fn = fn;
	fail_err = err;
}

void fake_b2b_set_delay(struct tnd_timers *timers, uint64_t ms)
{
	delay_timers = timers;
	delay_ms = ms;
}

const char *fake_b2b_record(void)
{
	return record;
}

bool fake_b2b_recorded(const char *line)
{
	size_t len = strlen(line);

	for (const char *p = record; (p = strstr(p, line)); p++) {
		if ((p == record || p[-1] == '\n') && p[len] == '\n')
			return true;
	}
	/* SCRIPT_TEST_LOG=1: show what was recorded when a line is missing. */
	if (getenv("SCRIPT_TEST_LOG"))
		fprintf(stderr, "-- b2b record:\n%s-- end of record\n", record);
	return false;
}

int fake_b2b_count(const char *prefix)
{
	size_t len = strlen(prefix);
	int n = 0;

	for (const char *p = record; *p; p = strchr(p, '\n') + 1)
		n += strncmp(p, prefix, len) == 0;
	return n;
}

static struct b2b_msg *msg_new(const char *text)
{
	struct b2b_msg *m = tnd_calloc(1, sizeof(*m));
	struct sip_parse_error perr;
	struct sockaddr_in *in;
	int rc;

	if (!m)
		return NULL;
	in = (struct sockaddr_in *)&m->source.addr;
	rc = sip_msg_parse(&sip_limits_default, text, strlen(text), &m->sip,
			   &perr);
	if (rc) {
		if (rc != ENOMEM)
			fprintf(stderr, "fake_b2b: a test message does not "
					"parse\n");
		sip_msg_free(m->sip);
		tnd_free(m);
		return NULL;
	}
	in->sin_family = AF_INET;
	in->sin_port = htons(5062);
	inet_pton(AF_INET, "192.0.2.10", &in->sin_addr);
	m->source.addrlen = sizeof(*in);
	m->source.transport = NET_UDP;
	return m;
}

static void msg_free(struct b2b_msg *m)
{
	if (m) {
		sip_msg_free(m->sip);
		tnd_free(m);
	}
}

static void call_free(struct b2b_call *call)
{
	for (struct b2b_call **pp = &calls; *pp; pp = &(*pp)->next) {
		if (*pp == call) {
			*pp = call->next;
			break;
		}
	}
	msg_free(call->request);
	msg_free(call->response);
	tnd_free(call);
}

void fake_b2b_reset(void)
{
	while (calls)
		call_free(calls);
	next_id = 1;
	record_len = 0;
	record[0] = '\0';
	fail_fn = NULL;
	delay_timers = NULL;
}

struct b2b_call *fake_b2b_invite(const struct b2b_hooks *h, const char *text)
{
	struct b2b_call *call = tnd_calloc(1, sizeof(*call));

	if (!call)
		return NULL;
	call->request = msg_new(text);
	if (!call->request) {
		tnd_free(call);
		return NULL;
	}
	call->id = next_id++;
	call->next = calls;
	calls = call;
	h->on_invite(h->arg, call);
	return call;
}

void fake_b2b_request(const struct b2b_hooks *h, struct b2b_call *call,
		      const char *text)
{
	struct b2b_msg *m = msg_new(text);

	if (!m)
		return;
	m->on_request = true;
	h->on_request(h->arg, call, m);
	msg_free(m);
}

void fake_b2b_response(const struct b2b_hooks *h, struct b2b_call *call,
		       const char *text)
{
	struct b2b_msg *m = msg_new(text);

	if (!m)
		return;
	m->on_response = true;
	h->on_response(h->arg, call, m);
	msg_free(m);
}

void fake_b2b_cancel(const struct b2b_hooks *h, struct b2b_call *call)
{
	call->state = B2B_CALL_ENDED;
	h->on_cancel(h->arg, call);
}

void fake_b2b_dial_done(const struct b2b_hooks *h, struct b2b_call *call,
			bool answered, uint16_t code, const char *reason,
			const char *text)
{
	struct b2b_dial_result r = { answered, code, reason, NULL };

	msg_free(call->response);
	call->response = text ? msg_new(text) : NULL;
	r.response = call->response;
	if (call->state == B2B_CALL_DIALING)
		call->state = answered ? B2B_CALL_ANSWERED : B2B_CALL_NEW;
	h->on_dial_done(h->arg, call, &r);
}

void fake_b2b_hangup(const struct b2b_hooks *h, struct b2b_call *call,
		     const struct b2b_end_info *info)
{
	call->state = B2B_CALL_ENDED;
	h->on_hangup(h->arg, call, info);
	call_free(call);
}

void fake_b2b_set_state(struct b2b_call *call, enum b2b_call_state state)
{
	call->state = state;
}

/* The engine: enough for a test to build one. */
int b2b_new(const struct b2b_config *config, const struct b2b_env *env,
	    const struct b2b_hooks *hooks, struct b2b **out)
{
	(void)config;
	(void)env;
	*out = tnd_calloc(1, sizeof(**out));
	if (!*out)
		return ENOMEM;
	(*out)->hooks = *hooks;
	return 0;
}

void b2b_free(struct b2b *b2b)
{
	tnd_free(b2b);
}

void b2b_set_hooks(struct b2b *b2b, const struct b2b_hooks *hooks)
{
	b2b->hooks = *hooks;
}

void b2b_on_request(void *arg, struct txn *st, const struct sip_msg *req,
		    const struct net_peer *from)
{
	(void)arg;
	(void)st;
	(void)req;
	(void)from;
}

void b2b_shutdown(struct b2b *b2b, void (*done)(void *arg), void *arg)
{
	(void)b2b;
	done(arg);
}

size_t b2b_live_calls(const struct b2b *b2b)
{
	size_t n = 0;

	(void)b2b;
	for (const struct b2b_call *c = calls; c; c = c->next)
		n++;
	return n;
}

enum b2b_call_state b2b_call_state(const struct b2b_call *call)
{
	return call->state;
}

const char *b2b_call_state_name(enum b2b_call_state state)
{
	static const char *const names[] = { "new", "dialing", "answered",
					     "confirmed", "ended" };
	return names[state];
}

uint64_t b2b_call_id(const struct b2b_call *call)
{
	return call->id;
}

struct b2b_msg *b2b_call_request(struct b2b_call *call)
{
	return call->request;
}

void b2b_call_set_user(struct b2b_call *call, void *user)
{
	call->user = user;
}

void *b2b_call_user(const struct b2b_call *call)
{
	return call->user;
}

static const char *opt(const char *s)
{
	return s ? s : "-";
}

int b2b_call_dial(struct b2b_call *call, const struct b2b_dial_opts *o)
{
	char targets[512], headers[512];
	int err = injected("b2b_call_dial");

	rec("b2b_call_dial %llu %s timeout=%u headers=%s from=%s to=%s "
	    "route=%s transport=%s",
	    (unsigned long long)call->id,
	    join(o->targets, o->ntargets, targets, sizeof(targets)),
	    o->timeout_ms,
	    join(o->headers, o->nheaders, headers, sizeof(headers)),
	    opt(o->from), opt(o->to), opt(o->route), opt(o->transport));
	msg_free(call->response);
	call->response = NULL;
	if (err)
		return err;
	if (call->state != B2B_CALL_NEW)
		return EPROTO;
	call->state = B2B_CALL_DIALING;
	return 0;
}

int b2b_call_reply(struct b2b_call *call, uint16_t status, const char *reason,
		   const char *const *headers, size_t nheaders)
{
	char list[512];
	int err = injected("b2b_call_reply");

	rec("b2b_call_reply %llu %u %s %s", (unsigned long long)call->id,
	    status, reason, join(headers, nheaders, list, sizeof(list)));
	if (err)
		return err;
	if (call->state != B2B_CALL_NEW && call->state != B2B_CALL_DIALING)
		return EPROTO;
	call->state = B2B_CALL_ENDED;
	return 0;
}

void b2b_call_hangup(struct b2b_call *call)
{
	rec("b2b_call_hangup %llu", (unsigned long long)call->id);
	call->state = B2B_CALL_ENDED;
}

void b2b_call_script_done(struct b2b_call *call)
{
	rec("b2b_call_script_done %llu", (unsigned long long)call->id);
}

void b2b_call_fail(struct b2b_call *call)
{
	rec("b2b_call_fail %llu", (unsigned long long)call->id);
	call->state = B2B_CALL_ENDED;
}

const struct sip_msg *b2b_msg_sip(const struct b2b_msg *msg)
{
	return msg->sip;
}

const struct net_peer *b2b_msg_source(const struct b2b_msg *msg)
{
	return &msg->source;
}

/* Headers the core owns (b2b.h). */
static bool managed(const char *name)
{
	switch (sip_hdr_lookup(tnd_slice_from_cstr(name))) {
	case SIP_HDR_VIA:
	case SIP_HDR_ROUTE:
	case SIP_HDR_RECORD_ROUTE:
	case SIP_HDR_CALL_ID:
	case SIP_HDR_CSEQ:
	case SIP_HDR_FROM:
	case SIP_HDR_TO:
	case SIP_HDR_CONTACT:
	case SIP_HDR_CONTENT_LENGTH:
	case SIP_HDR_MAX_FORWARDS: return true;
	default: return false;
	}
}

static int edit(const char *fn, struct b2b_msg *msg, const char *name,
		const char *value)
{
	char what[32];
	int err = injected(fn);

	rec("%s %s %s%s%s", fn, label(msg, what, sizeof(what)), name,
	    value ? ": " : "", value ? value : "");
	if (err)
		return err;
	if (managed(name))
		return EPERM;
	if (value && strpbrk(value, "\r\n"))
		return EINVAL;
	if (strcmp(fn, "b2b_msg_set_header") == 0)
		return sip_msg_hdr_set(msg->sip, name,
				       tnd_slice_from_cstr(value));
	if (strcmp(fn, "b2b_msg_add_header") == 0)
		return sip_msg_hdr_add(
		    msg->sip, name, tnd_slice_from_cstr(value), SIP_HDR_APPEND);
	return sip_msg_hdr_remove(msg->sip, name, NULL);
}

int b2b_msg_set_header(struct b2b_msg *msg, const char *name, const char *value)
{
	return edit("b2b_msg_set_header", msg, name, value);
}

int b2b_msg_add_header(struct b2b_msg *msg, const char *name, const char *value)
{
	return edit("b2b_msg_add_header", msg, name, value);
}

int b2b_msg_remove_header(struct b2b_msg *msg, const char *name)
{
	return edit("b2b_msg_remove_header", msg, name, NULL);
}

int b2b_msg_reply(struct b2b_msg *req, uint16_t status, const char *reason,
		  const char *const *headers, size_t nheaders)
{
	char what[32], list[512];
	int err = injected("b2b_msg_reply");

	rec("b2b_msg_reply %s %u %s %s", label(req, what, sizeof(what)), status,
	    reason, join(headers, nheaders, list, sizeof(list)));
	if (err)
		return err;
	if (!req->on_request || req->answered)
		return EPROTO;
	req->answered = status >= 200;
	return 0;
}

int b2b_msg_drop(struct b2b_msg *res)
{
	char what[32];

	rec("b2b_msg_drop %s", label(res, what, sizeof(what)));
	if (!res->on_response || res->sip->status >= 200)
		return EPROTO;
	return 0;
}

int b2b_call_anchor_media(struct b2b_call *call,
			  const struct b2b_media_opts *opts)
{
	int err = injected("b2b_call_anchor_media");

	rec("b2b_call_anchor_media %llu %d %d %u", (unsigned long long)call->id,
	    (int)opts->side[0].srtp, (int)opts->side[1].srtp, opts->timeout_ms);
	return err;
}

size_t b2b_call_media_count(const struct b2b_call *call)
{
	(void)call;
	return 0;
}

bool b2b_call_media_side(const struct b2b_call *call, size_t index,
			 enum media_side side, struct b2b_media_side_info *out)
{
	(void)call;
	(void)index;
	(void)side;
	memset(out, 0, sizeof(*out));
	return false;
}
