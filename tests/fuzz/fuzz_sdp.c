/*
 * libFuzzer target for core/sdp. The input is copied into a heap block of
 * exactly its size, so AddressSanitizer catches any read past the end. A
 * failed parse must say what was wrong. A successful one must print, and
 * the print must parse to the same line table and print byte-identical
 * again; every getter must answer on every section; each a=crypto that
 * parses must print and parse back; the session must pass as an answer
 * to itself; stamping o= twice keeps the version; an anchor rewrite of
 * every section must print, parse and print the same again.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/mem.h"
#include "tandem/sdp.h"
#include "tandem/sdp_oa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reparsing a print must not trip a limit the first parse passed. */
static const struct sdp_limits wide = {
	.max_bytes = SIZE_MAX,
	.max_lines = SIZE_MAX,
	.max_media = SIZE_MAX,
};

static void same_lines(const struct sdp_session *a, const struct sdp_session *b)
{
	if (sdp_session_line_count(a) != sdp_session_line_count(b) ||
	    sdp_session_media_count(a) != sdp_session_media_count(b))
		__builtin_trap();
	for (size_t i = 0; i < sdp_session_line_count(a); i++) {
		struct sdp_line_ref la, lb;

		if (sdp_session_line(a, i, &la) || sdp_session_line(b, i, &lb))
			__builtin_trap();
		if (la.type != lb.type || la.level != lb.level ||
		    !tnd_slice_eq(la.value, lb.value))
			__builtin_trap();
	}
}

/* print, parse, compare, print again: the two prints are identical. */
static void fuzz_reprint(const struct sdp_session *s)
{
	struct sdp_session *again;
	char *p1, *p2;
	size_t n1, n2;

	if (sdp_session_print(s, &p1, &n1))
		return;
	if (sdp_session_parse((struct tnd_slice){ p1, n1 }, &wide, &again,
			      NULL))
		__builtin_trap();
	same_lines(s, again);
	if (sdp_session_print(again, &p2, &n2) == 0) {
		if (n1 != n2 || memcmp(p1, p2, n1) != 0)
			__builtin_trap();
		tnd_free(p2);
	}
	sdp_session_free(again);
	tnd_free(p1);
}

static void fuzz_crypto(const struct sdp_session *s, size_t index)
{
	struct tnd_slice v;
	size_t cursor = 0;
	struct sdp_crypto c, back;
	char buf[2048];
	size_t len;

	while (sdp_attr_next(s, index, "crypto", &cursor, &v)) {
		if (sdp_crypto_parse(v, &c))
			continue;
		if (sdp_crypto_print(&c, buf, sizeof(buf), &len) == 0 &&
		    (sdp_crypto_parse((struct tnd_slice){ buf, len }, &back) ||
		     back.nkeys != c.nkeys || back.tag != c.tag))
			__builtin_trap();
	}
}

static void fuzz_getters(const struct sdp_session *s)
{
	struct sdp_origin o;
	struct sdp_connection c;
	struct sdp_media m;
	struct sdp_rtpmap r;
	struct sdp_rtcp rtcp;
	struct tnd_slice fmts, fmt;
	uint32_t pt;

	if (sdp_session_origin(s, &o))
		__builtin_trap();
	(void)sdp_session_on_hold(s);
	for (size_t i = 0; i < sdp_session_media_count(s); i++) {
		if (sdp_media_get(s, i, &m))
			__builtin_trap();
		(void)sdp_media_connection(s, i, &c);
		(void)sdp_media_on_hold(s, i);
		(void)sdp_media_rtcp(s, i, &rtcp);
		(void)sdp_media_rtcp_mux(s, i);
		fmts = m.fmts;
		while (sdp_token_next(&fmts, &fmt)) {
			if (tnd_slice_to_u32(fmt, 127, &pt) == 0)
				(void)sdp_media_rtpmap(s, i, pt, &r);
		}
		fuzz_crypto(s, i);
	}
}

static void fuzz_oa(struct sdp_session *s)
{
	struct sdp_oa oa;
	struct sdp_origin o;
	uint64_t v;

	if (sdp_oa_check_answer(s, s, NULL))
		__builtin_trap();
	sdp_oa_init(&oa, 42);
	if (sdp_oa_stamp_origin(&oa, s) == 0) {
		v = oa.sess_version;
		if (sdp_oa_stamp_origin(&oa, s) == 0 && oa.sess_version != v)
			__builtin_trap();
		if (sdp_session_origin(s, &o) ||
		    !tnd_slice_eq_cstr(o.username, SDP_OA_USERNAME))
			__builtin_trap();
	}
	sdp_oa_release(&oa);
}

static void fuzz_anchor(struct sdp_session *s)
{
	struct sdp_crypto c = {
		.tag = 1,
		.suite = TND_SLICE_LIT("AES_CM_128_HMAC_SHA1_80"),
		.keys = { { .method = TND_SLICE_LIT("inline"),
			    .key_salt = TND_SLICE_LIT("QUJDREVGR0hJSktMTU5PUFFS"
						      "U1RVVldYWVo0NTY3") } },
		.nkeys = 1,
	};
	struct sdp_anchor a = {
		.addrtype = TND_SLICE_LIT("IP4"),
		.address = TND_SLICE_LIT("203.0.113.50"),
		.rtp_port = 40000,
		.strip_ice = true,
		.proto = TND_SLICE_LIT("RTP/SAVP"),
		.replace_crypto = true,
		.crypto = &c,
		.ncrypto = 1,
	};

	for (size_t i = 0; i < sdp_session_media_count(s); i++) {
		a.keep_rtcp_mux = i % 2;
		if (sdp_media_anchor(s, i, &a) == ENOMEM)
			return;
		a.rtp_port += 2;
	}
	fuzz_reprint(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size); /* may be NULL for size 0: never read */
	struct sdp_session *s;
	struct sdp_error err;
	int rc;

	if (!buf && size)
		return 0;
	if (size)
		memcpy(buf, data, size);
	rc = sdp_session_parse((struct tnd_slice){ buf, size }, NULL, &s, &err);
	if (rc) {
		if ((rc != EBADMSG && rc != EMSGSIZE) || err.what == NULL)
			__builtin_trap();
		free(buf);
		return 0;
	}
	fuzz_reprint(s);
	fuzz_getters(s);
	fuzz_oa(s);
	fuzz_reprint(s);
	fuzz_anchor(s);
	sdp_session_free(s);
	free(buf);
	return 0;
}
