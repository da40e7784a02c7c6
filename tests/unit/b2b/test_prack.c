/*
 * Reliable provisionals end to end (prack.c, RFC 3262): a callee's
 * reliable 1xx reaches a caller that supports 100rel as our own reliable
 * 1xx, resent until the caller's PRACK, which goes to the callee with the
 * callee's RSeq; without caller support tandem PRACKs the callee itself;
 * a callee's resent 1xx is absorbed; a PRACK for nothing we sent is 481.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b_fake.h"

static const char *const reliable_183[] = { "Require", "100rel", "RSeq", "7",
					    NULL };

/* Our RSeq on send i to the caller. */
static unsigned rseq_of(struct b2b_test *t, size_t i)
{
	struct tnd_slice v = bt_hdr(bt_sent(t, i), "RSeq");
	char buf[16];

	snprintf(buf, sizeof(buf), "%.*s", TND_SLICE_FMT(v));
	return (unsigned)strtoul(buf, NULL, 10);
}

B2B_CASE(test_prack_reliable_183_is_relayed_reliably_and_prack_mapped)
{
	char rack[64];

	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite(t, "Supported: 100rel\r\n", BT_SDP_A));
	CHECK_STR(bt_hdr(bt_sent(t, 0), "Supported"), "100rel");
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply_with(t, 0, 183, "btag", reliable_183, BT_SDP_B));
	CHECK_OK(bt_check_to_caller(t, 1, 183));
	CHECK_STR(bt_hdr(bt_sent(t, 1), "Require"), "100rel");
	CHECK(rseq_of(t, 1) > 0);
	CHECK_STR(bt_sent(t, 1)->body, BT_SDP_B);
	/* Resent from T1 until the PRACK; the callee's resend is absorbed. */
	CHECK_OK(bt_at(t, 600));
	CHECK_OK(bt_reply_with(t, 0, 183, "btag", reliable_183, BT_SDP_B));
	CHECK_OK(bt_at(t, 700));
	CHECK_WIRE(t, "bob:INVITE@0 a:183@100 a:183@600");
	snprintf(rack, sizeof(rack), "RAck: %u 1 INVITE\r\n", rseq_of(t, 1));
	CHECK_OK(bt_caller(t, "PRACK", 2, "z9hG4bKp1", rack, NULL));
	CHECK_WIRE(t, "bob:INVITE@0 a:183@100 a:183@600 bob:PRACK@700");
	snprintf(rack, sizeof(rack), "7 %u INVITE", bt_sent(t, 0)->cseq.number);
	CHECK_STR(bt_hdr(bt_sent(t, 3), "RAck"), rack);
	CHECK_STR(bt_sent(t, 3)->to.tag, "btag");
	CHECK_OK(bt_reply(t, 3, 200, "btag", NULL));
	CHECK_OK(bt_at(t, 5000));
	CHECK_WIRE(t, "bob:INVITE@0 a:183@100 a:183@600 bob:PRACK@700 "
		      "a:200@700");
	CHECK_STR(bt_sent(t, 4)->cseq.method_name, "PRACK");
	CHECK_OK(bt_reply(t, 0, 486, "btag", NULL));
	return 0;
}

/* Up to the caller's PRACK of the callee's reliable 183 and its 200. */
static int pracked(struct b2b_test *t)
{
	char rack[64];

	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite(t, "Supported: 100rel\r\n", BT_SDP_A));
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply_with(t, 0, 183, "btag", reliable_183, BT_SDP_B));
	snprintf(rack, sizeof(rack), "RAck: %u 1 INVITE\r\n", rseq_of(t, 1));
	CHECK_OK(bt_caller(t, "PRACK", 2, "z9hG4bKp1", rack, NULL));
	return bt_reply(t, 2, 200, "btag", NULL);
}

/* §13.2.2.4: the 2xx confirms the early dialog; the CSeq its PRACK took
 * stays taken, so the BYE goes above it. */
B2B_CASE(test_prack_cseq_of_the_early_dialog_stays_used)
{
	uint32_t prack_cseq;

	CHECK_OK(pracked(t));
	prack_cseq = bt_sent(t, 2)->cseq.number;
	CHECK_INT(prack_cseq, (long long)bt_sent(t, 0)->cseq.number + 1);
	CHECK_OK(bt_at(t, 1000));
	CHECK_OK(bt_reply(t, 0, 200, "btag", BT_SDP_B));
	CHECK_OK(bt_caller(t, "ACK", 1, "z9hG4bKa2", "", NULL));
	CHECK_OK(bt_caller(t, "BYE", 3, "z9hG4bKa3", "", NULL));
	CHECK_WIRE(t, "bob:INVITE@0 a:183@100 bob:PRACK@100 a:200@100 "
		      "a:200@1000 bob:ACK@1000 a:200@1000 bob:BYE@1000");
	CHECK_INT(bt_sent(t, 7)->cseq.number, (long long)prack_cseq + 1);
	CHECK_OK(bt_reply(t, 7, 200, "btag", NULL));
	return 0;
}

