/*
 * The scanner under every SIP parser (scan.c): LWS and folding (RFC 3261
 * §7.3.1, §25.1), tokens, words, quoted strings, numbers, generic
 * parameters, IPv4/IPv6 literals (RFC 4291 §2.2, RFC 5118) and hosts.
 */
#include <string.h>

#include "sip_int.h"
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

static struct sip_scan scan_of(struct tnd_slice text)
{
	struct sip_scan s;

	sip_scan_init(&s, text);
	return s;
}

/* ---- LWS and separators ------------------------------------------------ */

static int test_scan_lws_skips_spaces_and_tabs(void)
{
	struct sip_scan s = scan_of(S(" \t \tx"));

	sip_scan_lws(&s);
	CHECK_INT(sip_scan_offset(&s), 4);
	CHECK(sip_scan_peek(&s, 'x'));
	return 0;
}

static int test_scan_lws_skips_crlf_fold(void)
{
	struct sip_scan s = scan_of(S("  \r\n  x"));

	sip_scan_lws(&s);
	CHECK_INT(sip_scan_offset(&s), 6);
	s = scan_of(S("\r\n\tx"));
	sip_scan_lws(&s);
	CHECK_INT(sip_scan_offset(&s), 3);
	return 0;
}

/* A bare LF followed by SP folds too (RFC 3261 §7.5 tolerance). */
static int test_scan_lws_skips_lf_fold(void)
{
	struct sip_scan s = scan_of(S("\n x"));

	sip_scan_lws(&s);
	CHECK_INT(sip_scan_offset(&s), 2);
	return 0;
}

static int test_scan_lws_skips_several_folds(void)
{
	struct sip_scan s = scan_of(S(" \r\n \r\n\t\n  x"));

	sip_scan_lws(&s);
	CHECK_INT(sip_scan_offset(&s), 10);
	return 0;
}

/* A line end not followed by whitespace ends the header: not LWS. */
static int test_scan_lws_stops_at_unfolded_line_end(void)
{
	struct sip_scan s = scan_of(S(" \r\nx"));

	sip_scan_lws(&s);
	CHECK_INT(sip_scan_offset(&s), 1);
	s = scan_of(S(" \r\n"));
	sip_scan_lws(&s);
	CHECK_INT(sip_scan_offset(&s), 1);
	s = scan_of(S("\r \n x"));
	sip_scan_lws(&s);
	CHECK_INT(sip_scan_offset(&s), 0);
	s = scan_of(S("\n"));
	sip_scan_lws(&s);
	CHECK_INT(sip_scan_offset(&s), 0);
	return 0;
}

/* The scanner's end bounds a fold: "\r\n" then SP beyond the slice. */
static int test_scan_lws_fold_cut_by_slice_end_is_not_skipped(void)
{
	const char *text = "a\r\n b";
	struct sip_scan s = scan_of((struct tnd_slice){ text + 1, 2 });

	sip_scan_lws(&s);
	CHECK_INT(sip_scan_offset(&s), 0);
	s = scan_of((struct tnd_slice){ text + 2, 1 });
	sip_scan_lws(&s);
	CHECK_INT(sip_scan_offset(&s), 0);
	return 0;
}

static int test_scan_sep_takes_lws_on_both_sides(void)
{
	struct sip_scan s = scan_of(S(" \r\n ; \tb"));

	CHECK(sip_scan_sep(&s, ';'));
	CHECK_INT(sip_scan_offset(&s), 7);
	s = scan_of(S("  =b"));
	CHECK(!sip_scan_sep(&s, ';'));
	CHECK_INT(sip_scan_offset(&s), 0); /* LWS not consumed either */
	CHECK(sip_scan_char(&s, ' '));
	CHECK(!sip_scan_char(&s, '='));
	return 0;
}

/* ---- tokens, words, classes -------------------------------------------- */

static int test_scan_token_takes_all_token_punctuation(void)
{
	struct sip_scan s = scan_of(S("aZ09-.!%*_+`'~ rest"));
	struct tnd_slice t;

	CHECK(sip_scan_token(&s, &t));
	CHECK_STR(t, "aZ09-.!%*_+`'~");
	CHECK(sip_scan_peek(&s, ' '));
	return 0;
}

