/*
 * The rewrite a media relay needs in one media section (see struct
 * sdp_anchor in tandem/sdp.h): c= to the relay's address (RFC 8866 §5.7),
 * the m= port, a=rtcp (RFC 3605) or a=rtcp-mux (RFC 5761), ICE removed
 * (RFC 8839), the proto and a=crypto lines (RFC 4568) for SRTP bridging.
 * Built from the edits of edit.c, attr.c and crypto.c.
 */
#include <errno.h>

#include "sdp_int.h"

/*
 * The first anchor rewrites the session c= when there is one (RFC 8866
 * §5.7: it serves every section without its own, and o= takes its address
 * later), so no peer address is left there. The section's own c= is then
 * rewritten; a section without one relies on the session c=, or gets its
 * own when that names another address or there is none.
 */
static int anchor_connection(struct sdp_session *s, size_t index,
			     const struct sdp_anchor *a)
{
	struct sdp_connection sc, mc;

	if (!s->session_c_anchored &&
	    sdp_connection_get(s, SDP_SESSION, &sc) == 0) {
		int rc =
		    sdp_connection_set(s, SDP_SESSION, a->addrtype, a->address);

		if (rc)
			return rc;
		s->session_c_anchored = true;
	}
	if (sdp_connection_get(s, index, &mc) == ENOENT &&
	    sdp_connection_get(s, SDP_SESSION, &sc) == 0 &&
	    tnd_slice_eq(sc.address, a->address) &&
	    tnd_slice_caseeq(sc.addrtype, a->addrtype))
		return 0;
	return sdp_connection_set(s, index, a->addrtype, a->address);
}

/* a=rtcp-mux kept (and a=rtcp dropped), or RTCP on rtp_port + 1. */
static int anchor_rtcp(struct sdp_session *s, size_t index,
		       const struct sdp_anchor *a)
{
	if (a->keep_rtcp_mux && sdp_media_rtcp_mux(s, index))
		return sdp_attr_remove(s, index, "rtcp", NULL);
	if (sdp_attr_remove(s, index, "rtcp-mux", NULL))
		return EINVAL;
	return sdp_media_set_rtcp(s, index, a->rtp_port + 1);
}

static int anchor_crypto(struct sdp_session *s, size_t index,
			 const struct sdp_anchor *a)
{
	int rc = sdp_attr_remove(s, index, "crypto", NULL);

	for (size_t i = 0; i < a->ncrypto && rc == 0; i++)
		rc = sdp_crypto_add(s, index, &a->crypto[i]);
	return rc;
}

static bool anchor_ok(const struct sdp_anchor *a)
{
	return sdp_token_ok(a->addrtype) && sdp_token_ok(a->address) &&
	       a->rtp_port > 0 && a->rtp_port < 65535 &&
	       (a->proto.len == 0 || sdp_token_ok(a->proto)) &&
	       (a->ncrypto == 0 || a->crypto);
}

int sdp_media_anchor(struct sdp_session *s, size_t index,
		     const struct sdp_anchor *a)
{
	struct sdp_media m;
	int rc;

	if (sdp_media_get(s, index, &m) || !anchor_ok(a))
		return EINVAL;
	if (m.port == 0)
		return 0;
	rc = anchor_connection(s, index, a);
	if (rc == 0)
		rc = sdp_media_set_port(s, index, a->rtp_port);
	if (rc == 0)
		rc = anchor_rtcp(s, index, a);
	if (rc == 0 && a->strip_ice)
		rc = sdp_ice_remove(s, index, NULL);
	if (rc == 0 && a->strip_ice)
		rc = sdp_ice_remove(s, SDP_SESSION, NULL);
	if (rc == 0 && a->proto.len)
		rc = sdp_media_set_proto(s, index, a->proto);
	if (rc == 0 && a->replace_crypto)
		rc = anchor_crypto(s, index, a);
	return rc;
}
