/*
 * Via (RFC 3261 §20.42): sent-protocol, sent-by and parameters, with the
 * branch, received, rport (RFC 3581), maddr and ttl parameters picked out.
 * A received value may carry brackets around IPv6 (RFC 5118 §4.5).
 */
#include <errno.h>

#include "sip_int.h"

static int via_read_sent_by(struct sip_scan *s, struct sip_via *via,
			    struct sip_parse_error *err)
{
	uint32_t port;

	if (!sip_scan_host(s, &via->host, &via->host_type))
		return sip_scan_fail(s, err, "Malformed Via host");
	if (sip_scan_sep(s, ':')) {
		const char *digits = s->p;

		if (sip_scan_uint(s, 65535, &port) || port == 0) {
			s->p = digits; /* point at the port, not past a bad 0 */
			return sip_scan_fail(s, err, "Bad port in Via");
		}
		via->port = (uint16_t)port;
	}
	return 0;
}

/*
 * Parameters are checked after the whole value is scanned: point the
 * error at the bad parameter's value (just past its name when it has
 * none), not at the end of the value.
 */
static int via_param_fail(const struct sip_scan *s, struct sip_parse_error *err,
			  const char *what, struct tnd_slice name,
			  struct tnd_slice value)
{
	const char *at = value.p ? value.p : name.p + name.len;

	return sip_parse_fail(err, 400, what, (size_t)(at - s->start));
}

static int via_pick_params(struct sip_scan *s, struct sip_via *via,
			   struct sip_parse_error *err)
{
	struct tnd_slice name, value;
	size_t pos = 0;
	uint32_t n;

	while (sip_params_next(via->params, &pos, &name, &value)) {
		if (tnd_slice_caseeq_cstr(name, "branch")) {
			via->branch = value;
		} else if (tnd_slice_caseeq_cstr(name, "received")) {
			if (value.len > 2 && value.p[0] == '[' &&
			    value.p[value.len - 1] == ']')
				value = (struct tnd_slice){ value.p + 1,
							    value.len - 2 };
			if (!sip_is_ipv4(value) && !sip_is_ipv6(value))
				return via_param_fail(
				    s, err, "Bad received in Via", name, value);
			via->received = value;
		} else if (tnd_slice_caseeq_cstr(name, "rport")) {
			via->has_rport = true;
			if (value.len &&
			    (tnd_slice_to_u32(value, 65535, &n) || n == 0))
				return via_param_fail(
				    s, err, "Bad rport in Via", name, value);
			via->rport = value.len ? (uint16_t)n : 0;
		} else if (tnd_slice_caseeq_cstr(name, "maddr")) {
			via->maddr = value;
		} else if (tnd_slice_caseeq_cstr(name, "ttl")) {
			if (tnd_slice_to_u32(value, 255, &n))
				return via_param_fail(s, err, "Bad ttl in Via",
						      name, value);
			via->ttl = (int16_t)n;
		}
	}
	return 0;
}

int sip_via_parse(struct tnd_slice value, struct sip_via *out,
		  struct sip_parse_error *err)
{
	struct sip_scan s;
	struct tnd_slice name, version;
	const char *proto_start;
	int rc;

	*out = (struct sip_via){ .ttl = -1 };
	sip_scan_init(&s, value);
	sip_scan_lws(&s);
	proto_start = s.p;
	/* sent-protocol = protocol-name SLASH protocol-version SLASH transport
	 */
	if (!sip_scan_token(&s, &name) || !sip_scan_sep(&s, '/') ||
	    !sip_scan_token(&s, &version))
		return sip_scan_fail(&s, err, "Malformed Via protocol");
	out->protocol =
	    (struct tnd_slice){ proto_start, (size_t)(s.p - proto_start) };
	if (!sip_scan_sep(&s, '/') || !sip_scan_token(&s, &out->transport))
		return sip_scan_fail(&s, err, "Malformed Via transport");
	if (!tnd_slice_caseeq_cstr(name, "SIP") ||
	    !tnd_slice_eq_cstr(version, "2.0"))
		return sip_parse_fail(err, 400, "Unsupported Via protocol",
				      (size_t)(proto_start - s.start));
	sip_scan_lws(&s);
	if ((rc = via_read_sent_by(&s, out, err)))
		return rc;
	if ((rc = sip_scan_params(&s, &out->params, err)))
		return rc;
	sip_scan_lws(&s);
	if (!sip_scan_eof(&s))
		return sip_scan_fail(&s, err, "Junk after Via value");
	return via_pick_params(&s, out, err);
}
