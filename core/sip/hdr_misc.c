/*
 * Small typed headers of the SIP extensions a B2BUA reads: Content-Type
 * (RFC 3261 §20.15), RAck (RFC 3262 §7.2), Replaces (RFC 3891 §6.1),
 * Event and Subscription-State (RFC 6665 §8.4) and Session-Expires
 * (RFC 4028 §4). Each is a head followed by generic parameters: the head
 * is read with the scanner of scan.c, the parameters with
 * sip_scan_params, and named ones are picked with sip_params_next
 * (params.c). Nothing is allocated; results are slices into the value.
 */
#include <errno.h>
#include <string.h>

#include "sip_int.h"

/* The rest of the value must be empty. */
static int misc_scan_end(struct sip_scan *s, struct sip_parse_error *err,
			 const char *what)
{
	sip_scan_lws(s);
	return sip_scan_eof(s) ? 0 : sip_scan_fail(s, err, what);
}

/* *( SEMI generic-param ) running to the end of the value. */
static int misc_scan_params(struct sip_scan *s, struct tnd_slice *params,
			    struct sip_parse_error *err, const char *what)
{
	int rc = sip_scan_params(s, params, err);

	return rc ? rc : misc_scan_end(s, err, what);
}

/* 1*DIGIT no larger than 2^32-1 (delta-seconds, CSeq-num, response-num). */
static int misc_scan_u32(struct sip_scan *s, uint32_t *out,
			 struct sip_parse_error *err, const char *what)
{
	int rc = sip_scan_uint(s, UINT32_MAX, out);

	if (rc == ERANGE)
		return sip_scan_fail(s, err, "Number too large");
	return rc ? sip_scan_fail(s, err, what) : 0;
}

/* At least one LWS, where the grammar says LWS rather than [LWS]. */
static bool misc_scan_lws1(struct sip_scan *s)
{
	const char *from = s->p;

	sip_scan_lws(s);
	return s->p != from;
}

/*
 * Parameter `name` of `params`. A flag's value is the empty slice just
 * past its name, so that an error about it still has a position.
 */
static bool misc_param(struct tnd_slice params, const char *name,
		       struct tnd_slice *value)
{
	struct tnd_slice n, v;
	size_t pos = 0;

	while (sip_params_next(params, &pos, &n, &v)) {
		if (!tnd_slice_caseeq_cstr(n, name))
			continue;
		*value = v.len ? v : (struct tnd_slice){ n.p + n.len, 0 };
		return true;
	}
	return false;
}

/*
 * A scanner over one parameter's value whose offsets count from the start
 * of the header value, as every other error of the parser does.
 */
static void misc_value_scan(struct sip_scan *s, struct tnd_slice value,
			    struct tnd_slice param)
{
	*s = (struct sip_scan){ value.p, param.p, param.p + param.len };
}

/* Parameter `name` when present, whose grammar is token. */
static int misc_param_token(struct tnd_slice value, struct tnd_slice params,
			    const char *name, struct tnd_slice *out,
			    struct sip_parse_error *err, const char *what)
{
	struct tnd_slice v;
	struct sip_scan s;

	if (!misc_param(params, name, &v))
		return 0;
	misc_value_scan(&s, value, v);
	if (!sip_scan_token(&s, out))
		return sip_scan_fail(&s, err, what);
	return misc_scan_end(&s, err, what);
}

/* Parameter `name` when present, whose grammar is delta-seconds. */
static int misc_param_u32(struct tnd_slice value, struct tnd_slice params,
			  const char *name, bool *has, uint32_t *out,
			  struct sip_parse_error *err, const char *what)
{
	struct tnd_slice v;
	struct sip_scan s;
	int rc;

	if (!misc_param(params, name, &v))
		return 0;
	misc_value_scan(&s, value, v);
	rc = misc_scan_u32(&s, out, err, what);
	if (rc == 0)
		rc = misc_scan_end(&s, err, what);
	*has = rc == 0;
	return rc;
}

/* media-type = m-type SLASH m-subtype *(SEMI m-parameter), §20.15 */
int sip_media_type_parse(struct tnd_slice value, struct sip_media_type *out,
			 struct sip_parse_error *err)
{
	struct sip_scan s;

	memset(out, 0, sizeof(*out));
	sip_scan_init(&s, value);
	if (!sip_scan_token(&s, &out->type))
		return sip_scan_fail(&s, err, "Malformed media type");
	if (!sip_scan_sep(&s, '/') || !sip_scan_token(&s, &out->subtype))
		return sip_scan_fail(&s, err, "Missing media subtype");
	return misc_scan_params(&s, &out->params, err, "Malformed media type");
}

/* RAck = response-num LWS CSeq-num LWS Method, RFC 3262 §7.2 */
int sip_rack_parse(struct tnd_slice value, struct sip_rack *out,
		   struct sip_parse_error *err)
{
	static const char what[] = "Malformed RAck header";
	struct sip_scan s;
	int rc;

	memset(out, 0, sizeof(*out));
	sip_scan_init(&s, value);
	rc = misc_scan_u32(&s, &out->rseq, err, what);
	if (rc)
		return rc;
	if (!misc_scan_lws1(&s))
		return sip_scan_fail(&s, err, what);
	rc = misc_scan_u32(&s, &out->cseq, err, what);
	if (rc)
		return rc;
	if (!misc_scan_lws1(&s) || !sip_scan_token(&s, &out->method_name))
		return sip_scan_fail(&s, err, what);
	out->method = sip_method_lookup(out->method_name);
	return misc_scan_end(&s, err, what);
}

