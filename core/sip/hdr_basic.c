/*
 * The small headers every message carries: CSeq (RFC 3261 §20.16),
 * Call-ID (§20.8) and plain numbers (Max-Forwards, Expires, RSeq, ...).
 */
#include <errno.h>

#include "sip_int.h"

int sip_cseq_parse(struct tnd_slice value, struct sip_cseq *out,
		   struct sip_parse_error *err)
{
	struct sip_scan s;
	const char *number_end;
	int rc;

	*out = (struct sip_cseq){ 0 };
	sip_scan_init(&s, value);
	sip_scan_lws(&s);
	rc = sip_scan_uint(&s, UINT32_MAX, &out->number);
	if (rc == ERANGE)
		return sip_scan_fail(&s, err, "CSeq number too large");
	if (rc)
		return sip_scan_fail(&s, err, "Malformed CSeq number");
	number_end = s.p;
	sip_scan_lws(&s);
	/* CSeq = 1*DIGIT LWS Method: "1INVITE" has no LWS. */
	if (s.p == number_end || !sip_scan_token(&s, &out->method_name))
		return sip_scan_fail(&s, err, "Malformed CSeq method");
	sip_scan_lws(&s);
	if (!sip_scan_eof(&s))
		return sip_scan_fail(&s, err, "Junk after CSeq");
	out->method = sip_method_lookup(out->method_name);
	return 0;
}

int sip_callid_parse(struct tnd_slice value, struct tnd_slice *out,
		     struct sip_parse_error *err)
{
	struct sip_scan s;
	const char *start;

	sip_scan_init(&s, value);
	sip_scan_lws(&s);
	start = s.p;
	if (!sip_scan_word(&s, NULL))
		return sip_scan_fail(&s, err, "Malformed Call-ID");
	if (sip_scan_char(&s, '@') && !sip_scan_word(&s, NULL))
		return sip_scan_fail(&s, err, "Malformed Call-ID");
	*out = (struct tnd_slice){ start, (size_t)(s.p - start) };
	sip_scan_lws(&s);
	if (!sip_scan_eof(&s))
		return sip_scan_fail(&s, err, "Malformed Call-ID");
	return 0;
}

int sip_uint_parse(struct tnd_slice value, uint32_t max, uint32_t *out,
		   struct sip_parse_error *err)
{
	struct sip_scan s;
	int rc;

	sip_scan_init(&s, value);
	sip_scan_lws(&s);
	rc = sip_scan_uint(&s, max, out);
	if (rc == ERANGE)
		return sip_scan_fail(&s, err, "Number out of range");
	if (rc)
		return sip_scan_fail(&s, err, "Malformed number");
	sip_scan_lws(&s);
	if (!sip_scan_eof(&s))
		return sip_scan_fail(&s, err, "Junk after number");
	return 0;
}
