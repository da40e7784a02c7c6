/*
 * Session descriptions the SDP tests share, as real peers send them, and
 * helpers to parse one and to compare a printed session with the exact
 * text expected. Under TEST_OOM the helpers hand ENOMEM back.
 */
#ifndef TANDEM_TEST_SDP_BODIES_H
#define TANDEM_TEST_SDP_BODIES_H

#include <stdio.h>
#include <string.h>

#include "tandem/mem.h"
#include "tandem/sdp.h"
#include "test.h"

/* A PBX (Asterisk/SIPp style) audio offer. */
#define PBX_OFFER                                            \
	"v=0\r\n"                                            \
	"o=root 1821138745 1821138745 IN IP4 192.0.2.10\r\n" \
	"s=Asterisk PBX 18.10.0\r\n"                         \
	"c=IN IP4 192.0.2.10\r\n"                            \
	"t=0 0\r\n"                                          \
	"m=audio 10000 RTP/AVP 0 8 101\r\n"                  \
	"a=rtpmap:0 PCMU/8000\r\n"                           \
	"a=rtpmap:8 PCMA/8000\r\n"                           \
	"a=rtpmap:101 telephone-event/8000\r\n"              \
	"a=fmtp:101 0-16\r\n"                                \
	"a=ptime:20\r\n"                                     \
	"a=maxptime:150\r\n"                                 \
	"a=sendrecv\r\n"

/* A browser's offer: ICE, DTLS fingerprint, rtcp-mux, many attributes. */
#define WEBRTC_OFFER                                                       \
	"v=0\r\n"                                                          \
	"o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"                   \
	"s=-\r\n"                                                          \
	"t=0 0\r\n"                                                        \
	"a=group:BUNDLE 0\r\n"                                             \
	"a=extmap-allow-mixed\r\n"                                         \
	"a=msid-semantic: WMS stream\r\n"                                  \
	"a=ice-options:trickle\r\n"                                        \
	"m=audio 54400 UDP/TLS/RTP/SAVPF 111 0\r\n"                        \
	"c=IN IP4 203.0.113.7\r\n"                                         \
	"a=rtcp:9 IN IP4 0.0.0.0\r\n"                                      \
	"a=candidate:1 1 udp 2122260223 192.168.1.20 54400 typ host\r\n"   \
	"a=candidate:2 1 udp 1686052607 203.0.113.7 54400 typ srflx "      \
	"raddr 192.168.1.20 rport 54400\r\n"                               \
	"a=end-of-candidates\r\n"                                          \
	"a=ice-ufrag:F7gI\r\n"                                             \
	"a=ice-pwd:x9cml/YzichV2+XlhiMu8g\r\n"                             \
	"a=ice-options:trickle\r\n"                                        \
	"a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:" \
	"84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F\r\n"        \
	"a=setup:actpass\r\n"                                              \
	"a=mid:0\r\n"                                                      \
	"a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"       \
	"a=sendrecv\r\n"                                                   \
	"a=msid:stream track\r\n"                                          \
	"a=rtcp-mux\r\n"                                                   \
	"a=rtpmap:111 opus/48000/2\r\n"                                    \
	"a=rtcp-fb:111 transport-cc\r\n"                                   \
	"a=fmtp:111 minptime=10;useinbandfec=1\r\n"                        \
	"a=rtpmap:0 PCMU/8000\r\n"                                         \
	"a=ssrc:3735928559 cname:abcd\r\n"

/* IPv6 throughout. */
#define IPV6_OFFER                                             \
	"v=0\r\n"                                              \
	"o=alice 2890844526 2890844526 IN IP6 2001:db8::1\r\n" \
	"s=-\r\n"                                              \
	"c=IN IP6 2001:db8::1\r\n"                             \
	"t=0 0\r\n"                                            \
	"m=audio 49170 RTP/AVP 0\r\n"                          \
	"a=rtpmap:0 PCMU/8000\r\n"

/* Two sections with their own c=, the video one rejected. */
#define TWO_MEDIA                                             \
	"v=0\r\n"                                             \
	"o=bob 2808844564 2808844564 IN IP4 198.51.100.5\r\n" \
	"s=call\r\n"                                          \
	"t=0 0\r\n"                                           \
	"m=audio 49172 RTP/AVP 0 8\r\n"                       \
	"c=IN IP4 198.51.100.5\r\n"                           \
	"a=rtpmap:0 PCMU/8000\r\n"                            \
	"m=video 0 RTP/AVP 31\r\n"                            \
	"c=IN IP4 198.51.100.5\r\n"