/*
 * Replaces = callid *(SEMI replaces-param), callid = word [ "@" word ]
 * (RFC 3891 §6.1). Both tags are required: without them the dialog to
 * replace cannot be identified (§3).
 */
int sip_replaces_parse(struct tnd_slice value, struct sip_replaces *out,
		       struct sip_parse_error *err)
{
	static const char what[] = "Malformed Replaces header";
	struct sip_scan s;
	struct tnd_slice flag;
	int rc;

	memset(out, 0, sizeof(*out));
	sip_scan_init(&s, value);
	if (!sip_scan_word(&s, NULL) ||
	    (sip_scan_char(&s, '@') && !sip_scan_word(&s, NULL)))
		return sip_scan_fail(&s, err, "Malformed Call-ID in Replaces");
	out->call_id = (struct tnd_slice){ value.p, sip_scan_offset(&s) };
	rc = misc_scan_params(&s, &out->params, err, what);
	if (rc == 0)
		rc = misc_param_token(value, out->params, "to-tag",
				      &out->to_tag, err, what);
	if (rc == 0)
		rc = misc_param_token(value, out->params, "from-tag",
				      &out->from_tag, err, what);
	if (rc)
		return rc;
	if (out->to_tag.len == 0)
		return sip_scan_fail(&s, err, "Missing to-tag in Replaces");
	if (out->from_tag.len == 0)
		return sip_scan_fail(&s, err, "Missing from-tag in Replaces");
	out->early_only = misc_param(out->params, "early-only", &flag);
	return 0;
}

/*
 * event-type = event-package *( "." event-template ), each part a
 * token-nodot (RFC 6665 §8.4): a token without empty dot-separated parts.
 * On failure the cursor rests on the fault, for the error's offset.
 */
static bool event_scan_type(struct sip_scan *s, struct tnd_slice *type)
{
	const char *from = s->p;
	struct tnd_slice t;

	if (!sip_scan_token(s, &t))
		return false;
	for (size_t i = 0; i < t.len; i++) {
		if (t.p[i] == '.' &&
		    (i == 0 || i + 1 == t.len || t.p[i + 1] == '.')) {
			s->p = from + i;
			return false;
		}
	}
	*type = t;
	return true;
}

/* Event = event-type *( SEMI event-param ), RFC 6665 §8.4 */
int sip_event_parse(struct tnd_slice value, struct sip_event *out,
		    struct sip_parse_error *err)
{
	static const char what[] = "Malformed Event header";
	struct sip_scan s;
	int rc;

	memset(out, 0, sizeof(*out));
	sip_scan_init(&s, value);
	if (!event_scan_type(&s, &out->package))
		return sip_scan_fail(&s, err, what);
	rc = misc_scan_params(&s, &out->params, err, what);
	if (rc)
		return rc;
	/* "id" EQUAL token: it tells apart subscriptions of one dialog */
	return misc_param_token(value, out->params, "id", &out->id, err, what);
}

/*
 * Subscription-State = substate-value *( SEMI subexp-params ), where
 * subexp-params carry reason (a token), expires and retry-after
 * (delta-seconds), RFC 6665 §8.4.
 */
int sip_substate_parse(struct tnd_slice value, struct sip_substate *out,
		       struct sip_parse_error *err)
{
	static const char what[] = "Malformed Subscription-State header";
	struct sip_scan s;
	int rc;

	memset(out, 0, sizeof(*out));
	sip_scan_init(&s, value);
	if (!sip_scan_token(&s, &out->state))
		return sip_scan_fail(&s, err, what);
	rc = misc_scan_params(&s, &out->params, err, what);
	if (rc == 0)
		rc = misc_param_token(value, out->params, "reason",
				      &out->reason, err, what);
	if (rc == 0)
		rc =
		    misc_param_u32(value, out->params, "expires",
				   &out->has_expires, &out->expires, err, what);
	if (rc == 0)
		rc = misc_param_u32(value, out->params, "retry-after",
				    &out->has_retry_after, &out->retry_after,
				    err, what);
	return rc;
}

/*
 * Session-Expires = delta-seconds *( SEMI se-params ), refresher-param =
 * "refresher" EQUAL ( "uas" / "uac" ), RFC 4028 §4. ABNF literals are
 * case-insensitive. Any other refresher value is an error rather than
 * "no refresher": it would leave neither side sending the refreshes.
 */
int sip_session_expires_parse(struct tnd_slice value,
			      struct sip_session_expires *out,
			      struct sip_parse_error *err)
{
	static const char what[] = "Malformed Session-Expires header";
	struct sip_scan s;
	struct tnd_slice refresher;
	int rc;

	memset(out, 0, sizeof(*out));
	sip_scan_init(&s, value);
	rc = misc_scan_u32(&s, &out->delta, err, what);
	if (rc == 0)
		rc = misc_scan_params(&s, &out->params, err, what);
	if (rc || !misc_param(out->params, "refresher", &refresher))
		return rc;
	if (tnd_slice_caseeq_cstr(refresher, "uac")) {
		out->refresher = SIP_REFRESHER_UAC;
	} else if (tnd_slice_caseeq_cstr(refresher, "uas")) {
		out->refresher = SIP_REFRESHER_UAS;
	} else {
		misc_value_scan(&s, value, refresher);
		return sip_scan_fail(&s, err,
				     "Bad refresher in Session-Expires");
	}
	return 0;
}
