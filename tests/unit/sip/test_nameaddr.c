/*
 * Address headers and the small headers of nameaddr.c and hdr_basic.c:
 * name-addr / addr-spec with header parameters (RFC 3261 §20.10, §20.20,
 * §20.39), Contact with expires and q (§20.10), CSeq (§20.16), Call-ID
 * (§20.8) and plain numbers. Examples come from RFC 3261 and RFC 4475.
 */
#include <string.h>

#include "tandem/mem.h"
#include "tandem/sip_hdr.h"
#include "test.h"

/* A parse failed with a 400 saying `text` about byte `off` of the value. */
#define CHECK_FAIL(rc, err, text, off)            \
	do {                                      \
		CHECK_INT((rc), EBADMSG);         \
		CHECK_INT((err).status, 400);     \
		CHECK_STR(S((err).what), (text)); \
		CHECK_INT((err).offset, (off));   \
	} while (0)

/* Parse a literal value; the _error forms keep only the error. */
static int parse_na(const char *text, struct sip_nameaddr *na)
{
	return sip_nameaddr_parse(S(text), na, NULL);
}

static int na_error(const char *text, struct sip_parse_error *err)
{
	struct sip_nameaddr na;

	return sip_nameaddr_parse(S(text), &na, err);
}

static int parse_contact(const char *text, struct sip_contact *c)
{
	return sip_contact_parse(S(text), c, NULL);
}

static int contact_error(const char *text, struct sip_parse_error *err)
{
	struct sip_contact c;

	return sip_contact_parse(S(text), &c, err);
}

static int parse_cseq(const char *text, struct sip_cseq *cs)
{
	return sip_cseq_parse(S(text), cs, NULL);
}

static int cseq_error(const char *text, struct sip_parse_error *err)
{
	struct sip_cseq cs;

	return sip_cseq_parse(S(text), &cs, err);
}

/* ---- name-addr --------------------------------------------------------- */

/* RFC 3261 §24.2 F1. */
static int test_nameaddr_quoted_display_uri_and_tag(void)
{
	const char *v = "\"Alice\" <sip:alice@atlanta.com>;tag=1928301774";
	struct sip_nameaddr na;

	CHECK_INT(sip_nameaddr_parse(S(v), &na, NULL), 0);
	CHECK_STR(na.display, "Alice");
	CHECK_STR(na.uri, "sip:alice@atlanta.com");
	CHECK(na.bracketed);
	CHECK_STR(na.params, ";tag=1928301774");
	CHECK(na.params.p == v + 31);
	CHECK_STR(na.tag, "1928301774");
	return 0;
}

/* RFC 4475 wsinv From: escapes kept as written, params folded. */
static int test_nameaddr_quoted_display_keeps_escapes(void)
{
	struct sip_nameaddr na;

	CHECK_INT(
	    parse_na("\"J Rosenberg \\\\\\\"\"       "
		     "<sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8",
		     &na),
	    0);
	CHECK_STR(na.display, "J Rosenberg \\\\\\\"");
	CHECK_STR(na.uri, "sip:jdrosen@example.com");
	CHECK_STR(na.params, ";\r\n  tag = 98asjd8");
	CHECK_STR(na.tag, "98asjd8");
	return 0;
}

/* RFC 4475 intmeth To: escaped BEL, NUL and DEL in the display name. */
static int test_nameaddr_display_with_escaped_controls(void)
{
	struct tnd_slice v = TND_SLICE_LIT(
	    "\"BEL:\\\a NUL:\\\0 DEL:\\\x7f\" <sip:1_unusual.URI~(to-be!sure)"
	    "&isn't+it$/crazy?,/;;*@example.com>");
	struct sip_nameaddr na;

	CHECK_INT(sip_nameaddr_parse(v, &na, NULL), 0);
	CHECK(na.display.p == v.p + 1);
	CHECK_INT(na.display.len, 20);
	CHECK(memcmp(na.display.p + 12, "\0 DEL:", 6) == 0);
	CHECK_STR(na.uri, "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*"
			  "@example.com");
	CHECK(na.params.len == 0 && na.tag.len == 0);
	return 0;
}