static int test_scan_token_stops_at_every_separator(void)
{
	const char *seps = "()<>@,;:\\\"/[]?={} \t\r\n";

	for (const char *c = seps; *c; c++) {
		char text[4] = { 'a', *c, 'b', '\0' };
		struct sip_scan s = scan_of(S(text));
		struct tnd_slice t;

		CHECK(sip_scan_token(&s, &t));
		CHECK_STR(t, "a");
	}
	return 0;
}

static int test_scan_token_stops_at_nul_and_high_bytes(void)
{
	struct sip_scan s = scan_of(TND_SLICE_LIT("ab\0c"));
	struct tnd_slice t;

	CHECK(sip_scan_token(&s, &t));
	CHECK_STR(t, "ab");
	s = scan_of(S("x\xc3\xa9"));
	CHECK(sip_scan_token(&s, &t));
	CHECK_STR(t, "x");
	return 0;
}

static int test_scan_token_fails_on_empty_without_moving(void)
{
	struct sip_scan s = scan_of(S(";x"));
	struct tnd_slice t = TND_SLICE_LIT("unchanged");

	CHECK(!sip_scan_token(&s, &t));
	CHECK_INT(sip_scan_offset(&s), 0);
	CHECK_STR(t, "unchanged");
	s = scan_of(TND_SLICE_NULL);
	CHECK(!sip_scan_token(&s, &t));
	CHECK(sip_scan_eof(&s));
	return 0;
}

/* RFC 3261 §25.1: word = token plus ( ) < > : \ " / [ ] ? { } */
static int test_scan_word_takes_word_characters(void)
{
	struct sip_scan s = scan_of(S("a()<>:\\\"/[]?{}~@b"));
	struct tnd_slice w;

	CHECK(sip_scan_word(&s, &w));
	CHECK_STR(w, "a()<>:\\\"/[]?{}~");
	CHECK(sip_scan_peek(&s, '@'));
	s = scan_of(S("a;b"));
	CHECK(sip_scan_word(&s, &w));
	CHECK_STR(w, "a");
	return 0;
}

static int test_scan_class_runs_of_digits(void)
{
	struct sip_scan s = scan_of(S("0123a"));
	struct tnd_slice d;

	CHECK(sip_scan_class(&s, SIP_CC_DIGIT, &d));
	CHECK_STR(d, "0123");
	CHECK(!sip_scan_class(&s, SIP_CC_DIGIT, NULL));
	CHECK(sip_scan_class(&s, SIP_CC_HEX, NULL)); /* out may be NULL */
	CHECK(sip_scan_eof(&s));
	return 0;
}

/* ---- quoted strings ---------------------------------------------------- */

static int test_scan_quoted_gives_inner_text(void)
{
	struct sip_scan s = scan_of(S("\"Bob Smith\" <"));
	struct tnd_slice q;

	CHECK(sip_scan_quoted(&s, &q));
	CHECK_STR(q, "Bob Smith");
	CHECK_INT(sip_scan_offset(&s), 11);
	s = scan_of(S("\"\""));
	CHECK(sip_scan_quoted(&s, &q));
	CHECK_STR(q, "");
	CHECK(sip_scan_eof(&s));
	return 0;
}

static int test_scan_quoted_pairs_kept_as_written(void)
{
	/* RFC 4475 wsinv: "J Rosenberg \\\"" */
	struct sip_scan s = scan_of(S("\"J Rosenberg \\\\\\\"\"x"));
	struct tnd_slice q;

	CHECK(sip_scan_quoted(&s, &q));
	CHECK_STR(q, "J Rosenberg \\\\\\\"");
	CHECK(sip_scan_peek(&s, 'x'));
	return 0;
}

/* RFC 4475 intmeth: quoted-pair takes NUL, BEL and DEL. */
static int test_scan_quoted_escaped_nul_accepted(void)
{
	struct tnd_slice text =
	    TND_SLICE_LIT("\"BEL:\\\a NUL:\\\0 DEL:\\\x7f\"");
	struct sip_scan s = scan_of(text);
	struct tnd_slice q;

	CHECK(sip_scan_quoted(&s, &q));
	CHECK(q.p == text.p + 1);
	CHECK_INT(q.len, text.len - 2);
	CHECK(sip_scan_eof(&s));
	return 0;
}