/* Bare LF line ends, optional lines and letters no RFC defines. */
#define SOFTSWITCH_LF                                            \
	"v=0\n"                                                  \
	"o=FreeSWITCH 1700000000 1700000001 IN IP4 192.0.2.50\n" \
	"s=FreeSWITCH\n"                                         \
	"i=a session\n"                                          \
	"u=http://example.com/\n"                                \
	"e=ops@example.com\n"                                    \
	"c=IN IP4 192.0.2.50\n"                                  \
	"b=AS:84\n"                                              \
	"t=0 0\n"                                                \
	"y=0123456789\n"                                         \
	"m=audio 24000 RTP/AVP 9 101\n"                          \
	"i=voice\n"                                              \
	"b=TIAS:64000\n"                                         \
	"a=rtpmap:9 G722/8000\n"                                 \
	"a=x-custom-thing:42\n"                                  \
	"a=sendonly\n"

/* SDES-keyed SRTP (RFC 4568 §8 style). */
#define SDES_OFFER                                                  \
	"v=0\r\n"                                                   \
	"o=sam 2890844526 2890842807 IN IP4 192.0.2.30\r\n"         \
	"s=SRTP\r\n"                                                \
	"c=IN IP4 192.0.2.30\r\n"                                   \
	"t=0 0\r\n"                                                 \
	"m=audio 30000 RTP/SAVP 0\r\n"                              \
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 "                       \
	"inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4 " \
	"FEC_ORDER=FEC_SRTP\r\n"                                    \
	"a=crypto:2 AES_CM_128_HMAC_SHA1_32 "                       \
	"inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:32\r\n"

/* Parses a C string; hands ENOMEM back, fails the case otherwise. */
#define PARSE(text, sp)                                                  \
	do {                                                             \
		int rc_ = sdp_session_parse(S(text), NULL, &(sp), NULL); \
		if (rc_ == ENOMEM)                                       \
			return ENOMEM;                                   \
		CHECK_INT(rc_, 0);                                       \
	} while (0)

/* 0 when the session prints exactly `want`; ENOMEM; else EPROTO. */
static inline int sdp_print_check(const struct sdp_session *s, const char *want,
				  const char *file, int line)
{
	char *text;
	size_t len;
	int rc = sdp_session_print(s, &text, &len);

	if (rc)
		return rc;
	rc = (len == strlen(want) && memcmp(text, want, len) == 0) ? 0 : EPROTO;
	if (rc)
		test_fail(file, line, "printed:\n%s\nwant:\n%s", text, want);
	tnd_free(text);
	return rc;
}

#define CHECK_PRINT(s, want)                                                \
	do {                                                                \
		int rc_ = sdp_print_check((s), (want), __FILE__, __LINE__); \
		if (rc_)                                                    \
			return rc_;                                         \
	} while (0)

/*
 * Runs one edit. Out of memory, the session must print as it did before
 * the edit; the case then hands ENOMEM to the runner.
 */
#define EDIT(s, expr)                                                          \
	do {                                                                   \
		char *before_;                                                 \
		size_t blen_;                                                  \
		int rc_ = sdp_session_print((s), &before_, &blen_);            \
		if (rc_)                                                       \
			return rc_;                                            \
		rc_ = (expr);                                                  \
		if (rc_ == ENOMEM) {                                           \
			tnd_mem_fail_after(0);                                 \
			rc_ =                                                  \
			    sdp_print_check((s), before_, __FILE__, __LINE__); \
			tnd_free(before_);                                     \
			return rc_ ? rc_ : ENOMEM;                             \
		}                                                              \
		tnd_free(before_);                                             \
		CHECK_INT(rc_, 0);                                             \
	} while (0)

/* Parses `text`, runs fn on the session and frees it, whatever fn says. */
static inline int with_session(const char *text,
			       int (*fn)(struct sdp_session *s))
{
	struct sdp_session *s;
	struct sdp_error err;
	int rc = sdp_session_parse(S(text), NULL, &s, &err);

	if (rc == ENOMEM)
		return ENOMEM;
	if (rc) {
		test_fail(__FILE__, __LINE__, "parse: %s at line %zu", err.what,
			  err.line);
		return EPROTO;
	}
	rc = fn(s);
	sdp_session_free(s);
	return rc;
}

#endif