static int test_nameaddr_empty_quoted_display(void)
{
	struct sip_nameaddr na;

	CHECK_INT(parse_na("\"\"<sip:a@b>", &na), 0);
	CHECK_STR(na.display, "");
	CHECK(na.display.p != NULL);
	CHECK_STR(na.uri, "sip:a@b");
	return 0;
}

/* RFC 4475 lwsdisp: "caller<sip:caller@example.com>;tag=323". */
static int test_nameaddr_token_display_glued_to_laquot(void)
{
	struct sip_nameaddr na;

	CHECK_INT(parse_na("caller<sip:caller@example.com>;tag=323", &na), 0);
	CHECK_STR(na.display, "caller");
	CHECK_STR(na.uri, "sip:caller@example.com");
	CHECK(na.bracketed);
	CHECK_STR(na.tag, "323");
	return 0;
}

/* RFC 4475 intmeth From: several tokens of every token character. */
static int test_nameaddr_multi_token_display(void)
{
	struct sip_nameaddr na;

	CHECK_INT(parse_na("token1~` token2'+_ token3*%!.- "
			   "<sip:mundane@example.com>"
			   ";fromParam''~+*_!.-%=\"\xd1\x80\xd0\xb0\""
			   ";tag=_token~1'+`*%!-.",
			   &na),
		  0);
	CHECK_STR(na.display, "token1~` token2'+_ token3*%!.-");
	CHECK_STR(na.uri, "sip:mundane@example.com");
	CHECK_STR(na.tag, "_token~1'+`*%!-.");
	return 0;
}

static int test_nameaddr_display_tokens_keep_inner_lws(void)
{
	struct sip_nameaddr na;

	CHECK_INT(parse_na("  Bob \r\n Smith  <sip:bob@b>", &na), 0);
	CHECK_STR(na.display, "Bob \r\n Smith");
	return 0;
}

static int test_nameaddr_bracketed_without_display(void)
{
	struct sip_nameaddr na;

	CHECK_INT(parse_na("<sip:caller@host59.example.net>", &na), 0);
	CHECK_STR(na.display, "");
	CHECK_STR(na.uri, "sip:caller@host59.example.net");
	CHECK(na.bracketed);
	CHECK(na.params.p == NULL && na.tag.p == NULL);
	return 0;
}

/* RFC 4475 cparam01: parameters after a bare addr-spec are the header's. */
static int test_nameaddr_bare_addr_spec_params_belong_to_header(void)
{
	struct sip_nameaddr na;

	CHECK_INT(
	    parse_na("sip:+19725552222@gw1.example.net;unknownparam", &na), 0);
	CHECK(!na.bracketed);
	CHECK_STR(na.display, "");
	CHECK_STR(na.uri, "sip:+19725552222@gw1.example.net");
	CHECK_STR(na.params, ";unknownparam");
	CHECK(na.tag.p == NULL);
	return 0;
}

/* RFC 4475 cparam02: inside <> the parameter stays in the URI. */
static int test_nameaddr_bracketed_uri_keeps_its_params(void)
{
	struct sip_nameaddr na;

	CHECK_INT(parse_na("<sip:+19725552222@gw1.example.net;unknownparam>"
			   ";tag=1",
			   &na),
		  0);
	CHECK_STR(na.uri, "sip:+19725552222@gw1.example.net;unknownparam");
	CHECK_STR(na.params, ";tag=1");
	CHECK_STR(na.tag, "1");
	return 0;
}

/* RFC 4475 regescrt: a header part is fine inside <>. */
static int test_nameaddr_bracketed_uri_may_carry_headers(void)
{
	struct sip_nameaddr na;

	CHECK_INT(parse_na("<sip:user@example.com"
			   "?Route=%3Csip:sip.example.com%3E>",
			   &na),
		  0);
	CHECK_STR(na.uri,
		  "sip:user@example.com?Route=%3Csip:sip.example.com%3E");
	return 0;
}