static int test_scan_quoted_rejects_unescaped_controls(void)
{
	struct sip_scan s = scan_of(TND_SLICE_LIT("\"a\0b\""));

	CHECK(!sip_scan_quoted(&s, NULL));
	CHECK_INT(sip_scan_offset(&s), 0);
	s = scan_of(S("\"a\ab\""));
	CHECK(!sip_scan_quoted(&s, NULL));
	s = scan_of(S("\"a\x7f\"")); /* DEL only as a quoted-pair */
	CHECK(!sip_scan_quoted(&s, NULL));
	s = scan_of(S("\"a\tb\"")); /* HTAB is LWS, allowed */
	CHECK(sip_scan_quoted(&s, NULL));
	return 0;
}

static int test_scan_quoted_unterminated_fails_without_moving(void)
{
	struct sip_scan s = scan_of(S("\"Bob <sip:bob@example.com>"));
	struct tnd_slice q = TND_SLICE_LIT("unchanged");

	CHECK(!sip_scan_quoted(&s, &q));
	CHECK_INT(sip_scan_offset(&s), 0);
	CHECK_STR(q, "unchanged");
	s = scan_of(S("\""));
	CHECK(!sip_scan_quoted(&s, NULL));
	return 0;
}

/* The closing quote escaped, or a backslash with nothing after it. */
static int test_scan_quoted_escaped_final_quote_is_unterminated(void)
{
	struct sip_scan s = scan_of(S("\"abc\\\""));

	CHECK(!sip_scan_quoted(&s, NULL));
	s = scan_of(S("\"abc\\"));
	CHECK(!sip_scan_quoted(&s, NULL));
	CHECK_INT(sip_scan_offset(&s), 0);
	return 0;
}

/* quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F): no CR, LF or 8-bit. */
static int test_scan_quoted_pair_rejects_cr_lf_and_high_bytes(void)
{
	struct sip_scan s = scan_of(S("\"a\\\r\n b\""));

	CHECK(!sip_scan_quoted(&s, NULL));
	s = scan_of(S("\"a\\\n b\""));
	CHECK(!sip_scan_quoted(&s, NULL));
	s = scan_of(S("\"a\\\xc3\xa9\""));
	CHECK(!sip_scan_quoted(&s, NULL));
	return 0;
}

static int test_scan_quoted_accepts_folds_inside(void)
{
	struct sip_scan s = scan_of(S("\"Bob\r\n Smith\";"));
	struct tnd_slice q;

	CHECK(sip_scan_quoted(&s, &q));
	CHECK_STR(q, "Bob\r\n Smith");
	CHECK(sip_scan_peek(&s, ';'));
	s = scan_of(S("\"Bob\n\tSmith\""));
	CHECK(sip_scan_quoted(&s, &q));
	CHECK_STR(q, "Bob\n\tSmith");
	return 0;
}

static int test_scan_quoted_rejects_bare_line_breaks(void)
{
	struct sip_scan s = scan_of(S("\"Bob\r\nSmith\""));

	CHECK(!sip_scan_quoted(&s, NULL));
	s = scan_of(S("\"Bob\rSmith\""));
	CHECK(!sip_scan_quoted(&s, NULL));
	s = scan_of(S("\"Bob\nSmith\""));
	CHECK(!sip_scan_quoted(&s, NULL));
	s = scan_of(S("\"Bob\r\n\""));
	CHECK(!sip_scan_quoted(&s, NULL));
	return 0;
}

static int test_scan_quoted_accepts_utf8(void)
{
	struct sip_scan s = scan_of(S("\"\xd1\x80\xd0\xb0\""));
	struct tnd_slice q;

	CHECK(sip_scan_quoted(&s, &q));
	CHECK_STR(q, "\xd1\x80\xd0\xb0");
	return 0;
}

