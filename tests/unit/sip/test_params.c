/*
 * Splitting list header values at top-level commas and walking parameter
 * regions (params.c).
 */
#include <string.h>

#include "sip_int.h"
#include "tandem/mem.h"
#include "tandem/sip_hdr.h"
#include "test.h"

/* ---- list values ------------------------------------------------------- */

static int test_value_next_splits_and_trims(void)
{
	struct tnd_slice v = S(" 100rel , timer,\r\n replaces ");
	struct tnd_slice item;
	size_t pos = 0;

	CHECK(sip_value_next(v, &pos, &item));
	CHECK_STR(item, "100rel");
	CHECK(sip_value_next(v, &pos, &item));
	CHECK_STR(item, "timer");
	CHECK(sip_value_next(v, &pos, &item));
	CHECK_STR(item, "replaces");
	CHECK(!sip_value_next(v, &pos, &item));
	CHECK(!sip_value_next(v, &pos, &item)); /* stays finished */
	return 0;
}

static int test_value_next_keeps_commas_inside_quotes(void)
{
	struct tnd_slice v =
	    S("\"Bell, Alexander \\\", x\" <sip:a@b>, <sip:c@d>");
	struct tnd_slice item;
	size_t pos = 0;

	CHECK(sip_value_next(v, &pos, &item));
	CHECK_STR(item, "\"Bell, Alexander \\\", x\" <sip:a@b>");
	CHECK(sip_value_next(v, &pos, &item));
	CHECK_STR(item, "<sip:c@d>");
	CHECK(!sip_value_next(v, &pos, &item));
	return 0;
}

static int test_value_next_keeps_commas_inside_angle_brackets(void)
{
	struct tnd_slice v = S("<sip:a@b;x=1,2>;q=0.5,<sip:c@d?Subject=a,b>");
	struct tnd_slice item;
	size_t pos = 0;

	CHECK(sip_value_next(v, &pos, &item));
	CHECK_STR(item, "<sip:a@b;x=1,2>;q=0.5");
	CHECK(sip_value_next(v, &pos, &item));
	CHECK_STR(item, "<sip:c@d?Subject=a,b>");
	CHECK(!sip_value_next(v, &pos, &item));
	return 0;
}

/* Quotes inside <> and '<' inside quotes do not nest. */
static int test_value_next_quote_and_angle_do_not_mix(void)
{
	struct tnd_slice v = S("\"a<b\" <sip:x>, \">\" <sip:y>");
	struct tnd_slice item;
	size_t pos = 0;

	CHECK(sip_value_next(v, &pos, &item));
	CHECK_STR(item, "\"a<b\" <sip:x>");
	CHECK(sip_value_next(v, &pos, &item));
	CHECK_STR(item, "\">\" <sip:y>");
	CHECK(!sip_value_next(v, &pos, &item));
	return 0;
}

/* RFC 4475 badinv01 "Via: ...;;,;,,": empties come back to be refused. */
static int test_value_next_returns_empty_elements(void)
{
	struct tnd_slice v = S("a,, b ,");
	struct tnd_slice item;
	size_t pos = 0;

	CHECK(sip_value_next(v, &pos, &item));
	CHECK_STR(item, "a");
	CHECK(sip_value_next(v, &pos, &item));
	CHECK_STR(item, "");
	CHECK(sip_value_next(v, &pos, &item));
	CHECK_STR(item, "b");
	CHECK(sip_value_next(v, &pos, &item));
	CHECK_STR(item, ""); /* after the trailing comma */
	CHECK(!sip_value_next(v, &pos, &item));
	return 0;
}

static int test_value_next_trailing_comma_and_space(void)
{
	struct tnd_slice v = S("a, ");
	struct tnd_slice item;
	size_t pos = 0;

	CHECK(sip_value_next(v, &pos, &item));
	CHECK_STR(item, "a");
	CHECK(sip_value_next(v, &pos, &item));
	CHECK_STR(item, "");
	CHECK(!sip_value_next(v, &pos, &item));
	return 0;
}

static int test_value_next_lone_comma_gives_two_empties(void)
{
	struct tnd_slice item;
	size_t pos = 0;

	CHECK(sip_value_next(S(","), &pos, &item));
	CHECK_STR(item, "");
	CHECK(sip_value_next(S(","), &pos, &item));
	CHECK_STR(item, "");
	CHECK(!sip_value_next(S(","), &pos, &item));
	return 0;
}

static int test_value_next_empty_value_has_no_elements(void)
{
	struct tnd_slice item;
	size_t pos = 0;

	CHECK(!sip_value_next(S(""), &pos, &item));
	pos = 0;
	CHECK(!sip_value_next(TND_SLICE_NULL, &pos, &item));
	pos = 0;
	CHECK(sip_value_next(S("  "), &pos, &item)); /* blank: one empty */
	CHECK_STR(item, "");
	CHECK(!sip_value_next(S("  "), &pos, &item));
	return 0;
}