/* RFC 4475 wsinv To: LWS before ';' and around '='. */
static int test_nameaddr_bare_addr_spec_lws_before_params(void)
{
	struct sip_nameaddr na;

	CHECK_INT(parse_na("\r\n sip:vivekg@chair-dnrc.example.com"
			   " ;   tag    = 1918181833n",
			   &na),
		  0);
	CHECK_STR(na.uri, "sip:vivekg@chair-dnrc.example.com");
	CHECK_STR(na.params, ";   tag    = 1918181833n");
	CHECK_STR(na.tag, "1918181833n");
	return 0;
}

static int test_nameaddr_other_schemes_taken_as_text(void)
{
	struct sip_nameaddr na;

	CHECK_INT(parse_na("isbn:2983792873", &na), 0);
	CHECK_STR(na.uri, "isbn:2983792873");
	CHECK_INT(parse_na("<http://www.example.com>;tag=3234233", &na), 0);
	CHECK_STR(na.uri, "http://www.example.com");
	CHECK_STR(na.tag, "3234233");
	CHECK_INT(parse_na("sip:user@[2001:db8:::192.0.2.1]", &na), 0);
	CHECK_STR(na.uri, "sip:user@[2001:db8:::192.0.2.1]");
	return 0;
}

static int test_nameaddr_tag_name_is_case_insensitive(void)
{
	struct sip_nameaddr na;

	CHECK_INT(parse_na("<sip:a@b>;x=1;TAG=AbC;tag=2", &na), 0);
	CHECK_STR(na.tag, "AbC");
	CHECK_STR(na.params, ";x=1;TAG=AbC;tag=2");
	return 0;
}

/* RFC 4475 badaspec: "< sip:t.watson@example.org >". */
static int test_nameaddr_spaces_inside_brackets_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(
	    na_error("\"Watson, Thomas\" < sip:t.watson@example.org >", &err),
	    err, "Bad character in URI", 18);
	CHECK_FAIL(na_error("<sip:a@b\r\n c>", &err), err,
		   "Bad character in URI", 8);
	return 0;
}

static int test_nameaddr_unclosed_or_empty_brackets_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(na_error("<sip:a@b;tag=1", &err), err,
		   "Missing '>' after URI", 14);
	CHECK_FAIL(na_error("Bob <>", &err), err, "Empty URI", 6);
	CHECK_FAIL(na_error("<sip:a<b>", &err), err, "Bad character in URI", 6);
	return 0;
}

/* RFC 4475 quotbal: "\"Mr. J. User <sip:j.user@example.com>". */
static int test_nameaddr_unterminated_quote_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(na_error("\"Mr. J. User <sip:j.user@example.com>", &err),
		   err, "Unterminated quoted display name", 0);
	CHECK_FAIL(na_error("  \"a\\\" <sip:a@b>", &err), err,
		   "Unterminated quoted display name", 2);
	return 0;
}

/* name-addr = [ display-name ] LAQUOT addr-spec RAQUOT: no bare URI. */
static int test_nameaddr_quoted_display_without_laquot_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(na_error("\"Bob\" sip:bob@example.com", &err), err,
		   "Missing '<' after display name", 6);
	CHECK_FAIL(na_error("\"Bob\"", &err), err,
		   "Missing '<' after display name", 5);
	return 0;
}

/* RFC 4475 regbadct: a bare addr-spec may not carry '?' headers. */
static int test_nameaddr_question_mark_in_bare_addr_spec_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(
	    na_error("sip:user@example.com?Route=%3Csip:sip.example.com%3E",
		     &err),
	    err, "Bad character in URI", 20);
	return 0;
}

/* RFC 4475 baddn: an unquoted display name with ',' is no name-addr. */
static int test_nameaddr_comma_in_unquoted_display_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(
	    na_error("Bell, Alexander <sip:a.g.bell@example.com>;tag=43", &err),
	    err, "Malformed address", 4);
	return 0;
}

static int test_nameaddr_bare_value_without_scheme_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(na_error("", &err), err, "Malformed address", 0);
	CHECK_FAIL(na_error("alice@atlanta.com", &err), err,
		   "Malformed address", 17);
	CHECK_FAIL(na_error("sip:;tag=1", &err), err, "Malformed address", 4);
	return 0;
}