static int test_scan_quoted_needs_quote_at_cursor(void)
{
	struct sip_scan s = scan_of(S(" \"a\""));

	CHECK(!sip_scan_quoted(&s, NULL));
	CHECK_INT(sip_scan_offset(&s), 0);
	s = scan_of(TND_SLICE_NULL);
	CHECK(!sip_scan_quoted(&s, NULL));
	return 0;
}

/* ---- numbers and rest -------------------------------------------------- */

static int test_scan_uint_accepts_max_u32(void)
{
	struct sip_scan s = scan_of(S("4294967295 x"));
	uint32_t v = 0;

	CHECK_INT(sip_scan_uint(&s, UINT32_MAX, &v), 0);
	CHECK_INT(v, 4294967295u);
	CHECK_INT(sip_scan_offset(&s), 10);
	return 0;
}

static int test_scan_uint_overflow_at_2_pow_32_leaves_cursor(void)
{
	struct sip_scan s = scan_of(S("4294967296"));
	uint32_t v = 3;

	CHECK_INT(sip_scan_uint(&s, UINT32_MAX, &v), ERANGE);
	CHECK_INT(sip_scan_offset(&s), 0);
	CHECK_INT(v, 3);
	s = scan_of(S("36893488147419103232"));
	CHECK_INT(sip_scan_uint(&s, UINT32_MAX, &v), ERANGE);
	CHECK_INT(sip_scan_offset(&s), 0);
	return 0;
}

static int test_scan_uint_respects_max(void)
{
	struct sip_scan s = scan_of(S("256"));
	uint32_t v;

	CHECK_INT(sip_scan_uint(&s, 255, &v), ERANGE);
	s = scan_of(S("255"));
	CHECK_INT(sip_scan_uint(&s, 255, &v), 0);
	CHECK_INT(v, 255);
	return 0;
}

static int test_scan_uint_reads_leading_zeros_and_stops(void)
{
	struct sip_scan s = scan_of(S("0009INVITE"));
	uint32_t v;

	CHECK_INT(sip_scan_uint(&s, UINT32_MAX, &v), 0);
	CHECK_INT(v, 9);
	CHECK_INT(sip_scan_offset(&s), 4);
	return 0;
}

static int test_scan_uint_needs_a_digit(void)
{
	struct sip_scan s = scan_of(S(" 1"));
	uint32_t v = 4;

	CHECK_INT(sip_scan_uint(&s, 10, &v), EINVAL);
	CHECK_INT(sip_scan_offset(&s), 0);
	s = scan_of(S("-1"));
	CHECK_INT(sip_scan_uint(&s, 10, &v), EINVAL);
	s = scan_of(TND_SLICE_NULL);
	CHECK_INT(sip_scan_uint(&s, 10, &v), EINVAL);
	CHECK_INT(v, 4);
	return 0;
}

static int test_scan_rest_trims_trailing_lws(void)
{
	struct sip_scan s = scan_of(S("  value with space \t\r\n "));

	sip_scan_lws(&s);
	CHECK_STR(sip_scan_rest(&s), "value with space");
	s = scan_of(S(" \r\n"));
	sip_scan_lws(&s);
	CHECK_STR(sip_scan_rest(&s), "");
	return 0;
}

/* ---- generic parameters ------------------------------------------------ */

static int test_scan_params_region_starts_at_first_semicolon(void)
{
	const char *text = "host ;a=1;b;c=\"x\" rest";
	struct sip_scan s = scan_of(S(text));
	struct tnd_slice region;

	s.p += 4;
	CHECK_INT(sip_scan_params(&s, &region, NULL), 0);
	CHECK(region.p == text + 5);
	CHECK_STR(region, ";a=1;b;c=\"x\"");
	CHECK_INT(sip_scan_offset(&s), 17); /* trailing LWS left alone */
	return 0;
}

static int test_scan_params_none_gives_null_region(void)
{
	struct sip_scan s = scan_of(S(" x"));
	struct tnd_slice region = TND_SLICE_LIT("unchanged");

	CHECK_INT(sip_scan_params(&s, &region, NULL), 0);
	CHECK(region.p == NULL);
	CHECK_INT(region.len, 0);
	CHECK_INT(sip_scan_offset(&s), 0);
	return 0;
}

