/*
 * Offer/answer (RFC 3264) for one side of one leg: the o= line tandem
 * sends and its version (§5, §8), the answer check (§6) and the exchange
 * state (§4). Keeps a copy of the last SDP stamped, without its o= line,
 * to tell a changed SDP from a re-sent one. Uses print.c and util/mem.
 */
#include <errno.h>
#include <string.h>

#include "sdp_int.h"
#include "tandem/mem.h"
#include "tandem/sdp_oa.h"

/* RFC 3264 §5: below 2^62 - 1, so versions never roll over. */
#define OA_ID_LIMIT ((UINT64_C(1) << 62) - 1)

void sdp_oa_init(struct sdp_oa *oa, uint64_t random)
{
	*oa = (struct sdp_oa){ .state = SDP_OA_NONE,
			       .sess_id = random % OA_ID_LIMIT };
}

void sdp_oa_release(struct sdp_oa *oa)
{
	tnd_free(oa->last);
	oa->last = NULL;
	oa->last_len = 0;
}

/* The address o= names: the session c=, else the first media c=. */
static bool origin_address(const struct sdp_session *s,
			   struct sdp_connection *c)
{
	if (sdp_connection_get(s, SDP_SESSION, c) == 0)
		return true;
	for (size_t i = 0; i < s->nmedia; i++) {
		if (sdp_connection_get(s, i, c) == 0)
			return true;
	}
	return false;
}

static int stamp(struct sdp_session *s, uint64_t id, uint64_t version)
{
	struct sdp_origin o;
	struct sdp_connection c;
	char idbuf[21], vbuf[21];

	if (sdp_session_origin(s, &o))
		return EINVAL;
	o.username = TND_SLICE_LIT(SDP_OA_USERNAME);
	o.sess_id = sdp_u64_text(id, idbuf);
	o.sess_version = sdp_u64_text(version, vbuf);
	if (origin_address(s, &c)) {
		o.nettype = c.nettype;
		o.addrtype = c.addrtype;
		o.address = c.address;
	}
	return sdp_session_set_origin(s, &o);
}

int sdp_oa_stamp_origin(struct sdp_oa *oa, struct sdp_session *s)
{
	char *text;
	size_t len;
	uint64_t version = 1;
	bool same;
	int rc;

	rc = sdp_lines_print(s, true, &text, &len);
	if (rc)
		return rc;
	same =
	    oa->sent && len == oa->last_len && memcmp(text, oa->last, len) == 0;
	if (oa->sent)
		version = same ? oa->sess_version : oa->sess_version + 1;
	rc = stamp(s, oa->sess_id, version);
	if (rc) {
		tnd_free(text);
		return rc;
	}
	if (same) {
		tnd_free(text);
	} else {
		tnd_free(oa->last);
		oa->last = text;
		oa->last_len = len;
	}
	oa->sent = true;
	oa->sess_version = version;
	return 0;
}

static int check_fail(struct sdp_error *err, const char *what, size_t line)
{
	if (err)
		*err = (struct sdp_error){ what, line };
	return EBADMSG;
}

/* The line number of a section's m= line in the answer, for errors. */
static size_t media_lineno(const struct sdp_session *s, size_t index)
{
	size_t at = sdp_level_find(s, (unsigned)index + 1, 'm');

	return at == SIZE_MAX ? 0 : s->lines[at].lineno;
}

int sdp_oa_check_answer(const struct sdp_session *offer,
			const struct sdp_session *answer, struct sdp_error *err)
{
	struct sdp_media mo, ma;

	if (answer->nmedia < offer->nmedia)
		return check_fail(
		    err, "answer has fewer m= lines than the offer", 0);
	if (answer->nmedia > offer->nmedia)
		return check_fail(err,
				  "answer has more m= lines than the offer",
				  media_lineno(answer, offer->nmedia));
	for (size_t i = 0; i < offer->nmedia; i++) {
		if (sdp_media_get(offer, i, &mo) ||
		    sdp_media_get(answer, i, &ma))
			return check_fail(err, "bad m= line",
					  media_lineno(answer, i));
		if (!tnd_slice_caseeq(mo.media, ma.media))
			return check_fail(err,
					  "answer m= media type differs from "
					  "the offer",
					  media_lineno(answer, i));
		if (mo.port == 0 && ma.port != 0)
			return check_fail(err,
					  "answer accepts a stream the offer "
					  "rejected",
					  media_lineno(answer, i));
	}
	if (err)
		*err = (struct sdp_error){ NULL, 0 };
	return 0;
}