static int test_nameaddr_junk_after_address_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(na_error("<sip:a@b> x", &err), err, "Junk after address",
		   10);
	CHECK_FAIL(na_error("sip:a@b c", &err), err, "Junk after address", 8);
	CHECK_FAIL(na_error("<sip:a@b>, <sip:c@d>", &err), err,
		   "Junk after address", 9);
	return 0;
}

/* RFC 4475 badinv01: "Contact: \"Joe\" <sip:joe@example.org>;;;;". */
static int test_nameaddr_empty_params_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(na_error("\"Joe\" <sip:joe@example.org>;;;;", &err), err,
		   "Empty or malformed parameter", 28);
	return 0;
}

static int test_nameaddr_parse_resets_output(void)
{
	struct sip_nameaddr na;

	CHECK_INT(parse_na("\"A\" <sip:a@b>;tag=1", &na), 0);
	CHECK_INT(parse_na("sip:c@d", &na), 0);
	CHECK(!na.bracketed);
	CHECK(na.display.len == 0 && na.tag.p == NULL && na.params.p == NULL);
	CHECK_INT(parse_na("\"A\" sip:a@b", &na), EBADMSG);
	CHECK(na.display.p == NULL && na.uri.p == NULL);
	return 0;
}

/* ---- Contact ----------------------------------------------------------- */

static int test_contact_star(void)
{
	struct sip_contact c;

	CHECK_INT(parse_contact("*", &c), 0);
	CHECK(c.star);
	CHECK(c.addr.uri.p == NULL);
	CHECK_INT(parse_contact(" \r\n * \t", &c), 0);
	CHECK(c.star);
	return 0;
}

static int test_contact_star_with_anything_after_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(contact_error("*;expires=0", &err), err,
		   "Junk after Contact *", 1);
	CHECK_FAIL(contact_error("* <sip:a@b>", &err), err,
		   "Junk after Contact *", 2);
	return 0;
}

/* RFC 3261 §10.2.1.1. */
static int test_contact_expires(void)
{
	struct sip_contact c;

	CHECK_INT(parse_contact("<sips:bob@client.biloxi.example.com>"
				";expires=3600",
				&c),
		  0);
	CHECK(!c.star);
	CHECK_STR(c.addr.uri, "sips:bob@client.biloxi.example.com");
	CHECK(c.has_expires);
	CHECK_INT(c.expires, 3600);
	CHECK(!c.has_q);
	CHECK_INT(parse_contact("<sip:a@b>;expires=0", &c), 0);
	CHECK(c.has_expires);
	CHECK_INT(c.expires, 0);
	CHECK_INT(parse_contact("<sip:a@b>;expires=4294967295", &c), 0);
	CHECK_INT(c.expires, 4294967295u);
	return 0;
}

/* An expires inside <> is the URI's, not the contact's. */
static int test_contact_uri_expires_is_not_contact_expires(void)
{
	struct sip_contact c;

	CHECK_INT(parse_contact("<sip:a@b;expires=60>", &c), 0);
	CHECK(!c.has_expires);
	CHECK_INT(c.expires, 0);
	return 0;
}

/* RFC 4475 scalar02: "<sip:user@host129.example.com>\r\n  ;expires=2802..." */
static int test_contact_expires_above_u32_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(contact_error("<sip:user@host129.example.com>\r\n"
				 "  ;expires=280297596632815",
				 &err),
		   err, "Bad Contact expires", 43);
	CHECK_FAIL(contact_error("<sip:a@b>;expires=4294967296", &err), err,
		   "Bad Contact expires", 18);
	return 0;
}

static int test_contact_expires_not_a_number_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(contact_error("<sip:a@b>;expires=soon", &err), err,
		   "Bad Contact expires", 18);
	CHECK_FAIL(contact_error("<sip:a@b>;expires;q=1", &err), err,
		   "Bad Contact expires", 17);
	CHECK_FAIL(contact_error("<sip:a@b>;expires=\"60\"", &err), err,
		   "Bad Contact expires", 18);
	return 0;
}

