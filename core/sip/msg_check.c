/*
 * RFC 3261 §8.2 request checks, in the RFC's order after the basic
 * sanity of §8.1.1: 400 for missing or repeated mandatory headers and a
 * bare magic-cookie branch (RFC 4475 §3.2.1), 501 for unknown methods
 * (§8.2.1), 416 for a Request-URI scheme we cannot serve (§8.2.2.1), 420
 * for unknown required extensions (§8.2.2.3), 415 for a body type we do
 * not process (§8.2.3), 406 when the sender accepts no SDP (RFC 4475
 * §3.3.15).
 */
#include <errno.h>

#include "tandem/sip_check.h"
#include "sip_int.h"

static const char *const default_supported[] = {
	"100rel", "timer", "replaces", "norefersub", "outbound", "path", NULL,
};
static const char *const default_body_types[] = { "application/sdp", NULL };

const struct sip_check_policy sip_check_policy_default = {
	.supported = default_supported,
	.body_types = default_body_types,
};

static int refuse(struct sip_check_result *res, uint16_t status,
		  const char *reason)
{
	res->status = status;
	res->reason = reason;
	return EBADMSG;
}

static bool in_list(const char *const *list, struct tnd_slice item)
{
	for (; list && *list; list++) {
		if (tnd_slice_caseeq_cstr(item, *list))
			return true;
	}
	return false;
}

/* RFC 3261 §8.1.1: To, From, CSeq, Call-ID, Max-Forwards (not required
 * of a UAS to enforce, RFC 2543 peers omit it) and Via; once each. */
static int check_mandatory(const struct sip_msg *req,
			   struct sip_check_result *res)
{
	static const enum sip_hdr_id single[] = { SIP_HDR_FROM, SIP_HDR_TO,
						  SIP_HDR_CALL_ID, SIP_HDR_CSEQ,
						  SIP_HDR_MAX_FORWARDS };

	if (!req->has_via || !req->has_from || !req->has_to ||
	    !req->call_id.len || !req->has_cseq)
		return refuse(res, 400, "Missing Mandatory Header");
	for (size_t i = 0; i < sizeof(single) / sizeof(single[0]); i++) {
		if (sip_msg_hdr_count(req, single[i]) > 1)
			return refuse(res, 400,
				      "Repeated Single-Valued Header");
	}
	if (tnd_slice_eq_cstr(req->via.branch, "z9hG4bK"))
		return refuse(res, 400, "Branch Is Only The Magic Cookie");
	return 0;
}

static int check_required(const struct sip_msg *req,
			  const struct sip_check_policy *policy,
			  struct sip_check_result *res)
{
	static const enum sip_hdr_id kinds[] = { SIP_HDR_REQUIRE,
						 SIP_HDR_PROXY_REQUIRE };

	/* RFC 3261 §8.2.2.3: never for CANCEL; for ACK the 2xx stands. */
	if (req->method == SIP_METHOD_CANCEL || req->method == SIP_METHOD_ACK)
		return 0;
	for (size_t k = 0; k < 2; k++) {
		struct sip_value_iter it = { 0 };
		struct tnd_slice tag;

		while (sip_msg_value_next(req, kinds[k], &it, &tag)) {
			if (tag.len == 0)
				continue;
			if (!in_list(policy->supported, tag)) {
				res->unsupported = tag;
				return refuse(res, 420, "Bad Extension");
			}
		}
	}
	return 0;
}

static bool carries_session(enum sip_method m)
{
	return m == SIP_METHOD_INVITE || m == SIP_METHOD_UPDATE ||
	       m == SIP_METHOD_PRACK || m == SIP_METHOD_ACK;
}

static bool media_type_in(const char *const *list, struct tnd_slice value)
{
	struct sip_media_type mt;

	if (sip_media_type_parse(value, &mt, NULL))
		return false;
	for (; list && *list; list++) {
		struct sip_media_type want;

		if (sip_media_type_parse(tnd_slice_from_cstr(*list), &want,
					 NULL) == 0 &&
		    tnd_slice_caseeq(mt.type, want.type) &&
		    tnd_slice_caseeq(mt.subtype, want.subtype))
			return true;
	}
	return false;
}

static int check_body(const struct sip_msg *req,
		      const struct sip_check_policy *policy,
		      struct sip_check_result *res)
{
	const struct sip_hdr *ct = sip_msg_hdr(req, SIP_HDR_CONTENT_TYPE);

	if (!carries_session(req->method) || !policy->body_types)
		return 0;
	if (req->body.len &&
	    (!ct || !media_type_in(policy->body_types, ct->value)))
		return refuse(res, 415, "Unsupported Media Type");
	return 0;
}

/* An INVITE whose Accept lists no type we could answer with (§8.2.3). */
static int check_accept(const struct sip_msg *req,
			const struct sip_check_policy *policy,
			struct sip_check_result *res)
{
	struct sip_value_iter it = { 0 };
	struct tnd_slice v;
	bool any = false;

	if (req->method != SIP_METHOD_INVITE || !policy->body_types ||
	    !sip_msg_hdr(req, SIP_HDR_ACCEPT))
		return 0;
	while (sip_msg_value_next(req, SIP_HDR_ACCEPT, &it, &v)) {
		struct sip_media_type mt;

		if (v.len == 0)
			return 0; /* an empty Accept: nothing to refuse on */
		any = true;
		if (sip_media_type_parse(v, &mt, NULL) == 0 &&
		    (tnd_slice_eq_cstr(mt.type, "*") ||
		     (tnd_slice_eq_cstr(mt.subtype, "*") &&
		      tnd_slice_caseeq_cstr(mt.type, "application")) ||
		     media_type_in(policy->body_types, v)))
			return 0;
	}
	return any ? refuse(res, 406, "Not Acceptable") : 0;
}

int sip_msg_check_request(const struct sip_msg *req,
			  const struct sip_check_policy *policy,
			  struct sip_check_result *res)
{
	int rc;

	*res = (struct sip_check_result){ 0 };
	if (!policy)
		policy = &sip_check_policy_default;
	if ((rc = check_mandatory(req, res)))
		return rc;
	if (req->method == SIP_METHOD_UNKNOWN)
		return refuse(res, 501, "Not Implemented");
	if (req->ruri.scheme != SIP_URI_SIP &&
	    req->ruri.scheme != SIP_URI_SIPS && req->ruri.scheme != SIP_URI_TEL)
		return refuse(res, 416, "Unsupported URI Scheme");
	if ((rc = check_required(req, policy, res)))
		return rc;
	if ((rc = check_body(req, policy, res)))
		return rc;
	return check_accept(req, policy, res);
}
