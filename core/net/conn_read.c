/*
 * Reading a stream connection: cutting the bytes in a bufferevent's
 * input into frames with sip_msg_frame (RFC 3261 §18.3), each message
 * handed to receive.c, each "\r\n\r\n" ping answered "\r\n" (RFC 5626
 * §3.5.1). The connection's sip_frame_state remembers how far the header
 * section was scanned and, once known, the frame's length, so bytes that
 * trickle in are scanned once and a body on its way costs nothing.
 * Owns nothing: the input belongs to the bufferevent.
 */
#include <errno.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "net_int.h"

/* A frame was consumed; more may follow. */
#define FRAME_NEXT 0

static int conn_keepalive(struct net_conn *conn, size_t len)
{
	struct net_stats *s = &conn->net->stats;

	s->keepalives_in++;
	if (len != 4)
		return FRAME_NEXT; /* a pong, or padding between messages */
	if (net_conn_write(conn, "\r\n", 2)) {
		net_conn_close(conn, NET_CLOSE_OVERFLOW, ENOBUFS);
		return ECONNABORTED;
	}
	s->keepalives_answered++;
	return FRAME_NEXT;
}

/*
 * Frames and consumes one message or keep-alive. Returns FRAME_NEXT,
 * EAGAIN when more bytes are needed, or ECONNABORTED when the connection
 * was closed (and freed).
 */
static int conn_frame_one(struct net_conn *conn, struct evbuffer *in)
{
	const struct sip_limits *limits = &conn->net->cfg.limits;
	size_t len = evbuffer_get_length(in), want, frame_len;
	struct sip_parse_error err;
	enum sip_frame_kind kind;
	const char *data;
	int rc;

	/* A body still on its way: nothing to scan, nothing to pull up. */
	if (len == 0 || len < conn->frame.frame_len)
		return EAGAIN;
	/* Only as much as one frame can span; frame_len once it is known. */
	want = conn->frame.frame_len
		   ? conn->frame.frame_len
		   : (len < limits->max_message ? len : limits->max_message);
	if (!(data = (const char *)evbuffer_pullup(in, (ev_ssize_t)want))) {
		net_conn_close(conn, NET_CLOSE_ERROR, ENOMEM);
		return ECONNABORTED;
	}
	rc = sip_msg_frame(limits, &conn->frame, data, want, &kind, &frame_len,
			   &err);
	if (rc == EAGAIN)
		return EAGAIN;
	if (rc) {
		/* No resync is possible in a stream (RFC 3261 §18.3). */
		net_conn_close(conn, NET_CLOSE_FRAMING, EPROTO);
		return ECONNABORTED;
	}
	if (kind == SIP_FRAME_KEEPALIVE) {
		rc = conn_keepalive(conn, frame_len);
		if (rc == ECONNABORTED)
			return rc;
	} else {
		/* The callee cannot close this connection: none of the
		 * paths a receive callback may take (net_send) closes one. */
		net_receive(conn->net, data, frame_len, &conn->peer);
	}
	evbuffer_drain(in, frame_len);
	return FRAME_NEXT;
}

void net_conn_on_read(struct bufferevent *bev, void *arg)
{
	struct net_conn *conn = arg;
	struct net *net = conn->net;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t len = evbuffer_get_length(in);
	int rc;

	if (len > conn->in_counted)
		net->stats.bytes_in += len - conn->in_counted;
	net_conn_touch(conn);
	while ((rc = conn_frame_one(conn, in)) == FRAME_NEXT)
		;
	if (rc == EAGAIN) {
		len = evbuffer_get_length(in);
		/* Reading stopped at the watermark and no frame fits. */
		if (len >= net->cfg.max_conn_buffer)
			net_conn_close(conn, NET_CLOSE_OVERFLOW, ECONNABORTED);
		else
			conn->in_counted = len;
	}
	net_timers_kick(net);
}