/* RFC 4475 wsinv: ";   tag    = 1918181833n" and folds around ';'. */
static int test_scan_params_lws_around_semicolon_and_equal(void)
{
	const char *text = " ;   tag    = 1918181833n\r\n  ;\r\n  x = y";
	struct sip_scan s = scan_of(S(text));
	struct tnd_slice region, v;

	CHECK_INT(sip_scan_params(&s, &region, NULL), 0);
	CHECK(region.p == text + 1);
	CHECK(sip_scan_eof(&s));
	CHECK(sip_params_get(region, "tag", &v));
	CHECK_STR(v, "1918181833n");
	CHECK(sip_params_get(region, "x", &v));
	CHECK_STR(v, "y");
	return 0;
}

static int test_scan_params_quoted_value_may_hold_semicolons(void)
{
	struct sip_scan s = scan_of(S(";text=\"a;b=c, d\";e"));
	struct tnd_slice region, v;

	CHECK_INT(sip_scan_params(&s, &region, NULL), 0);
	CHECK(sip_scan_eof(&s));
	CHECK(sip_params_get(region, "text", &v));
	CHECK_STR(v, "\"a;b=c, d\"");
	CHECK(sip_params_get(region, "e", &v));
	CHECK_STR(v, "");
	return 0;
}

static int test_scan_params_bracketed_ipv6_value(void)
{
	struct sip_scan s = scan_of(S(";received=[2001:db8::9:255];x"));
	struct tnd_slice region, v;

	CHECK_INT(sip_scan_params(&s, &region, NULL), 0);
	CHECK(sip_scan_eof(&s));
	CHECK(sip_params_get(region, "received", &v));
	CHECK_STR(v, "[2001:db8::9:255]");
	return 0;
}

/* RFC 5118 §4.5: an unbracketed IPv6 address is no token but is taken. */
static int test_scan_params_unbracketed_ipv6_value(void)
{
	struct sip_scan s = scan_of(S(";received=2001:db8::9:255;branch=z"));
	struct tnd_slice region, v;

	CHECK_INT(sip_scan_params(&s, &region, NULL), 0);
	CHECK(sip_scan_eof(&s));
	CHECK(sip_params_get(region, "received", &v));
	CHECK_STR(v, "2001:db8::9:255");
	CHECK(sip_params_get(region, "branch", &v));
	CHECK_STR(v, "z");
	s = scan_of(S(";maddr=::ffff:192.0.2.1"));
	CHECK_INT(sip_scan_params(&s, &region, NULL), 0);
	CHECK(sip_scan_eof(&s));
	CHECK(sip_params_get(region, "maddr", &v));
	CHECK_STR(v, "::ffff:192.0.2.1");
	return 0;
}

/* RFC 4475 badinv01: ";;" has an empty parameter between the semicolons. */
static int test_scan_params_empty_param_rejected(void)
{
	struct sip_scan s = scan_of(S(";a;;b"));
	struct sip_parse_error err;

	CHECK_FAIL(sip_scan_params(&s, NULL, &err), err,
		   "Empty or malformed parameter", 3);
	return 0;
}

static int test_scan_params_trailing_semicolon_rejected(void)
{
	struct sip_scan s = scan_of(S(";a=1 ; "));
	struct sip_parse_error err;

	CHECK_FAIL(sip_scan_params(&s, NULL, &err), err,
		   "Empty or malformed parameter", 7);
	return 0;
}

static int test_scan_params_missing_value_rejected(void)
{
	struct sip_scan s = scan_of(S(";a= ;b"));
	struct sip_parse_error err;

	CHECK_FAIL(sip_scan_params(&s, NULL, &err), err,
		   "Malformed parameter value", 4);
	return 0;
}

static int test_scan_params_colon_after_token_value_rejected(void)
{
	struct sip_scan s = scan_of(S(";maddr=host:5060"));
	struct sip_parse_error err;

	CHECK_FAIL(sip_scan_params(&s, NULL, &err), err,
		   "Malformed parameter value", 7);
	s = scan_of(S(";x=1:2:3"));
	CHECK_FAIL(sip_scan_params(&s, NULL, &err), err,
		   "Malformed parameter value", 3);
	return 0;
}

