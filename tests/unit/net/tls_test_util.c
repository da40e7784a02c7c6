/*
 * The helpers of tls_test_util.h. Keys are P-256 (quick to make, and
 * accepted at Debian's default security level); certificates are valid
 * from an hour ago for a day, signed with SHA-256.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "net_test_util.h"
#include "tls_test_util.h"

/* What one certificate is: its name, whether a CA, its alt names. */
struct tt_cert_spec {
	const char *cn;
	bool ca;
	const char *san; /* "DNS:localhost,IP:127.0.0.1", or NULL */
	long serial;
};

static bool add_ext(X509 *x, X509V3_CTX *v3, int nid, const char *value)
{
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, v3, nid, value);
	bool ok = ext && X509_add_ext(x, ext, -1);

	X509_EXTENSION_free(ext);
	return ok;
}

static bool cert_fill(X509 *x, EVP_PKEY *key, const struct tt_cert_spec *s,
		      X509 *issuer)
{
	X509_NAME *name = X509_get_subject_name(x);
	X509V3_CTX v3;

	if (!X509_set_version(x, X509_VERSION_3) ||
	    !ASN1_INTEGER_set(X509_get_serialNumber(x), s->serial) ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), -3600) ||
	    !X509_gmtime_adj(X509_getm_notAfter(x), 86400) ||
	    !X509_set_pubkey(x, key) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					(const unsigned char *)s->cn, -1, -1,
					0) ||
	    !X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer)
					    : name))
		return false;
	X509V3_set_ctx(&v3, issuer ? issuer : x, x, NULL, NULL, 0);
	if (!add_ext(x, &v3, NID_basic_constraints,
		     s->ca ? "critical,CA:TRUE" : "CA:FALSE") ||
	    (s->ca &&
	     !add_ext(x, &v3, NID_key_usage, "critical,keyCertSign,cRLSign")))
		return false;
	return !s->san || add_ext(x, &v3, NID_subject_alt_name, s->san);
}

/* A certificate for `key`, signed by issuer (NULL: self-signed). */
static X509 *cert_new(EVP_PKEY *key, const struct tt_cert_spec *s, X509 *issuer,
		      EVP_PKEY *issuer_key)
{
	X509 *x = X509_new();

	if (!x || !cert_fill(x, key, s, issuer) ||
	    !X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256())) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static bool write_pem(const char *path, X509 *x, EVP_PKEY *key)
{
	FILE *f = fopen(path, "w");
	bool ok = f != NULL;

	if (ok && x)
		ok = PEM_write_X509(f, x) == 1;
	if (ok && key)
		ok = PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) ==
		     1;
	if (f && fclose(f))
		ok = false;
	return ok;
}

/* Makes key and certificate, writes them; the certificate stays in *x. */
static bool make_pair(const struct tt_cert_spec *s, X509 *issuer,
		      EVP_PKEY *issuer_key, const char *cert_path,
		      const char *key_path, X509 **x_out, EVP_PKEY **key_out)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = key ? cert_new(key, s, issuer, issuer_key) : NULL;
	bool ok = x && write_pem(cert_path, x, NULL) &&
		  (!key_path || write_pem(key_path, NULL, key));

	if (ok && x_out) {
		*x_out = x;
		x = NULL;
	}
	if (ok && key_out) {
		*key_out = key;
		key = NULL;
	}
	X509_free(x);
	EVP_PKEY_free(key);
	return ok;
}

/*
 * The folder made last, until removed: a case that fails returns before
 * its clean-up, so the next tt_certs_make, or the exit, removes it.
 */
static struct tt_certs pending;

static void remove_files(struct tt_certs *c)
{
	const char *files[] = { c->ca_cert,     c->server_cert, c->server_key,
				c->client_cert, c->client_key,  c->rogue_cert,
				c->rogue_key };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (files[i][0])
			(void)unlink(files[i]);
	}
	if (c->dir[0])
		(void)rmdir(c->dir);
	c->dir[0] = '\0';
}

static void remove_pending(void)
{
	remove_files(&pending);
}

static void set_path(char *out, const char *dir, const char *file)
{
	snprintf(out, TT_PATH, "%s/%s", dir, file);
}

/* Names and fills in the paths, and makes the folder. */
static int certs_folder(struct tt_certs *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->dir, sizeof(c->dir), "/tmp/tandem-tls-XXXXXX");
	if (!mkdtemp(c->dir)) {
		c->dir[0] = '\0';
		return EIO;
	}
	set_path(c->ca_cert, c->dir, "ca.pem");
	set_path(c->server_cert, c->dir, "server.pem");
	set_path(c->server_key, c->dir, "server.key");
	set_path(c->client_cert, c->dir, "client.pem");
	set_path(c->client_key, c->dir, "client.key");
	set_path(c->rogue_cert, c->dir, "rogue.pem");
	set_path(c->rogue_key, c->dir, "rogue.key");
	pending = *c;
	return 0;
}