static int test_contact_q_values(void)
{
	static const struct {
		const char *q;
		uint16_t value;
	} good[] = {
		{ "0", 0 },     { "0.5", 500 },    { "0.123", 123 },
		{ "1", 1000 },  { "1.000", 1000 }, { "0.", 0 },
		{ "1.", 1000 }, { "0.05", 50 },    { "0.001", 1 },
		{ "0.000", 0 }, { "1.0", 1000 },
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char v[40] = "<sip:a@b>;q=";
		struct sip_contact c;

		strcat(v, good[i].q);
		CHECK_INT(sip_contact_parse(S(v), &c, NULL), 0);
		CHECK(c.has_q);
		CHECK_INT(c.q, good[i].value);
	}
	return 0;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) */
static int test_contact_bad_q_values_rejected(void)
{
	static const char *const bad[] = {
		"1.1",  "0.1234", "2",    "1.001",   ".5",     "01",
		"00.5", "-0",     "0.5a", "\"0.5\"", "1.0000",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char v[40] = "<sip:a@b>;q=";
		struct sip_contact c;
		struct sip_parse_error err;

		strcat(v, bad[i]);
		CHECK_FAIL(sip_contact_parse(S(v), &c, &err), err,
			   "Bad Contact q-value", 12);
	}
	return 0;
}

static int test_contact_bare_q_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(contact_error("<sip:a@b>;q", &err), err,
		   "Bad Contact q-value", 11);
	return 0;
}

/* RFC 4475 wsinv "m:" value: LWS around '=', folds, q = 0.33. */
static int test_contact_wsinv_params_with_lws(void)
{
	struct sip_contact c;
	struct tnd_slice v;

	CHECK_INT(parse_contact("\"Quoted string \\\"\\\"\" "
				"<sip:jdrosen@example.com> ; newparam =\r\n"
				"      newvalue ;\r\n"
				"  secondparam ; q = 0.33",
				&c),
		  0);
	CHECK_STR(c.addr.display, "Quoted string \\\"\\\"");
	CHECK_STR(c.addr.uri, "sip:jdrosen@example.com");
	CHECK(c.has_q);
	CHECK_INT(c.q, 330);
	CHECK(!c.has_expires);
	CHECK(sip_params_get(c.addr.params, "newparam", &v));
	CHECK_STR(v, "newvalue");
	CHECK(sip_params_get(c.addr.params, "secondparam", &v));
	CHECK_STR(v, "");
	return 0;
}

/* The elements of a Contact list, split first and parsed one by one. */
static int test_contact_list_elements(void)
{
	struct tnd_slice value = S("<sip:a@b>;q=0.7;expires=60, \"X, Y\" "
				   "<sip:c@d>;q=1 , sip:e@f");
	struct tnd_slice item;
	struct sip_contact c;
	size_t pos = 0;

	CHECK(sip_value_next(value, &pos, &item));
	CHECK_INT(sip_contact_parse(item, &c, NULL), 0);
	CHECK_INT(c.q, 700);
	CHECK_INT(c.expires, 60);
	CHECK(sip_value_next(value, &pos, &item));
	CHECK_INT(sip_contact_parse(item, &c, NULL), 0);
	CHECK_STR(c.addr.display, "X, Y");
	CHECK_INT(c.q, 1000);
	CHECK(!c.has_expires);
	CHECK(sip_value_next(value, &pos, &item));
	CHECK_INT(sip_contact_parse(item, &c, NULL), 0);
	CHECK_STR(c.addr.uri, "sip:e@f");
	CHECK(!c.has_q && !c.has_expires);
	CHECK(!sip_value_next(value, &pos, &item));
	return 0;
}

static int test_contact_address_errors_pass_through(void)
{
	struct sip_contact c;
	struct sip_parse_error err;

	CHECK_FAIL(contact_error("", &err), err, "Malformed address", 0);
	CHECK_FAIL(sip_contact_parse(S("<sip:a@b>;;"), &c, &err), err,
		   "Empty or malformed parameter", 10);
	CHECK(!c.star && !c.has_q && !c.has_expires);
	return 0;
}

/* ---- CSeq -------------------------------------------------------------- */

static int test_cseq_number_and_method(void)
{
	struct sip_cseq cs;

	CHECK_INT(parse_cseq("314159 INVITE", &cs), 0);
	CHECK_INT(cs.number, 314159);
	CHECK_INT(cs.method, SIP_METHOD_INVITE);
	CHECK_STR(cs.method_name, "INVITE");
	CHECK_INT(parse_cseq("0 ACK", &cs), 0);
	CHECK_INT(cs.number, 0);
	CHECK_INT(cs.method, SIP_METHOD_ACK);
	return 0;
}

