/*
 * What each torture message is there to test, pinned for test_torture.c:
 * field values a correct parse must produce, the reason a refusal must
 * give, and our choice for the messages the RFC lets us accept or refuse.
 */
#ifndef TANDEM_TORTURE_EXPECT_H
#define TANDEM_TORTURE_EXPECT_H

static bool file_is(const char *file, const char *name)
{
	const char *slash = strrchr(file, '/');

	return strcmp(slash ? slash + 1 : file, name) == 0;
}

/* RFC 4475 names a second acceptable status for these two. */
static bool alternative_status(const char *file, unsigned status)
{
	return status == 400 &&
	       (file_is(file, "mismatch02.dat") || file_is(file, "sdp01.dat"));
}

/* Its header section never ends: there is no request to answer. */
static bool droppable(const char *file)
{
	return file_is(file, "baddn.dat");
}

/*
 * invalid-may-accept messages we accept: the Date we never read, and a
 * Contact whose header part is refused when the Contact is typed.
 */
static bool accepted_by_choice(const char *file)
{
	return file_is(file, "baddate.dat") || file_is(file, "regbadct.dat");
}

struct reject_reason {
	const char *file;
	const char *what;
	const char *header; /* NULL: the start line or framing */
};

static const struct reject_reason reject_reasons[] = {
	{ "badinv01.dat", "Empty or malformed parameter", "Via" },
	{ "clerr.dat", "Content-Length larger than message", NULL },
	{ "ncl.dat", "Bad Content-Length", NULL },
	{ "scalar02.dat", "CSeq number too large", "CSeq" },
	{ "scalarlg.dat", "CSeq number too large", "CSeq" },
	{ "quotbal.dat", "Unterminated quoted display name", "To" },
	{ "ltgtruri.dat", "Malformed Request-URI", NULL },
	{ "lwsruri.dat", "Malformed request line", NULL },
	{ "lwsstart.dat", "Malformed request line", NULL },
	{ "trws.dat", "Malformed request line", NULL },
	{ "escruri.dat", "Headers in Request-URI", NULL },
	{ "badaspec.dat", "Bad character in URI", "To" },
	{ "baddn.dat", "Missing empty line after headers", NULL },
	{ "badvers.dat", "Version Not Supported", NULL },
	{ "mismatch01.dat", "CSeq method does not match request", "CSeq" },
	{ "mismatch02.dat", "CSeq method does not match request", "CSeq" },
	{ "bigcode.dat", "Bad status code", NULL },
	{ "mcl01.dat", "Conflicting Content-Length", NULL },
	{ "ipv6-bad.dat", "Malformed Request-URI", NULL },
};

static int check_reject_reason(const char *file,
			       const struct sip_parse_error *err)
{
	for (size_t i = 0;
	     i < sizeof(reject_reasons) / sizeof(reject_reasons[0]); i++) {
		const struct reject_reason *r = &reject_reasons[i];

		if (!file_is(file, r->file))
			continue;
		if (strcmp(err->what, r->what) != 0 ||
		    (r->header ? !test_slice_is(err->header, r->header)
			       : err->header.len != 0)) {
			test_fail(__FILE__, __LINE__,
				  "%s: refused for \"%s\" in "
				  "\"%.*s\", want \"%s\" in \"%s\"",
				  file, err->what, TND_SLICE_FMT(err->header),
				  r->what, r->header ? r->header : "");
			return EPROTO;
		}
		return 0;
	}
	test_fail(__FILE__, __LINE__, "%s: no reason pinned for its refusal",
		  file);
	return EPROTO;
}