/* An unterminated quote swallows the rest: no split inside it. */
static int test_value_next_unterminated_quote_is_one_element(void)
{
	struct tnd_slice v = S("\"a, b");
	struct tnd_slice item;
	size_t pos = 0;

	CHECK(sip_value_next(v, &pos, &item));
	CHECK_STR(item, "\"a, b");
	CHECK(!sip_value_next(v, &pos, &item));
	return 0;
}

/* ---- parameter walking ------------------------------------------------- */

static int test_params_next_walks_names_and_values(void)
{
	struct tnd_slice params = S(";branch=z9hG4bK776;rport;ttl=1");
	struct tnd_slice n, v;
	size_t pos = 0;

	CHECK(sip_params_next(params, &pos, &n, &v));
	CHECK_STR(n, "branch");
	CHECK_STR(v, "z9hG4bK776");
	CHECK(sip_params_next(params, &pos, &n, &v));
	CHECK_STR(n, "rport");
	CHECK(v.p == NULL && v.len == 0); /* a flag has no value */
	CHECK(sip_params_next(params, &pos, &n, &v));
	CHECK_STR(n, "ttl");
	CHECK_STR(v, "1");
	CHECK(!sip_params_next(params, &pos, &n, &v));
	CHECK_INT(pos, params.len);
	return 0;
}

static int test_params_next_handles_lws_and_quotes(void)
{
	struct tnd_slice params = S(" ; a = \"x; y\" ;\r\n b\t;c=[::1]");
	struct tnd_slice n, v;
	size_t pos = 0;

	CHECK(sip_params_next(params, &pos, &n, &v));
	CHECK_STR(n, "a");
	CHECK_STR(v, "\"x; y\"");
	CHECK(sip_params_next(params, &pos, &n, &v));
	CHECK_STR(n, "b");
	CHECK(v.p == NULL);
	CHECK(sip_params_next(params, &pos, &n, &v));
	CHECK_STR(n, "c");
	CHECK_STR(v, "[::1]");
	CHECK(!sip_params_next(params, &pos, NULL, NULL));
	return 0;
}

static int test_params_next_stops_on_malformed_text(void)
{
	struct tnd_slice params = S(";a;;b");
	struct tnd_slice n;
	size_t pos = 0;

	CHECK(sip_params_next(params, &pos, &n, NULL));
	CHECK_STR(n, "a");
	CHECK(!sip_params_next(params, &pos, &n, NULL));
	CHECK_INT(pos, params.len);
	pos = 0;
	CHECK(!sip_params_next(S("a=b"), &pos, &n, NULL)); /* no ';' */
	return 0;
}

static int test_params_get_name_is_case_insensitive(void)
{
	struct tnd_slice params = S(";Tag=AbC;tag=second");
	struct tnd_slice v;

	CHECK(sip_params_get(params, "TAG", &v));
	CHECK_STR(v, "AbC"); /* the first one, value as written */
	CHECK(sip_params_get(params, "tag", NULL));
	return 0;
}

static int test_params_get_tells_flag_from_missing(void)
{
	struct tnd_slice params = S(";lr;maddr=");
	struct tnd_slice v = TND_SLICE_LIT("unchanged");

	CHECK(!sip_params_get(params, "l", &v));
	CHECK(!sip_params_get(params, "lrx", &v));
	CHECK(!sip_params_get(TND_SLICE_NULL, "lr", &v));
	CHECK_STR(v, "unchanged");
	CHECK(sip_params_get(params, "lr", &v));
	CHECK_STR(v, "");
	CHECK(sip_params_get(params, "maddr", &v));
	CHECK_STR(v, "");
	CHECK(v.p != NULL); /* present, empty */
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_value_next_splits_and_trims),
	TEST(test_value_next_keeps_commas_inside_quotes),
	TEST(test_value_next_keeps_commas_inside_angle_brackets),
	TEST(test_value_next_quote_and_angle_do_not_mix),
	TEST(test_value_next_returns_empty_elements),
	TEST(test_value_next_trailing_comma_and_space),
	TEST(test_value_next_lone_comma_gives_two_empties),
	TEST(test_value_next_empty_value_has_no_elements),
	TEST(test_value_next_unterminated_quote_is_one_element),
	TEST(test_params_next_walks_names_and_values),
	TEST(test_params_next_handles_lws_and_quotes),
	TEST(test_params_next_stops_on_malformed_text),
	TEST(test_params_get_name_is_case_insensitive),
	TEST(test_params_get_tells_flag_from_missing),
};

TEST_MAIN(cases)