static int test_scan_params_bad_bracketed_value_rejected(void)
{
	struct sip_scan s = scan_of(S(";received=[192.0.2.1]"));
	struct sip_parse_error err;

	CHECK_FAIL(sip_scan_params(&s, NULL, &err), err,
		   "Malformed parameter value", 10);
	s = scan_of(S(";received=[::1"));
	CHECK_FAIL(sip_scan_params(&s, NULL, &err), err,
		   "Malformed parameter value", 10);
	return 0;
}

static int test_scan_params_unterminated_quoted_value_rejected(void)
{
	struct sip_scan s = scan_of(S(";a=\"open;b"));
	struct sip_parse_error err;

	CHECK_FAIL(sip_scan_params(&s, NULL, &err), err,
		   "Malformed parameter value", 3);
	return 0;
}

/* ---- IPv4 and IPv6 literals -------------------------------------------- */

static int test_is_ipv4_accepts_dotted_quads(void)
{
	CHECK(sip_is_ipv4(S("192.0.2.1")));
	CHECK(sip_is_ipv4(S("0.0.0.0")));
	CHECK(sip_is_ipv4(S("255.255.255.255")));
	CHECK(sip_is_ipv4(S("010.1.1.001"))); /* leading zeros, 3 digits max */
	return 0;
}

static int test_is_ipv4_rejects_other_forms(void)
{
	static const char *const bad[] = {
		"",           "1.2.3",   "1.2.3.4.5", "256.1.1.1", "1.2.3.256",
		"1..2.3",     "1.2.3.",  ".1.2.3",    "1.2.3.4 ",  " 1.2.3.4",
		"0001.1.1.1", "1.2.3.a", "1.2.3.4:5", "a.b.c.d",   "1.2.3.-4",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (sip_is_ipv4(S(bad[i]))) {
			test_fail(__FILE__, __LINE__, "\"%s\" taken", bad[i]);
			return EPROTO;
		}
	}
	CHECK(!sip_is_ipv4(TND_SLICE_NULL));
	return 0;
}

static int test_is_ipv6_accepts_full_and_compressed_forms(void)
{
	static const char *const good[] = {
		"2001:db8:0:0:1:0:0:1",
		"2001:0db8:0000:0000:0001:0000:0000:0001",
		"2001:db8::1",
		"::1",
		"::",
		"1::",
		"2001:db8::9:255",
		"FE80::ABCD",
		"1:2:3:4:5:6:7::",
		"::2:3:4:5:6:7:8",
		"1:2:3::6:7:8",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (!sip_is_ipv6(S(good[i]))) {
			test_fail(__FILE__, __LINE__, "\"%s\" refused",
				  good[i]);
			return EPROTO;
		}
	}
	return 0;
}

static int test_is_ipv6_accepts_ipv4_tail(void)
{
	CHECK(sip_is_ipv6(S("::ffff:192.0.2.1"))); /* RFC 5118 §4.9 */
	CHECK(sip_is_ipv6(S("::192.0.2.1")));
	CHECK(sip_is_ipv6(S("2001:db8::192.0.2.1"))); /* RFC 5118 §4.10 */
	CHECK(sip_is_ipv6(S("1:2:3:4:5:6:192.0.2.1")));
	CHECK(sip_is_ipv6(S("1:2:3:4:5::192.0.2.1")));
	return 0;
}

/*
 * RFC 5118 §4.10: RFC 3261's ABNF allowed "::" followed by ":" IPv4address
 * ("2001:db8:::192.0.2.1"); tolerated on input.
 */
static int test_is_ipv6_accepts_rfc5118_three_colon_form(void)
{
	CHECK(sip_is_ipv6(S("2001:db8:::192.0.2.1")));
	CHECK(sip_is_ipv6(S(":::192.0.2.1")));
	CHECK(sip_is_ipv6(S("1:2:3:4:::192.0.2.1")));
	return 0;
}

