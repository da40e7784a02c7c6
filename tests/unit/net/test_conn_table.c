/*
 * core/net/conn_table.c: finding connections by id and by address, with
 * growth, removal in any order, and ids that are never found again.
 * Connections here are bare structs: the table reads only id and peer.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include "tandem/mem.h"
#include "net_int.h"
#include "test.h"

#define N 3000

static void fake_peer(struct net_conn *c, uint64_t id, uint16_t port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&c->peer.addr;

	memset(c, 0, sizeof(*c));
	c->id = id;
	c->peer.transport = NET_TCP;
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = htonl(0x7f000001);
}

static int test_conn_table_finds_by_id_and_address(void)
{
	struct net_conn_table t;
	struct net_conn *c = tnd_calloc(N, sizeof(*c));

	CHECK(c != NULL);
	CHECK_INT(net_conn_table_init(&t, 1234), 0);
	for (size_t i = 0; i < N; i++) {
		fake_peer(&c[i], i + 1, (uint16_t)(10000 + i));
		net_conn_table_insert(&t, &c[i]);
	}
	CHECK_INT(t.count, N);
	CHECK(t.nbuckets >= N);
	for (size_t i = 0; i < N; i++) {
		CHECK(net_conn_table_find(&t, i + 1) == &c[i]);
		CHECK(net_conn_table_find_addr(&t, NET_TCP, &c[i].peer.addr) ==
		      &c[i]);
		CHECK(net_conn_table_find_addr(&t, NET_TLS, &c[i].peer.addr) ==
		      NULL);
	}
	/* Every other one goes; the rest are still found. */
	for (size_t i = 0; i < N; i += 2)
		net_conn_table_remove(&t, &c[i]);
	CHECK_INT(t.count, N / 2);
	for (size_t i = 0; i < N; i++) {
		struct net_conn *want = i % 2 ? &c[i] : NULL;

		CHECK(net_conn_table_find(&t, i + 1) == want);
		CHECK(net_conn_table_find_addr(&t, NET_TCP, &c[i].peer.addr) ==
		      want);
	}
	CHECK(net_conn_table_find(&t, N + 1) == NULL);
	/* Removing one twice is harmless. */
	net_conn_table_remove(&t, &c[0]);
	CHECK_INT(t.count, N / 2);
	net_conn_table_free(&t);
	tnd_free(c);
	return 0;
}

static int test_conn_table_any_drains(void)
{
	struct net_conn_table t;
	struct net_conn c[5], *any;
	size_t n = 0;

	CHECK_INT(net_conn_table_init(&t, 1), 0);
	CHECK(net_conn_table_any(&t) == NULL);
	for (size_t i = 0; i < 5; i++) {
		fake_peer(&c[i], 100 + i, 5060);
		net_conn_table_insert(&t, &c[i]);
	}
	/* Same address five times: the index holds them all. */
	CHECK(net_conn_table_find_addr(&t, NET_TCP, &c[0].peer.addr) != NULL);
	while ((any = net_conn_table_any(&t))) {
		net_conn_table_remove(&t, any);
		n++;
	}
	CHECK_INT(n, 5);
	CHECK(net_conn_table_find_addr(&t, NET_TCP, &c[0].peer.addr) == NULL);
	net_conn_table_free(&t);
	return 0;
}

static int test_conn_table_survives_failed_growth(void)
{
	struct net_conn_table t;
	struct net_conn c[200];
	int rc = net_conn_table_init(&t, 1);

	if (rc)
		return rc;
	/* Growing past 64 and 128 may fail: the chains just get longer. */
	for (size_t i = 0; i < 200; i++) {
		fake_peer(&c[i], i + 1, (uint16_t)(1 + i));
		net_conn_table_insert(&t, &c[i]);
	}
	for (size_t i = 0; i < 200; i++) {
		CHECK(net_conn_table_find(&t, i + 1) == &c[i]);
		CHECK(net_conn_table_find_addr(&t, NET_TCP, &c[i].peer.addr) ==
		      &c[i]);
	}
	net_conn_table_free(&t);
	return 0;
}

static const struct test_case cases[] = {
	TEST(test_conn_table_finds_by_id_and_address),
	TEST(test_conn_table_any_drains),
	TEST_OOM(test_conn_table_survives_failed_growth),
};
TEST_MAIN(cases)