/* RFC 4475 wsinv: "cseq: 0009\r\n  INVITE". */
static int test_cseq_leading_zeros_and_fold(void)
{
	struct sip_cseq cs;

	CHECK_INT(parse_cseq("0009\r\n  INVITE", &cs), 0);
	CHECK_INT(cs.number, 9);
	CHECK_INT(cs.method, SIP_METHOD_INVITE);
	CHECK_INT(parse_cseq(" \t00000000000000000000042 BYE \r\n ", &cs), 0);
	CHECK_INT(cs.number, 42);
	CHECK_INT(cs.method, SIP_METHOD_BYE);
	return 0;
}

/* RFC 4475 intmeth: an extension method, name kept as written. */
static int test_cseq_extension_method(void)
{
	struct sip_cseq cs;

	CHECK_INT(parse_cseq("139122385 "
			     "!interesting-Method0123456789_*+`.%indeed'~",
			     &cs),
		  0);
	CHECK_INT(cs.number, 139122385);
	CHECK_INT(cs.method, SIP_METHOD_UNKNOWN);
	CHECK_STR(cs.method_name,
		  "!interesting-Method0123456789_*+`.%indeed'~");
	/* Methods are case-sensitive (RFC 3261 §7.1). */
	CHECK_INT(parse_cseq("1 invite", &cs), 0);
	CHECK_INT(cs.method, SIP_METHOD_UNKNOWN);
	return 0;
}

static int test_cseq_max_u32_accepted(void)
{
	struct sip_cseq cs;

	CHECK_INT(parse_cseq("4294967295 OPTIONS", &cs), 0);
	CHECK_INT(cs.number, 4294967295u);
	return 0;
}

/* RFC 4475 scalar02: "CSeq: 36893488147419103232 REGISTER". */
static int test_cseq_overflow_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(cseq_error("36893488147419103232 REGISTER", &err), err,
		   "CSeq number too large", 0);
	CHECK_FAIL(cseq_error(" 4294967296 INVITE", &err), err,
		   "CSeq number too large", 1);
	return 0;
}

static int test_cseq_missing_parts_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(cseq_error("", &err), err, "Malformed CSeq number", 0);
	CHECK_FAIL(cseq_error("INVITE", &err), err, "Malformed CSeq number", 0);
	CHECK_FAIL(cseq_error("-1 INVITE", &err), err, "Malformed CSeq number",
		   0);
	CHECK_FAIL(cseq_error("1", &err), err, "Malformed CSeq method", 1);
	CHECK_FAIL(cseq_error("1 ", &err), err, "Malformed CSeq method", 2);
	CHECK_FAIL(cseq_error("1 ;INVITE", &err), err, "Malformed CSeq method",
		   2);
	return 0;
}

/* CSeq = 1*DIGIT LWS Method: the whitespace is required. */
static int test_cseq_number_glued_to_method_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(cseq_error("1INVITE", &err), err, "Malformed CSeq method",
		   1);
	return 0;
}

static int test_cseq_junk_after_method_rejected(void)
{
	struct sip_parse_error err;

	CHECK_FAIL(cseq_error("1 INVITE x", &err), err, "Junk after CSeq", 9);
	CHECK_FAIL(cseq_error("1 INVITE;x", &err), err, "Junk after CSeq", 8);
	CHECK_FAIL(cseq_error("1 2 INVITE", &err), err, "Junk after CSeq", 4);
	return 0;
}

/* ---- Call-ID ----------------------------------------------------------- */

static int test_callid_word_at_word(void)
{
	struct tnd_slice id;

	CHECK_INT(sip_callid_parse(S("f81d4fae-7dec-11d0-a765-00a0c91e6bf6"
				     "@foo.bar.com"),
				   &id, NULL),
		  0);
	CHECK_STR(id, "f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com");
	CHECK_INT(sip_callid_parse(S("a84b4c76e66710"), &id, NULL), 0);
	CHECK_STR(id, "a84b4c76e66710");
	return 0;
}

