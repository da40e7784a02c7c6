/*
 * Private to core/b2b's media files: what an anchored call keeps per
 * stream (one per m= line), shared by media.c (life, timeouts, what the
 * script sees) and media_sdp.c (reading and rewriting SDP).
 */
#ifndef TANDEM_B2B_MEDIA_H
#define TANDEM_B2B_MEDIA_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "b2b_int.h"
#include "tandem/sdp_oa.h"

struct b2b_stream {
	struct b2b_call *call;
	struct media_stream *ms; /* NULL until the m= line has a port */
	/* Per enum media_side. */
	bool srtp[2];                  /* that side speaks SRTP */
	uint32_t crypto_tag[2];        /* the a=crypto tag in use there */
	struct media_srtp_key recv[2]; /* the key that side sends with */
	struct media_srtp_key send[2]; /* ours towards it */
	bool peer_mux[2], our_mux[2];  /* a=rtcp-mux in its SDP, in ours */
	bool on_hold[2];               /* its SDP holds the stream */
	bool has_remote[2];            /* its SDP gave an address */
	struct sockaddr_storage rtp[2], rtcp[2];
	socklen_t rtp_len[2], rtcp_len[2];
	bool has_rtcp[2];
};

/* A side's offer/answer state; an answer in a response with CSeq
 * answer_cseq may come again (18x, then 2xx). */
struct b2b_side_oa {
	struct sdp_oa oa;
	bool has_answer_cseq;
	uint32_t answer_cseq;
};

struct b2b_media {
	struct b2b_media_opts opts;
	char why[64]; /* why the last SDP could not be used */
	struct b2b_stream *streams;
	size_t nstreams;
	bool answered; /* timeouts count once the call is answered */
};

/* media.c */
/* Stream `index`, added (without ports) when the SDP has more m= lines
 * than seen so far; NULL on ENOMEM. */
struct b2b_stream *b2b_media_stream_at(struct b2b_media *media, size_t index);
/* Gives the stream its relay ports; rates: payload clock rates. */
int b2b_media_stream_open(struct b2b_stream *st,
			  const struct media_pt_rate *rates, size_t nrates);
/* Tells the relay where `side` receives, from the stream's fields. */
void b2b_media_stream_remote(struct b2b_stream *st, enum media_side side);
/* Hold or resume moved the stream's timeout. */
void b2b_media_stream_timeout(struct b2b_stream *st);

#endif
