/*
 * The transaction table at scale: thousands of transactions, so that it
 * doubles several times (incrementally, TABLE_MIGRATE_STEP buckets per
 * change), and every request retransmission and response must still find
 * its transaction whether it sits in the old buckets or the new.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "tandem/mem.h"
#include "tandem/txn.h"
#include "test.h"

/*
 * Past three doublings (1024, 2048, 4096 buckets), and 104 additions into
 * the last: its migration is under way, so lookups walk both arrays.
 */
#define MANY 4200

struct counts {
	unsigned requests, responses, terminated;
};

static int discard(void *arg, const struct net_peer *to, const char *data,
		   size_t len)
{
	(void)arg, (void)to, (void)data, (void)len;
	return 0;
}

static struct net_peer udp_peer(void)
{
	struct net_peer p = { .transport = NET_UDP };

	p.addr.ss_family = AF_INET;
	p.addrlen = sizeof(struct sockaddr_in);
	return p;
}

static int parse(const char *text, struct sip_msg **out)
{
	return sip_msg_parse(NULL, text, strlen(text), out, NULL);
}

static void request_text(char *buf, size_t size, unsigned i, const char *m)
{
	snprintf(buf, size,
		 "%s sip:a@192.0.2.1 SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bKmany%u\r\n"
		 "From: <sip:b@192.0.2.2>;tag=f%u\r\nTo: <sip:a@192.0.2.1>\r\n"
		 "Call-ID: many-%u\r\nCSeq: 1 %s\r\nContent-Length: 0\r\n\r\n",
		 m, i, i, i, m);
}

/* The TU answers every new request at once with 200. */
static void on_request(void *arg, struct txn *st, const struct sip_msg *req,
		       const struct net_peer *from)
{
	struct counts *c = arg;
	struct sip_msg *res;

	(void)from;
	c->requests++;
	if (st && sip_msg_response_new(req, 200, NULL, S("t"), &res) == 0)
		txn_server_respond(st, res);
}

static int receive_text(struct txn_layer *layer, const char *text)
{
	struct net_peer from = udp_peer();
	struct sip_msg *msg;
	int rc = parse(text, &msg);

	if (rc == 0)
		txn_layer_receive(layer, msg, &from);
	return rc;
}

static int test_table_absorbs_retransmissions_across_doublings(void)
{
	struct counts c = { 0 };
	struct tnd_timers timers;
	struct txn_layer *layer;
	struct txn_stats stats;
	char text[512];

	tnd_timers_init_manual(&timers, 0);
	CHECK_OK(txn_layer_new(NULL, &timers,
			       (struct txn_io){ .send = discard },
			       (struct txn_tu){ on_request, &c }, &layer));
	for (unsigned round = 0; round < 2; round++) {
		for (unsigned i = 0; i < MANY; i++) {
			request_text(text, sizeof(text), i, "OPTIONS");
			CHECK_OK(receive_text(layer, text));
		}
	}
	txn_layer_stats(layer, &stats);
	CHECK_INT(c.requests, MANY); /* the second round was absorbed */
	CHECK_INT(stats.retransmissions_absorbed, MANY);
	CHECK_INT(stats.live[TXN_NIST], MANY);
	tnd_timers_advance(&timers, 32000); /* Timer J */
	txn_layer_stats(layer, &stats);
	CHECK_INT(stats.live[TXN_NIST], 0);
	txn_layer_free(layer);
	return 0;
}

static void on_event(struct txn *t, const struct txn_event *ev, void *arg)
{
	struct counts *c = arg;

	(void)t;
	c->responses += ev->kind == TXN_EV_RESPONSE;
	c->terminated += ev->kind == TXN_EV_TERMINATED;
}

static int test_table_matches_responses_across_doublings(void)
{
	struct counts c = { 0 };
	struct net_peer to = udp_peer();
	struct tnd_timers timers;
	struct txn_layer *layer;
	struct sip_msg *req, *res;
	struct txn *ct;
	char text[512];

	tnd_timers_init_manual(&timers, 0);
	CHECK_OK(txn_layer_new(NULL, &timers,
			       (struct txn_io){ .send = discard },
			       (struct txn_tu){ on_request, &c }, &layer));
	for (unsigned i = 0; i < MANY; i++) {
		request_text(text, sizeof(text), i, "OPTIONS");
		CHECK_OK(parse(text, &req));
		CHECK_OK(txn_client_start(layer, req, &to, on_event, &c, &ct));
	}
	/* Answer them in reverse: the oldest last, after every doubling. */
	for (unsigned i = MANY; i-- > 0;) {
		request_text(text, sizeof(text), i, "OPTIONS");
		CHECK_OK(parse(text, &req));
		CHECK_OK(sip_msg_response_new(req, 200, NULL, S("x"), &res));
		sip_msg_free(req);
		txn_layer_receive(layer, res, &to);
	}
	CHECK_INT(c.responses, MANY);
	tnd_timers_advance(&timers, 5000); /* Timer K */
	CHECK_INT(c.terminated, MANY);
	txn_layer_free(layer);
	return 0;
}

struct sent {
	unsigned n;
	char last[512];
};

static int record(void *arg, const struct net_peer *to, const char *data,
		  size_t len)
{
	struct sent *s = arg;

	(void)to;
	s->n++;
	snprintf(s->last, sizeof(s->last), "%.*s", (int)len, data);
	return 0;
}

/* A flood of new requests cannot grow the table past its cap. */
static int test_table_cap_answers_503_statelessly(void)
{
	struct txn_config cfg = txn_config_default;
	struct counts c = { 0 };
	struct sent sent = { 0 };
	struct tnd_timers timers;
	struct txn_layer *layer;
	struct txn_stats stats;
	char text[512];

	cfg.max_server_txns = 2;
	tnd_timers_init_manual(&timers, 0);
	CHECK_OK(txn_layer_new(&cfg, &timers,
			       (struct txn_io){ .send = record, .arg = &sent },
			       (struct txn_tu){ on_request, &c }, &layer));
	for (unsigned i = 0; i < 3; i++) {
		request_text(text, sizeof(text), i, "OPTIONS");
		CHECK_OK(receive_text(layer, text));
	}
	txn_layer_stats(layer, &stats);
	CHECK_INT(c.requests, 2);
	CHECK_INT(stats.live[TXN_NIST], 2);
	CHECK_INT(stats.overload_refused, 1);
	CHECK_INT(sent.n, 3);
	CHECK(strncmp(sent.last, "SIP/2.0 503 Server Overloaded\r\n", 31) == 0);
	CHECK(strstr(sent.last, "\r\nRetry-After: 5\r\n") != NULL);
	CHECK(strstr(sent.last, "Call-ID: many-2\r\n") != NULL);
	/* Once they end, requests are served again. */
	tnd_timers_advance(&timers, 32000);
	request_text(text, sizeof(text), 3, "OPTIONS");
	CHECK_OK(receive_text(layer, text));
	CHECK_INT(c.requests, 3);
	txn_layer_free(layer);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_table_absorbs_retransmissions_across_doublings),
	TEST(test_table_matches_responses_across_doublings),
	TEST(test_table_cap_answers_503_statelessly),
};

TEST_MAIN(cases)