/* RFC 4475 intmeth: every word character on both sides of '@'. */
static int test_callid_takes_all_word_characters(void)
{
	struct tnd_slice id;

	CHECK_INT(sip_callid_parse(S("intmeth.word%ZK-!.*_+'"
				     "@word`~)(><:\\/\"][?}{"),
				   &id, NULL),
		  0);
	CHECK_STR(id, "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
	return 0;
}

static int test_callid_trims_surrounding_lws(void)
{
	const char *v = "  transports.kijh4akdnaqjkwendsasfdj \r\n ";
	struct tnd_slice id;

	CHECK_INT(sip_callid_parse(S(v), &id, NULL), 0);
	CHECK_STR(id, "transports.kijh4akdnaqjkwendsasfdj");
	CHECK(id.p == v + 2);
	return 0;
}

static int test_callid_malformed_rejected(void)
{
	static const struct {
		const char *v;
		size_t offset;
	} bad[] = {
		{ "", 0 },     { "  ", 2 },    { "a b", 2 }, { "a@", 2 },
		{ "@b", 0 },   { "a@b@c", 3 }, { "a;b", 1 }, { "a,b", 1 },
		{ "a@ b", 2 }, { "a=b", 1 },
	};
	struct tnd_slice id;
	struct sip_parse_error err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_FAIL(sip_callid_parse(S(bad[i].v), &id, &err), err,
			   "Malformed Call-ID", bad[i].offset);
	}
	return 0;
}

/* ---- plain numbers ----------------------------------------------------- */

static int test_uint_parse_reads_number_with_lws(void)
{
	uint32_t v = 0;

	CHECK_INT(sip_uint_parse(S(" 0068 "), 255, &v, NULL), 0); /* wsinv */
	CHECK_INT(v, 68);
	CHECK_INT(sip_uint_parse(S("\r\n 0"), 255, &v, NULL), 0);
	CHECK_INT(v, 0);
	CHECK_INT(sip_uint_parse(S("4294967295"), UINT32_MAX, &v, NULL), 0);
	CHECK_INT(v, 4294967295u);
	CHECK_INT(sip_uint_parse(S("255"), 255, &v, NULL), 0);
	CHECK_INT(v, 255);
	return 0;
}

/* RFC 4475 scalar02: Max-Forwards 300 and a 100-digit Expires. */
static int test_uint_parse_above_max_rejected(void)
{
	uint32_t v = 7;
	struct sip_parse_error err;

	CHECK_FAIL(sip_uint_parse(S("300"), 255, &v, &err), err,
		   "Number out of range", 0);
	CHECK_FAIL(sip_uint_parse(S(" 1000000000000000000000000000000000000000"
				    "0000000000000000000000000000000000000000"
				    "00000000000000000000"),
				  UINT32_MAX, &v, &err),
		   err, "Number out of range", 1);
	CHECK_FAIL(sip_uint_parse(S("4294967296"), UINT32_MAX, &v, &err), err,
		   "Number out of range", 0);
	CHECK_INT(v, 7);
	return 0;
}

static int test_uint_parse_malformed_rejected(void)
{
	uint32_t v;
	struct sip_parse_error err;

	CHECK_FAIL(sip_uint_parse(S(""), 10, &v, &err), err, "Malformed number",
		   0);
	CHECK_FAIL(sip_uint_parse(S("-1"), 10, &v, &err), err,
		   "Malformed number", 0);
	CHECK_FAIL(sip_uint_parse(S(" x"), 10, &v, &err), err,
		   "Malformed number", 1);
	CHECK_FAIL(sip_uint_parse(S("1 2"), 10, &v, &err), err,
		   "Junk after number", 2);
	CHECK_FAIL(sip_uint_parse(S("1.5"), 10, &v, &err), err,
		   "Junk after number", 1);
	return 0;
}

/*
 * Every prefix of each value, in a heap block of exactly its length, so
 * that a read past the slice trips the address sanitizer.
 */
