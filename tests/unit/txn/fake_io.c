/*
 * The fakes of fake_io.h: a recording transport with injectable send
 * failures, a recording TU, an event recorder, one-line summaries of
 * what each recorded, and the environment that ties them to a layer on
 * the manual clock. Recorded copies live in plain malloc blocks so that
 * the harness's allocation counting and failure injection see only the
 * code under test; parsed messages go through util/mem and are freed
 * with the environment, before the harness counts leaks.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_io.h"

/* ---- summaries ---------------------------------------------------------- */

/* Appends a space-separated token to buf (kept NUL-terminated). */
static void append_token(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void append_token(char *buf, size_t size, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used > 0 && used + 1 < size) {
		buf[used++] = ' ';
		buf[used] = '\0';
	}
	if (used + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}

static unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

/* ---- transport ---------------------------------------------------------- */

static int fake_io_send(void *arg, const struct net_peer *to, const char *data,
			size_t len)
{
	struct fake_io *io = arg;
	struct fake_send *s;

	if (io->nsends == FAKE_MAX) {
		io->overflow = true;
		return ENOBUFS;
	}
	s = &io->sends[io->nsends++];
	memset(s, 0, sizeof(*s));
	s->data = malloc(len + 1);
	if (s->data) {
		memcpy(s->data, data, len);
		s->data[len] = '\0';
		s->len = len;
	}
	s->to = *to;
	s->at_ms = tnd_timers_now(io->timers);
	if (io->fail_count > 0) {
		io->fail_count--;
		s->error = io->fail_errno;
		return s->error;
	}
	return 0;
}

/* Records the name beside the send, then sends as fake_io_send does. */
static int fake_io_send_named(void *arg, const struct net_peer *to,
			      const char *name, const char *data, size_t len)
{
	struct fake_io *io = arg;
	int rc = fake_io_send(arg, to, data, len);

	if (io->nsends && !io->overflow)
		snprintf(io->sends[io->nsends - 1].name,
			 sizeof(io->sends[0].name), "%s", name);
	return rc;
}

struct txn_io fake_io_ops(struct fake_io *io)
{
	return (struct txn_io){ .send = fake_io_send,
				.arg = io,
				.send_named = fake_io_send_named };
}

void fake_io_fail_next(struct fake_io *io, unsigned count, int err)
{
	io->fail_count = count;
	io->fail_errno = err;
}

/* "INVITE" for a request, "486" for a response. */
static void send_kind(const struct fake_send *s, char *out, size_t size)
{
	const char *p = s->data ? s->data : "?";
	size_t n;

	if (strncmp(p, "SIP/2.0 ", 8) == 0)
		p += 8;
	n = strcspn(p, " \r\n");
	snprintf(out, size, "%.*s", (int)n, p);
}

const char *fake_io_summary(const struct fake_io *io, char *buf, size_t size)
{
	char kind[32];

	buf[0] = '\0';
	for (size_t i = 0; i < io->nsends; i++) {
		send_kind(&io->sends[i], kind, sizeof(kind));
		append_token(buf, size, "%s@%llu%s", kind,
			     ull(io->sends[i].at_ms),
			     io->sends[i].error ? "!" : "");
	}
	if (io->overflow)
		append_token(buf, size, "(overflow)");
	return buf;
}

const char *fake_io_line(const struct fake_io *io, size_t i, char *buf,
			 size_t size)
{
	const char *p =
	    i < io->nsends && io->sends[i].data ? io->sends[i].data : "";

	snprintf(buf, size, "%.*s", (int)strcspn(p, "\r\n"), p);
	return buf;
}

int fake_io_parse(const struct fake_io *io, size_t i, struct sip_msg **out)
{
	int rc;

	*out = NULL;
	if (i >= io->nsends || !io->sends[i].data)
		return EINVAL;
	rc =
	    sip_msg_parse(NULL, io->sends[i].data, io->sends[i].len, out, NULL);
	if (rc != 0 && *out) {
		sip_msg_free(*out);
		*out = NULL;
	}
	return rc;
}

void fake_io_clear(struct fake_io *io)
{
	for (size_t i = 0; i < io->nsends; i++) {
		free(io->sends[i].data);
		sip_msg_free(io->sends[i].parsed);
	}
	io->nsends = 0;
}

/* ---- events ------------------------------------------------------------- */

void fake_events_fn(struct txn *t, const struct txn_event *ev, void *arg)
{
	struct fake_events *rec = arg;
	struct fake_event *r;
	const char *state = txn_state_name(t);

	if (rec->n == FAKE_MAX) {
		rec->overflow = true;
		return;
	}
	r = &rec->ev[rec->n++];
	memset(r, 0, sizeof(*r));
	r->kind = ev->kind;
	r->t = t;
	r->at_ms = tnd_timers_now(rec->timers);
	r->error = ev->error;
	snprintf(r->state, sizeof(r->state), "%s", state ? state : "(null)");
	if (ev->kind == TXN_EV_RESPONSE && ev->msg) {
		r->status = ev->msg->status;
		r->method = ev->msg->cseq.method;
	}
}

const char *fake_events_summary(const struct fake_events *rec, char *buf,
				size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < rec->n; i++) {
		const struct fake_event *r = &rec->ev[i];
		unsigned long long at = ull(r->at_ms);

		switch (r->kind) {
		case TXN_EV_RESPONSE:
			append_token(buf, size, "%u@%llu", r->status, at);
			break;
		case TXN_EV_TIMEOUT:
			append_token(buf, size, "timeout@%llu", at);
			break;
		case TXN_EV_TRANSPORT_ERROR:
			append_token(buf, size, "error@%llu", at);
			break;
		case TXN_EV_TERMINATED:
			append_token(buf, size, "terminated@%llu", at);
			break;
		default:
			append_token(buf, size, "kind%d@%llu", (int)r->kind,
				     at);
		}
	}
	if (rec->overflow)
		append_token(buf, size, "(overflow)");
	return buf;
}