/* A forking proxy behind the callee: each early dialog counts its own
 * RSeq, and the PRACK goes to the latest one. */
B2B_CASE(test_prack_second_fork_is_a_new_reliable_provisional)
{
	char rack[64];

	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite(t, "Supported: 100rel\r\n", BT_SDP_A));
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply_with(t, 0, 183, "fork1", reliable_183, BT_SDP_B));
	snprintf(rack, sizeof(rack), "RAck: %u 1 INVITE\r\n", rseq_of(t, 1));
	CHECK_OK(bt_caller(t, "PRACK", 2, "z9hG4bKp1", rack, NULL));
	CHECK_OK(bt_reply(t, 2, 200, "fork1", NULL));
	CHECK_OK(bt_at(t, 200));
	CHECK_OK(bt_reply_with(t, 0, 183, "fork2", reliable_183, BT_SDP_B));
	CHECK_WIRE(t, "bob:INVITE@0 a:183@100 bob:PRACK@100 a:200@100 "
		      "a:183@200");
	CHECK_INT(rseq_of(t, 4), rseq_of(t, 1) + 1);
	CHECK(tnd_slice_eq(bt_sent(t, 4)->to.tag, bt_sent(t, 1)->to.tag));
	snprintf(rack, sizeof(rack), "RAck: %u 1 INVITE\r\n", rseq_of(t, 4));
	CHECK_OK(bt_caller(t, "PRACK", 3, "z9hG4bKp2", rack, NULL));
	CHECK_WIRE(t, "bob:INVITE@0 a:183@100 bob:PRACK@100 a:200@100 "
		      "a:183@200 bob:PRACK@200");
	CHECK_STR(bt_sent(t, 5)->to.tag, "fork2");
	CHECK_OK(bt_reply(t, 5, 200, "fork2", NULL));
	CHECK_OK(bt_reply(t, 0, 486, "fork2", NULL));
	return 0;
}

B2B_CASE(test_prack_without_caller_support_tandem_pracks_the_callee)
{
	char rack[64];

	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite(t, "", BT_SDP_A));
	CHECK_INT(bt_hdr(bt_sent(t, 0), "Supported").len, 0);
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply_with(t, 0, 183, "btag", reliable_183, BT_SDP_B));
	/* The PRACK waits for its next hop's lookup: it goes second. */
	CHECK_WIRE(t, "bob:INVITE@0 a:183@100 bob:PRACK@100");
	snprintf(rack, sizeof(rack), "7 %u INVITE", bt_sent(t, 0)->cseq.number);
	CHECK_STR(bt_hdr(bt_sent(t, 2), "RAck"), rack);
	CHECK_INT(bt_hdr(bt_sent(t, 1), "Require").len, 0);
	CHECK_INT(bt_hdr(bt_sent(t, 1), "RSeq").len, 0);
	CHECK_OK(bt_reply(t, 2, 200, "btag", NULL));
	CHECK_OK(bt_at(t, 2000));
	CHECK_WIRE(t, "bob:INVITE@0 a:183@100 bob:PRACK@100");
	CHECK_OK(bt_reply(t, 0, 486, "btag", NULL));
	return 0;
}

B2B_CASE(test_prack_for_an_unknown_rseq_is_481)
{
	t->dial[0] = BT_BOB;
	CHECK_OK(bt_invite(t, "Supported: 100rel\r\n", BT_SDP_A));
	CHECK_OK(bt_at(t, 100));
	CHECK_OK(bt_reply_with(t, 0, 183, "btag", reliable_183, BT_SDP_B));
	CHECK_OK(bt_caller(t, "PRACK", 2, "z9hG4bKp1",
			   "RAck: 99999 1 INVITE\r\n", NULL));
	CHECK_WIRE(t, "bob:INVITE@0 a:183@100 a:481@100");
	CHECK_OK(bt_reply(t, 0, 486, "btag", NULL));
	return 0;
}

B2B_CASE(test_prack_invite_requiring_another_extension_is_420)
{
	CHECK_OK(bt_invite(t, "Require: timer\r\n", BT_SDP_A));
	CHECK_WIRE(t, "a:420@0");
	CHECK_STR(bt_hdr(bt_sent(t, 0), "Unsupported"), "timer");
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_prack_reliable_183_is_relayed_reliably_and_prack_mapped),
	TEST(test_prack_cseq_of_the_early_dialog_stays_used),
	TEST(test_prack_second_fork_is_a_new_reliable_provisional),
	TEST(test_prack_without_caller_support_tandem_pracks_the_callee),
	TEST(test_prack_for_an_unknown_rseq_is_481),
	TEST(test_prack_invite_requiring_another_extension_is_420),
};

TEST_MAIN(cases)