/* Three colons are RFC 3261's bug only in front of an IPv4 tail. */
static int test_is_ipv6_rejects_three_colons_without_ipv4_tail(void)
{
	CHECK(!sip_is_ipv6(S("2001:db8:::1")));
	CHECK(!sip_is_ipv6(S(":::1")));
	CHECK(!sip_is_ipv6(S(":::")));
	CHECK(!sip_is_ipv6(S("1:::")));
	CHECK(!sip_is_ipv6(S("1:2:3:4:5:6:::192.0.2.1"))); /* 9 groups */
	return 0;
}

static int test_is_ipv6_rejects_other_forms(void)
{
	static const char *const bad[] = {
		"",
		":",
		"1",
		"1:2:3:4:5:6:7",           /* too few, no "::" */
		"1:2:3:4:5:6:7:8:9",       /* too many */
		"1:2:3:4:5:6:7::8",        /* "::" stands for no group */
		"1::2::3",                 /* two "::" */
		":1::2",                   /* lone leading colon */
		"1::2:",                   /* lone trailing colon */
		"12345::1",                /* five hex digits */
		"g::1",                    /* not hex */
		"[::1]",                   /* brackets are not part of it */
		"::1 ",                    /* trailing space */
		"1:2:3:4:5:6:7:192.0.2.1", /* IPv4 tail past 8 groups */
		"::192.0.2",               /* short IPv4 tail */
		"::192.0.2.1:1",           /* IPv4 tail not last */
		"::256.0.2.1",             /* bad IPv4 tail */
		"::ffff:.1.2.3",           /* empty group before '.' */
		"2001:db8::9:255%eth0",    /* zone ids are not SIP syntax */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (sip_is_ipv6(S(bad[i]))) {
			test_fail(__FILE__, __LINE__, "\"%s\" taken", bad[i]);
			return EPROTO;
		}
	}
	CHECK(!sip_is_ipv6(TND_SLICE_NULL));
	return 0;
}

/* ---- hosts ------------------------------------------------------------- */

static int test_scan_host_hostname_and_ipv4(void)
{
	struct sip_scan s = scan_of(S("chair-dnrc.example.com:5060"));
	struct tnd_slice host;
	enum sip_host_type type;

	CHECK(sip_scan_host(&s, &host, &type));
	CHECK_STR(host, "chair-dnrc.example.com");
	CHECK_INT(type, SIP_HOST_NAME);
	CHECK(sip_scan_peek(&s, ':'));
	s = scan_of(S("192.0.2.1;x"));
	CHECK(sip_scan_host(&s, &host, &type));
	CHECK_STR(host, "192.0.2.1");
	CHECK_INT(type, SIP_HOST_IPV4);
	s = scan_of(S("example.com."));
	CHECK(sip_scan_host(&s, &host, &type));
	CHECK_STR(host, "example.com.");
	CHECK_INT(type, SIP_HOST_NAME);
	return 0;
}

static int test_scan_host_bracketed_ipv6_drops_brackets(void)
{
	struct sip_scan s = scan_of(S("[2001:db8::9:1]:6050"));
	struct tnd_slice host;
	enum sip_host_type type;

	CHECK(sip_scan_host(&s, &host, &type));
	CHECK_STR(host, "2001:db8::9:1");
	CHECK_INT(type, SIP_HOST_IPV6);
	CHECK_INT(sip_scan_offset(&s), 15);
	s = scan_of(S("[2001:db8:::192.0.2.1]"));
	CHECK(sip_scan_host(&s, &host, &type));
	CHECK_STR(host, "2001:db8:::192.0.2.1");
	CHECK_INT(type, SIP_HOST_IPV6);
	return 0;
}

/* Without brackets an IPv6 address reads as a host and a port. */
static int test_scan_host_unbracketed_ipv6_stops_at_colon(void)
{
	struct sip_scan s = scan_of(S("2001:db8::10"));
	struct tnd_slice host;
	enum sip_host_type type;

	CHECK(sip_scan_host(&s, &host, &type));
	CHECK_STR(host, "2001");
	CHECK_INT(sip_scan_offset(&s), 4);
	return 0;
}