/* ---- transaction user --------------------------------------------------- */

static void record_text(struct fake_request *r, const struct sip_msg *req)
{
	size_t size = sip_msg_print_size(req) + 1;

	r->text = malloc(size);
	if (!r->text)
		return;
	if (sip_msg_print(req, r->text, size, &r->len) != 0 || r->len >= size) {
		free(r->text);
		r->text = NULL;
		r->len = 0;
		return;
	}
	r->text[r->len] = '\0';
}

static void fake_tu_on_request(void *arg, struct txn *st,
			       const struct sip_msg *req,
			       const struct net_peer *from)
{
	struct fake_tu *tu = arg;
	struct fake_request *r;

	if (tu->nreqs == FAKE_MAX) {
		tu->overflow = true;
		return;
	}
	r = &tu->reqs[tu->nreqs++];
	memset(r, 0, sizeof(*r));
	r->st = st;
	r->st_null = st == NULL;
	r->from = *from;
	r->at_ms = tnd_timers_now(tu->timers);
	snprintf(r->method, sizeof(r->method), "%.*s",
		 TND_SLICE_FMT(req->method_name));
	record_text(r, req);
	if (st && tu->bind)
		txn_set_handler(st, fake_events_fn, tu->bind);
	if (tu->hook)
		tu->hook(tu->hook_arg, st, req);
}

struct txn_tu fake_tu_ops(struct fake_tu *tu)
{
	return (struct txn_tu){ .on_request = fake_tu_on_request, .arg = tu };
}

const char *fake_tu_summary(const struct fake_tu *tu, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < tu->nreqs; i++)
		append_token(buf, size, "%s%s@%llu", tu->reqs[i].method,
			     tu->reqs[i].st_null ? "(no st)" : "",
			     ull(tu->reqs[i].at_ms));
	if (tu->overflow)
		append_token(buf, size, "(overflow)");
	return buf;
}

void fake_tu_clear(struct fake_tu *tu)
{
	for (size_t i = 0; i < tu->nreqs; i++) {
		free(tu->reqs[i].text);
		sip_msg_free(tu->reqs[i].parsed);
	}
	tu->nreqs = 0;
}

/* ---- peers and messages ------------------------------------------------- */