static void parse_all(struct tnd_slice v)
{
	struct sip_nameaddr na;
	struct sip_contact c;
	struct sip_cseq cs;
	struct tnd_slice id;
	uint32_t u;
	struct sip_parse_error err;

	(void)sip_nameaddr_parse(v, &na, &err);
	(void)sip_contact_parse(v, &c, &err);
	(void)sip_cseq_parse(v, &cs, &err);
	(void)sip_callid_parse(v, &id, &err);
	(void)sip_uint_parse(v, UINT32_MAX, &u, &err);
}

static int test_parsers_never_read_past_value(void)
{
	static const char *const values[] = {
		"\"J Rosenberg \\\\\\\"\" <sip:a@b>\r\n ;\r\n tag = 98",
		"caller<sip:caller@example.com>;tag=323",
		"sip:a@[2001:db8::1];q=0.5;expires=60",
		" * ",
		"0009\r\n  INVITE",
		"intmeth.word%ZK@word`~)(><",
		" 0068 ",
	};

	CHECK_OK(test_each_prefix(values, sizeof(values) / sizeof(values[0]),
				  parse_all));
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_nameaddr_quoted_display_uri_and_tag),
	TEST(test_nameaddr_quoted_display_keeps_escapes),
	TEST(test_nameaddr_display_with_escaped_controls),
	TEST(test_nameaddr_empty_quoted_display),
	TEST(test_nameaddr_token_display_glued_to_laquot),
	TEST(test_nameaddr_multi_token_display),
	TEST(test_nameaddr_display_tokens_keep_inner_lws),
	TEST(test_nameaddr_bracketed_without_display),
	TEST(test_nameaddr_bare_addr_spec_params_belong_to_header),
	TEST(test_nameaddr_bracketed_uri_keeps_its_params),
	TEST(test_nameaddr_bracketed_uri_may_carry_headers),
	TEST(test_nameaddr_bare_addr_spec_lws_before_params),
	TEST(test_nameaddr_other_schemes_taken_as_text),
	TEST(test_nameaddr_tag_name_is_case_insensitive),
	TEST(test_nameaddr_spaces_inside_brackets_rejected),
	TEST(test_nameaddr_unclosed_or_empty_brackets_rejected),
	TEST(test_nameaddr_unterminated_quote_rejected),
	TEST(test_nameaddr_quoted_display_without_laquot_rejected),
	TEST(test_nameaddr_question_mark_in_bare_addr_spec_rejected),
	TEST(test_nameaddr_comma_in_unquoted_display_rejected),
	TEST(test_nameaddr_bare_value_without_scheme_rejected),
	TEST(test_nameaddr_junk_after_address_rejected),
	TEST(test_nameaddr_empty_params_rejected),
	TEST(test_nameaddr_parse_resets_output),
	TEST(test_contact_star),
	TEST(test_contact_star_with_anything_after_rejected),
	TEST(test_contact_expires),
	TEST(test_contact_uri_expires_is_not_contact_expires),
	TEST(test_contact_expires_above_u32_rejected),
	TEST(test_contact_expires_not_a_number_rejected),
	TEST(test_contact_q_values),
	TEST(test_contact_bad_q_values_rejected),
	TEST(test_contact_bare_q_rejected),
	TEST(test_contact_wsinv_params_with_lws),
	TEST(test_contact_list_elements),
	TEST(test_contact_address_errors_pass_through),
	TEST(test_cseq_number_and_method),
	TEST(test_cseq_leading_zeros_and_fold),
	TEST(test_cseq_extension_method),
	TEST(test_cseq_max_u32_accepted),
	TEST(test_cseq_overflow_rejected),
	TEST(test_cseq_missing_parts_rejected),
	TEST(test_cseq_number_glued_to_method_rejected),
	TEST(test_cseq_junk_after_method_rejected),
	TEST(test_callid_word_at_word),
	TEST(test_callid_takes_all_word_characters),
	TEST(test_callid_trims_surrounding_lws),
	TEST(test_callid_malformed_rejected),
	TEST(test_uint_parse_reads_number_with_lws),
	TEST(test_uint_parse_above_max_rejected),
	TEST(test_uint_parse_malformed_rejected),
	TEST(test_parsers_never_read_past_value),
};

TEST_MAIN(cases)