int tt_certs_make(struct tt_certs *c)
{
	static const struct tt_cert_spec
	    ca = { "tandem test CA", true, NULL, 1 },
	    server = { "localhost", false, "DNS:localhost,IP:127.0.0.1", 2 },
	    client = { "client.test", false, "DNS:client.test", 3 },
	    rogue = { "localhost", false, "DNS:localhost,IP:127.0.0.1", 4 };
	static bool registered;
	X509 *ca_x = NULL;
	EVP_PKEY *ca_key = NULL;
	bool ok;

	if (!registered)
		registered = atexit(remove_pending) == 0;
	remove_pending();
	if (certs_folder(c))
		return EIO;
	ok = make_pair(&ca, NULL, NULL, c->ca_cert, NULL, &ca_x, &ca_key) &&
	     make_pair(&server, ca_x, ca_key, c->server_cert, c->server_key,
		       NULL, NULL) &&
	     make_pair(&client, ca_x, ca_key, c->client_cert, c->client_key,
		       NULL, NULL) &&
	     make_pair(&rogue, NULL, NULL, c->rogue_cert, c->rogue_key, NULL,
		       NULL);
	X509_free(ca_x);
	EVP_PKEY_free(ca_key);
	ERR_clear_error();
	if (!ok) {
		tt_certs_remove(c);
		return EIO;
	}
	return 0;
}

void tt_certs_remove(struct tt_certs *c)
{
	if (strcmp(c->dir, pending.dir) == 0)
		pending.dir[0] = '\0';
	remove_files(c);
}

static void client_on_read(struct bufferevent *bev, void *arg)
{
	struct tt_client *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	int n = evbuffer_remove(in, c->rx + c->len, sizeof(c->rx) - 1 - c->len);

	if (n > 0)
		c->len += (size_t)n;
	c->rx[c->len] = '\0';
}

static void client_on_event(struct bufferevent *bev, short what, void *arg)
{
	struct tt_client *c = arg;

	(void)bev;
	if (what & BEV_EVENT_CONNECTED)
		c->up = true;
	else if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		c->closed = true;
}

/* The client's context: verification, a protocol cap, a certificate. */
static struct ssl_ctx_st *client_ctx(const struct tt_client_opts *o)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	bool ok = ctx != NULL;

	if (ok && o->max_version) {
		/* Old protocols are refused below security level 0. */
		SSL_CTX_set_security_level(ctx, 0);
		ok = SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0") &&
		     SSL_CTX_set_min_proto_version(ctx, 0) &&
		     SSL_CTX_set_max_proto_version(ctx, o->max_version);
	}
	if (ok && o->ca_file) {
		ok = SSL_CTX_load_verify_locations(ctx, o->ca_file, NULL);
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	}
	if (ok && o->cert_file)
		ok = SSL_CTX_use_certificate_chain_file(ctx, o->cert_file) &&
		     SSL_CTX_use_PrivateKey_file(ctx, o->key_file,
						 SSL_FILETYPE_PEM);
	if (!ok) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

int tt_client_open(struct tt_client *c, struct event_base *base,
		   const struct sockaddr_storage *to,
		   const struct tt_client_opts *opts)
{
	SSL *ssl;
	int fd;

	memset(c, 0, sizeof(*c));
	if (!(c->ctx = client_ctx(opts)) || !(ssl = SSL_new(c->ctx)))
		return EIO;
	if (opts->name && (!SSL_set_tlsext_host_name(ssl, opts->name) ||
			   !SSL_set1_host(ssl, opts->name))) {
		SSL_free(ssl);
		return EIO;
	}
	/* Connected at once from the listener's backlog; then non-blocking. */
	if ((fd = nt_tcp_client(to)) < 0) {
		SSL_free(ssl);
		return EIO;
	}
	c->bev = bufferevent_openssl_socket_new(
	    base, fd, ssl, BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
	if (!c->bev) {
		close(fd);
		return EIO;
	}
	bufferevent_openssl_set_allow_dirty_shutdown(c->bev, 1);
	bufferevent_setcb(c->bev, client_on_read, NULL, client_on_event, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	return 0;
}

bool tt_client_send(struct tt_client *c, const char *data, size_t len)
{
	return bufferevent_write(c->bev, data, len) == 0;
}

void tt_client_close(struct tt_client *c)
{
	if (c->bev)
		bufferevent_free(c->bev);
	SSL_CTX_free(c->ctx);
	c->bev = NULL;
	c->ctx = NULL;
}