struct net_peer fake_peer(enum net_transport transport, uint16_t port)
{
	struct net_peer p;
	struct sockaddr_in sin;

	memset(&p, 0, sizeof(p));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memcpy(&p.addr, &sin, sizeof(sin));
	p.addrlen = sizeof(sin);
	p.transport = transport;
	p.conn = transport == NET_UDP ? 0 : port;
	return p;
}

bool fake_peer_is(const struct net_peer *p, enum net_transport transport,
		  uint16_t port)
{
	struct net_peer want = fake_peer(transport, port);
	struct sockaddr_in got;

	if (p->transport != transport || p->addrlen != want.addrlen ||
	    p->conn != want.conn)
		return false;
	memcpy(&got, &p->addr, sizeof(got));
	return got.sin_family == AF_INET && got.sin_port == htons(port) &&
	       got.sin_addr.s_addr == htonl(INADDR_LOOPBACK);
}

struct net_peer fake_peer_uac(enum net_transport transport)
{
	return fake_peer(transport, FAKE_UAC_PORT);
}

struct net_peer fake_peer_uas(enum net_transport transport)
{
	return fake_peer(transport, FAKE_UAS_PORT);
}

static int fake_vmsg(struct sip_msg **out, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static int fake_vmsg(struct sip_msg **out, const char *fmt, va_list ap)
{
	char text[4096];
	int n = vsnprintf(text, sizeof(text), fmt, ap);
	int rc;

	*out = NULL;
	if (n < 0 || (size_t)n >= sizeof(text))
		return EINVAL;
	rc = sip_msg_parse(NULL, text, (size_t)n, out, NULL);
	if (rc != 0 && *out) {
		sip_msg_free(*out);
		*out = NULL;
	}
	return rc;
}

int fake_msg(struct sip_msg **out, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = fake_vmsg(out, fmt, ap);
	va_end(ap);
	return rc;
}

int fake_reparse(const struct sip_msg *msg, struct sip_msg **out)
{
	size_t size = sip_msg_print_size(msg) + 1, len = 0;
	char *text = malloc(size);
	int rc;

	*out = NULL;
	if (!text)
		return ENOMEM;
	rc = sip_msg_print(msg, text, size, &len);
	if (rc == 0)
		rc = sip_msg_parse(NULL, text, len, out, NULL);
	if (rc != 0 && *out) {
		sip_msg_free(*out);
		*out = NULL;
	}
	free(text);
	return rc;
}

/* ---- the environment ---------------------------------------------------- */

static int fake_env_init(struct fake_env *e)
{
	memset(e, 0, sizeof(*e));
	tnd_timers_init_manual(&e->timers, 0);
	e->io.timers = &e->timers;
	e->tu.timers = &e->timers;
	e->ev.timers = &e->timers;
	e->tu.bind = &e->ev;
	return txn_layer_new(&txn_config_default, &e->timers,
			     fake_io_ops(&e->io), fake_tu_ops(&e->tu),
			     &e->layer);
}

static void fake_env_free(struct fake_env *e)
{
	if (e->layer)
		txn_layer_free(e->layer);
	e->layer = NULL;
	fake_io_clear(&e->io);
	fake_tu_clear(&e->tu);
}

int fake_env_run(int (*body)(struct fake_env *e))
{
	struct fake_env *e = calloc(1, sizeof(*e));
	int rc;

	if (!e)
		return ENOMEM;
	rc = fake_env_init(e);
	if (rc == 0)
		rc = body(e);
	fake_env_free(e);
	free(e);
	return rc;
}

int fake_env_run_with(int (*body)(struct fake_env *e, void *arg), void *arg)
{
	struct fake_env *e = calloc(1, sizeof(*e));
	int rc;

	if (!e)
		return ENOMEM;
	rc = fake_env_init(e);
	if (rc == 0)
		rc = body(e, arg);
	fake_env_free(e);
	free(e);
	return rc;
}

void fake_until(struct fake_env *e, uint64_t at_ms)
{
	uint64_t now = tnd_timers_now(&e->timers);

	tnd_timers_advance(&e->timers, at_ms > now ? at_ms - now : 0);
	/* Timers due now (a zero delay started at this instant). */
	tnd_timers_run(&e->timers);
}

struct txn_stats fake_stats(struct fake_env *e)
{
	struct txn_stats s;

	memset(&s, 0, sizeof(s));
	txn_layer_stats(e->layer, &s);
	return s;
}

uint64_t fake_live(struct fake_env *e, enum txn_kind kind)
{
	return fake_stats(e).live[kind];
}

int fake_receive(struct fake_env *e, const struct net_peer *from,
		 const char *fmt, ...)
{
	struct sip_msg *msg;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = fake_vmsg(&msg, fmt, ap);
	va_end(ap);
	if (rc == 0)
		txn_layer_receive(e->layer, msg, from);
	return rc;
}

int fake_start(struct fake_env *e, const struct net_peer *to,
	       struct fake_events *rec, struct txn **out, const char *fmt, ...)
{
	struct sip_msg *req;
	va_list ap;
	int rc;

	*out = NULL;
	va_start(ap, fmt);
	rc = fake_vmsg(&req, fmt, ap);
	va_end(ap);
	if (rc != 0)
		return rc;
	return txn_client_start(e->layer, req, to, fake_events_fn, rec, out);
}

/*
 * The peer's copy of client transaction ct's request: the last one sent
 * with its branch (a lingering transaction has let its own go).
 */
static const struct sip_msg *peer_copy(struct fake_env *e, const struct txn *ct)
{
	for (size_t i = e->io.nsends; i-- > 0;) {
		const struct sip_msg *m = fake_sent(e, i);

		if (m && m->is_request && m->method != SIP_METHOD_ACK &&
		    tnd_slice_eq(m->via.branch, txn_branch(ct)))
			return m;
	}
	return NULL;
}

int fake_reply(struct fake_env *e, const struct txn *ct, uint16_t status,
	       const char *to_tag)
{
	const struct sip_msg *req =
	    txn_request(ct) ? txn_request(ct) : peer_copy(e, ct);
	struct sip_msg *built, *res;
	struct net_peer from;
	int rc;

	if (!req)
		return ENOENT;
	rc = sip_msg_response_new(req, status, NULL,
				  tnd_slice_from_cstr(to_tag), &built);
	if (rc != 0)
		return rc;
	rc = fake_reparse(built, &res);
	sip_msg_free(built);
	if (rc != 0)
		return rc;
	from = fake_peer_uas(tnd_slice_caseeq_cstr(req->via.transport, "TCP")
				 ? NET_TCP
				 : NET_UDP);
	txn_layer_receive(e->layer, res, &from);
	return 0;
}

int fake_respond(struct txn *st, uint16_t status, const char *to_tag)
{
	struct sip_msg *res;
	int rc;

	if (!txn_request(st))
		return EPROTO; /* answered, and lingering: as the TU finds it */
	rc = sip_msg_response_new(txn_request(st), status, NULL,
				  tnd_slice_from_cstr(to_tag), &res);
	if (rc != 0)
		return rc;
	return txn_server_respond(st, res);
}

const struct sip_msg *fake_sent(struct fake_env *e, size_t i)
{
	if (i >= e->io.nsends)
		return NULL;
	if (!e->io.sends[i].parsed)
		fake_io_parse(&e->io, i, &e->io.sends[i].parsed);
	return e->io.sends[i].parsed;
}

const struct sip_msg *fake_tu_request(struct fake_env *e, size_t i)
{
	struct fake_request *r = i < e->tu.nreqs ? &e->tu.reqs[i] : NULL;

	if (!r || !r->text)
		return NULL;
	if (!r->parsed &&
	    sip_msg_parse(NULL, r->text, r->len, &r->parsed, NULL) != 0) {
		sip_msg_free(r->parsed);
		r->parsed = NULL;
	}
	return r->parsed;
}

/* ---- checks ------------------------------------------------------------- */

bool fake_text_is(const char *file, int line, const char *what, const char *got,
		  const char *want)
{
	if (got && want && strcmp(got, want) == 0)
		return true;
	test_fail(file, line, "%s \"%s\", want \"%s\"", what,
		  got ? got : "(null)", want ? want : "(null)");
	return false;
}