static int expect_wsinv(const struct sip_msg *m)
{
	CHECK_INT(m->max_forwards, 68);
	CHECK_INT(m->cseq.number, 9);
	CHECK_STR(m->cseq.method_name, "INVITE");
	CHECK_STR(m->to.tag, "1918181833n");
	CHECK_STR(m->from.tag, "98asjd8");
	CHECK_STR(m->from.display, "J Rosenberg \\\\\\\"");
	CHECK_STR(m->via.transport, "UDP");
	CHECK_STR(m->via.host, "192.0.2.2");
	CHECK_STR(m->via.branch, "390skdjuw");
	CHECK_INT(m->body.len, 150);
	/* Two Via header fields, one holding two values. */
	struct sip_value_iter it = { 0 };
	struct tnd_slice v;
	int vias = 0;
	while (sip_msg_value_next(m, SIP_HDR_VIA, &it, &v))
		vias++;
	CHECK_INT(vias, 3);
	CHECK(sip_msg_hdr_by_name(m, S("NewFangledHeader")) != NULL);
	return 0;
}

static int expect_esc01(const struct sip_msg *m)
{
	CHECK_STR(m->ruri.user, "sips%3Auser%40example.com");
	CHECK_STR(m->ruri.host, "example.net");
	return 0;
}

static int expect_escnull(const struct sip_msg *m)
{
	struct sip_uri to;
	char user[32];

	CHECK_OK(sip_uri_parse(m->to.uri, &to, NULL));
	size_t n = sip_unescape(to.user, user, sizeof(user));
	CHECK_INT(n,
		  11); /* "null-", NUL, "-null": unescaping must not truncate */
	CHECK(memcmp(user, "null-\0-null", 11) == 0);
	CHECK_INT(sip_msg_hdr_count(m, SIP_HDR_CONTACT), 2);
	return 0;
}

static int expect_dblreq(const struct sip_msg *m)
{
	CHECK(m->method == SIP_METHOD_REGISTER);
	CHECK_INT(m->body.len, 0);
	return 0;
}

static int expect_semiuri(const struct sip_msg *m)
{
	CHECK_STR(m->ruri.user, "user;par=u%40example.net");
	CHECK_STR(m->ruri.host, "example.com");
	return 0;
}

static int expect_transports(const struct sip_msg *m)
{
	static const char *const want[] = { "UDP", "SCTP", "TLS", "UNKNOWN",
					    "TCP" };
	const struct sip_hdr *h = sip_msg_hdr(m, SIP_HDR_VIA);

	for (size_t i = 0; i < 5; i++, h = sip_msg_hdr_next(m, h)) {
		struct sip_via via;

		CHECK(h != NULL);
		CHECK_OK(sip_via_parse(h->value, &via, NULL));
		CHECK_STR(via.transport, want[i]);
	}
	CHECK(h == NULL);
	return 0;
}

static int expect_mpart01(const struct sip_msg *m)
{
	CHECK(m->has_content_length);
	CHECK_INT(m->body.len, m->content_length);
	return 0;
}

static int expect_noreason(const struct sip_msg *m)
{
	CHECK_INT(m->status, 100);
	CHECK_INT(m->reason.len, 0);
	return 0;
}

static int expect_unreason(const struct sip_msg *m)
{
	CHECK_INT(m->status, 200);
	CHECK(m->reason.len > 40); /* UTF-8 kept whole */
	return 0;
}

static int expect_inv2543(const struct sip_msg *m)
{
	CHECK(!m->has_content_length);
	CHECK(!m->has_max_forwards);
	CHECK(m->from.tag.p == NULL);
	CHECK(m->body.len > 0); /* the rest of the datagram */
	return 0;
}

static int expect_lwsdisp(const struct sip_msg *m)
{
	CHECK_STR(m->from.display, "caller");
	CHECK_STR(m->from.uri, "sip:caller@example.com");
	return 0;
}

static int expect_regbadct(const struct sip_msg *m)
{
	struct sip_contact c;

	/* Accepted, but its Contact is never taken: typing it refuses it. */
	CHECK(sip_contact_parse(sip_msg_hdr(m, SIP_HDR_CONTACT)->value, &c,
				NULL) != 0);
	return 0;
}

