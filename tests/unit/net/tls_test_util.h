/*
 * Helpers of the TLS tests: throwaway certificates made at run time with
 * OpenSSL (a CA, a server certificate for "localhost" and 127.0.0.1
 * signed by it, a client certificate signed by it, and a self-signed
 * "rogue" one for the same names) written as PEM into a fresh temporary
 * folder that tt_certs_remove deletes; and a TLS client on a libevent
 * OpenSSL bufferevent, so that the test's event loop runs both ends.
 * Nothing here is committed as a file, and nothing sleeps.
 */
#ifndef TANDEM_TLS_TEST_UTIL_H
#define TANDEM_TLS_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct bufferevent;
struct event_base;
struct ssl_ctx_st;

/* A folder name of up to 31 bytes, then a file name of up to 31. */
#define TT_DIR  32
#define TT_PATH 64

struct tt_certs {
	char dir[TT_DIR];
	char ca_cert[TT_PATH];
	char server_cert[TT_PATH], server_key[TT_PATH];
	char client_cert[TT_PATH], client_key[TT_PATH];
	char rogue_cert[TT_PATH], rogue_key[TT_PATH];
};
/* Makes the folder and every file. Returns 0 or EIO. */
int tt_certs_make(struct tt_certs *c);
/* Deletes the files and the folder (the exit does, if a case fails). */
void tt_certs_remove(struct tt_certs *c);

struct tt_client_opts {
	const char *ca_file;   /* verify the server against it; NULL: don't */
	const char *name;      /* SNI and the name verified ("localhost") */
	int max_version;       /* e.g. TLS1_1_VERSION; 0: no limit */
	const char *cert_file; /* a client certificate, with key_file */
	const char *key_file;
};

struct tt_client {
	struct ssl_ctx_st *ctx;
	struct bufferevent *bev;
	char rx[16384]; /* decrypted bytes received, NUL-terminated */
	size_t len;
	bool up;     /* handshake done */
	bool closed; /* an error or the end of the stream */
};
/* Connects to `to` and starts the handshake. Returns 0 or EIO. */
int tt_client_open(struct tt_client *c, struct event_base *base,
		   const struct sockaddr_storage *to,
		   const struct tt_client_opts *opts);
/* Queues bytes; they go once the handshake is done. */
bool tt_client_send(struct tt_client *c, const char *data, size_t len);
void tt_client_close(struct tt_client *c);

#endif