static int test_scan_host_rejects_bad_forms(void)
{
	static const char *const bad[] = {
		"",
		"-example.com",
		".example.com",
		"[::1",
		"[]",
		"[192.0.2.1]",
		"[2001:db8::1::2]",
		";x",
		"_sip.example.com",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sip_scan s = scan_of(S(bad[i]));
		struct tnd_slice host;
		enum sip_host_type type;

		if (sip_scan_host(&s, &host, &type)) {
			test_fail(__FILE__, __LINE__, "\"%s\" taken", bad[i]);
			return EPROTO;
		}
		CHECK_INT(sip_scan_offset(&s), 0);
	}
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_scan_lws_skips_spaces_and_tabs),
	TEST(test_scan_lws_skips_crlf_fold),
	TEST(test_scan_lws_skips_lf_fold),
	TEST(test_scan_lws_skips_several_folds),
	TEST(test_scan_lws_stops_at_unfolded_line_end),
	TEST(test_scan_lws_fold_cut_by_slice_end_is_not_skipped),
	TEST(test_scan_sep_takes_lws_on_both_sides),
	TEST(test_scan_token_takes_all_token_punctuation),
	TEST(test_scan_token_stops_at_every_separator),
	TEST(test_scan_token_stops_at_nul_and_high_bytes),
	TEST(test_scan_token_fails_on_empty_without_moving),
	TEST(test_scan_word_takes_word_characters),
	TEST(test_scan_class_runs_of_digits),
	TEST(test_scan_quoted_gives_inner_text),
	TEST(test_scan_quoted_pairs_kept_as_written),
	TEST(test_scan_quoted_escaped_nul_accepted),
	TEST(test_scan_quoted_rejects_unescaped_controls),
	TEST(test_scan_quoted_unterminated_fails_without_moving),
	TEST(test_scan_quoted_escaped_final_quote_is_unterminated),
	TEST(test_scan_quoted_pair_rejects_cr_lf_and_high_bytes),
	TEST(test_scan_quoted_accepts_folds_inside),
	TEST(test_scan_quoted_rejects_bare_line_breaks),
	TEST(test_scan_quoted_accepts_utf8),
	TEST(test_scan_quoted_needs_quote_at_cursor),
	TEST(test_scan_uint_accepts_max_u32),
	TEST(test_scan_uint_overflow_at_2_pow_32_leaves_cursor),
	TEST(test_scan_uint_respects_max),
	TEST(test_scan_uint_reads_leading_zeros_and_stops),
	TEST(test_scan_uint_needs_a_digit),
	TEST(test_scan_rest_trims_trailing_lws),
	TEST(test_scan_params_region_starts_at_first_semicolon),
	TEST(test_scan_params_none_gives_null_region),
	TEST(test_scan_params_lws_around_semicolon_and_equal),
	TEST(test_scan_params_quoted_value_may_hold_semicolons),
	TEST(test_scan_params_bracketed_ipv6_value),
	TEST(test_scan_params_unbracketed_ipv6_value),
	TEST(test_scan_params_empty_param_rejected),
	TEST(test_scan_params_trailing_semicolon_rejected),
	TEST(test_scan_params_missing_value_rejected),
	TEST(test_scan_params_colon_after_token_value_rejected),
	TEST(test_scan_params_bad_bracketed_value_rejected),
	TEST(test_scan_params_unterminated_quoted_value_rejected),
	TEST(test_is_ipv4_accepts_dotted_quads),
	TEST(test_is_ipv4_rejects_other_forms),
	TEST(test_is_ipv6_accepts_full_and_compressed_forms),
	TEST(test_is_ipv6_accepts_ipv4_tail),
	TEST(test_is_ipv6_accepts_rfc5118_three_colon_form),
	TEST(test_is_ipv6_rejects_three_colons_without_ipv4_tail),
	TEST(test_is_ipv6_rejects_other_forms),
	TEST(test_scan_host_hostname_and_ipv4),
	TEST(test_scan_host_bracketed_ipv6_drops_brackets),
	TEST(test_scan_host_unbracketed_ipv6_stops_at_colon),
	TEST(test_scan_host_rejects_bad_forms),
};

TEST_MAIN(cases)