static int expect_cparam01(const struct sip_msg *m)
{
	struct sip_contact c;
	struct sip_uri u;

	CHECK_OK(sip_contact_parse(sip_msg_hdr(m, SIP_HDR_CONTACT)->value, &c,
				   NULL));
	CHECK(sip_params_get(c.addr.params, "unknownparam", NULL));
	CHECK_OK(sip_uri_parse(c.addr.uri, &u, NULL));
	CHECK(!sip_uri_param(&u, "unknownparam", NULL));
	return 0;
}

static int expect_cparam02(const struct sip_msg *m)
{
	struct sip_contact c;
	struct sip_uri u;

	CHECK_OK(sip_contact_parse(sip_msg_hdr(m, SIP_HDR_CONTACT)->value, &c,
				   NULL));
	CHECK_OK(sip_uri_parse(c.addr.uri, &u, NULL));
	CHECK(sip_uri_param(&u, "unknownparam", NULL));
	return 0;
}

static int expect_regescrt(const struct sip_msg *m)
{
	struct sip_contact c;
	struct sip_uri u;

	CHECK_OK(sip_contact_parse(sip_msg_hdr(m, SIP_HDR_CONTACT)->value, &c,
				   NULL));
	CHECK_OK(sip_uri_parse(c.addr.uri, &u, NULL));
	CHECK_STR(u.headers, "Route=%3Csip:sip.example.com%3E");
	return 0;
}

static int expect_port_ambiguous(const struct sip_msg *m)
{
	CHECK(m->ruri.host_type == SIP_HOST_IPV6);
	CHECK_STR(m->ruri.host, "2001:db8::10:5070");
	CHECK_INT(m->ruri.port, 0);
	return 0;
}

static int expect_port_unambiguous(const struct sip_msg *m)
{
	CHECK_STR(m->ruri.host, "2001:db8::10");
	CHECK_INT(m->ruri.port, 5070);
	return 0;
}

static int expect_received_with_delim(const struct sip_msg *m)
{
	CHECK_STR(m->via.received, "2001:db8::9:255");
	CHECK_STR(m->via.host, "2001:db8::9:1");
	return 0;
}

static int expect_mult_ip_in_header(const struct sip_msg *m)
{
	CHECK_STR(m->via.host, "2001:db8::9:1");
	CHECK_INT(m->via.port, 6050);
	return 0;
}

static int expect_three_colons(const struct sip_msg *m)
{
	CHECK_STR(m->ruri.host, "2001:db8:::192.0.2.1");
	return 0;
}

struct specific {
	const char *file;
	int (*fn)(const struct sip_msg *m);
};

static const struct specific specifics[] = {
	{ "wsinv.dat", expect_wsinv },
	{ "esc01.dat", expect_esc01 },
	{ "escnull.dat", expect_escnull },
	{ "dblreq.dat", expect_dblreq },
	{ "semiuri.dat", expect_semiuri },
	{ "transports.dat", expect_transports },
	{ "mpart01.dat", expect_mpart01 },
	{ "noreason.dat", expect_noreason },
	{ "unreason.dat", expect_unreason },
	{ "inv2543.dat", expect_inv2543 },
	{ "lwsdisp.dat", expect_lwsdisp },
	{ "regbadct.dat", expect_regbadct },
	{ "cparam01.dat", expect_cparam01 },
	{ "cparam02.dat", expect_cparam02 },
	{ "regescrt.dat", expect_regescrt },
	{ "port-ambiguous.dat", expect_port_ambiguous },
	{ "port-unambiguous.dat", expect_port_unambiguous },
	{ "via-received-param-with-delim.dat", expect_received_with_delim },
	{ "via-received-param-no-delim.dat", expect_received_with_delim },
	{ "mult-ip-in-header.dat", expect_mult_ip_in_header },
	{ "ipv6-bug-abnf-3-colons.dat", expect_three_colons },
};

static int check_specifics(const char *file, const struct sip_msg *m)
{
	for (size_t i = 0; i < sizeof(specifics) / sizeof(specifics[0]); i++) {
		if (file_is(file, specifics[i].file))
			return specifics[i].fn(m);
	}
	return 0;
}

#endif
