/*
 * TLS for stream connections (RFC 3261 §26.3.1): the net's two OpenSSL
 * contexts, made from net_config.tls when first needed and freed by
 * net_free, and the per-connection side: an SSL object wrapped in a
 * libevent OpenSSL bufferevent, so that conn.c and conn_read.c read,
 * write and frame TLS exactly as they do TCP. OpenSSL does all of the
 * protocol and every check; this file only configures it: TLS 1.2 or
 * later, the certificate and key we present, the CAs we trust, SNI and
 * the name or IP a server must prove (RFC 5922 §7.2, RFC 6066 §3).
 * It owns the contexts; each SSL belongs to its bufferevent
 * (BEV_OPT_CLOSE_ON_FREE), which belongs to its connection.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "tandem/log.h"
#include "net_int.h"

/* Logs why OpenSSL refused `what`, and leaves its error queue empty. */
static void log_ssl_failure(const char *what, const char *path)
{
	/* The first error is the cause, the others its consequences. */
	unsigned long e = ERR_peek_error();
	char reason[256] = "unknown error";

	if (e)
		ERR_error_string_n(e, reason, sizeof(reason));
	ERR_clear_error();
	tnd_log_error("net: tls: %s%s%s: %s", what, path ? " " : "",
		      path ? path : "", reason);
}

/*
 * What both sides share. TLS 1.0 and 1.1 are deprecated (RFC 8996).
 * A peer that closes without close_notify is taken as a close, not an
 * error: SIP frames by Content-Length (RFC 3261 §18.3), so a truncated
 * message is never mistaken for a whole one. Renegotiation is refused:
 * SIP never needs it and it has a history of attacks (RFC 5746).
 */
static SSL_CTX *ctx_new(const SSL_METHOD *method)
{
	SSL_CTX *ctx = SSL_CTX_new(method);

	if (!ctx)
		return NULL;
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION)) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF |
				     SSL_OP_NO_RENEGOTIATION);
	return ctx;
}

static int load_identity(SSL_CTX *ctx, const struct net_tls_config *cfg)
{
	if (!SSL_CTX_use_certificate_chain_file(ctx, cfg->cert_file)) {
		log_ssl_failure("cannot load the certificate chain",
				cfg->cert_file);
		return EINVAL;
	}
	if (!SSL_CTX_use_PrivateKey_file(ctx, cfg->key_file,
					 SSL_FILETYPE_PEM)) {
		log_ssl_failure("cannot load the private key", cfg->key_file);
		return EINVAL;
	}
	if (!SSL_CTX_check_private_key(ctx)) {
		log_ssl_failure("the private key does not match the "
				"certificate",
				cfg->key_file);
		return EINVAL;
	}
	return 0;
}

static int load_trust(SSL_CTX *ctx, const struct net_tls_config *cfg)
{
	int ok = cfg->ca_file
		     ? SSL_CTX_load_verify_locations(ctx, cfg->ca_file, NULL)
		     : SSL_CTX_set_default_verify_paths(ctx);

	if (ok != 1) {
		log_ssl_failure("cannot load the trusted CAs",
				cfg->ca_file ? cfg->ca_file : "(default)");
		return EINVAL;
	}
	return 0;
}

/*
 * Clients must present a certificate from a trusted CA. The session id
 * context lets a resumed session keep the client identity it was
 * verified with (SSL_CTX_set_session_id_context(3)); the CA names tell
 * clients which certificate to pick (RFC 8446 §4.2.4).
 */
static int require_clients(SSL_CTX *ctx, const struct net_tls_config *cfg)
{
	static const unsigned char sid_ctx[] = "tandem";

	if (load_trust(ctx, cfg))
		return EINVAL;
	SSL_CTX_set_verify(
	    ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	if (!SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1))
		return ENOMEM;
	if (cfg->ca_file)
		SSL_CTX_set_client_CA_list(
		    ctx, SSL_load_client_CA_file(cfg->ca_file));
	ERR_clear_error();
	return 0;
}

int net_tls_server_ready(struct net *net)
{
	const struct net_tls_config *cfg = &net->cfg.tls;
	SSL_CTX *ctx;
	int rc;

	if (net->tls_server)
		return 0;
	if (!cfg->cert_file || !cfg->key_file) {
		tnd_log_error("net: tls: a tls listener needs a certificate "
			      "chain and its private key (--tls-cert, "
			      "--tls-key)");
		return EINVAL;
	}
	if (!(ctx = ctx_new(TLS_server_method())))
		return ENOMEM;
	rc = load_identity(ctx, cfg);
	if (rc == 0 && cfg->verify_client)
		rc = require_clients(ctx, cfg);
	if (rc) {
		SSL_CTX_free(ctx);
		return rc;
	}
	net->tls_server = ctx;
	return 0;
}

static int client_ready(struct net *net)
{
	const struct net_tls_config *cfg = &net->cfg.tls;
	SSL_CTX *ctx;
	int rc = 0;

	if (net->tls_client)
		return 0;
	if (!(ctx = ctx_new(TLS_client_method())))
		return ENOMEM;
	/* Offered when a server asks for a client certificate. */
	if (cfg->cert_file)
		rc = load_identity(ctx, cfg);
	if (rc == 0 && cfg->verify_server) {
		rc = load_trust(ctx, cfg);
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	}
	if (rc) {
		SSL_CTX_free(ctx);
		return rc;
	}
	net->tls_client = ctx;
	return 0;
}

/*
 * The name a server must prove, and SNI. An IP literal is matched
 * against the certificate's IP subjectAltNames and never sent as SNI
 * (RFC 6066 §3); a host name against its DNS subjectAltNames, whole,
 * without wildcards (RFC 5922 §7.2).
 */
static int ssl_set_server_name(SSL *ssl, const char *name, bool verify)
{
	unsigned char ip[16];
	bool literal = inet_pton(AF_INET, name, ip) == 1 ||
		       inet_pton(AF_INET6, name, ip) == 1;

	if (!literal && SSL_set_tlsext_host_name(ssl, name) != 1)
		return EINVAL;
	if (!verify)
		return 0;
	if (literal) {
		X509_VERIFY_PARAM *param = SSL_get0_param(ssl);

		return X509_VERIFY_PARAM_set1_ip_asc(param, name) ? 0 : EINVAL;
	}
	SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_WILDCARDS);
	return SSL_set1_host(ssl, name) == 1 ? 0 : EINVAL;
}

static int ssl_new(struct net *net, bool accepting, const char *name, SSL **out)
{
	SSL *ssl;
	int rc;

	if (!accepting && (rc = client_ready(net)))
		return rc;
	if (!(ssl = SSL_new(accepting ? net->tls_server : net->tls_client)))
		return ENOMEM;
	if (!accepting &&
	    (rc = ssl_set_server_name(ssl, name, net->cfg.tls.verify_server))) {
		SSL_free(ssl);
		return rc;
	}
	*out = ssl;
	return 0;
}

int net_tls_bev_new(struct net *net, evutil_socket_t fd, bool accepting,
		    const char *name, struct bufferevent **out)
{
	SSL *ssl = NULL;
	int rc;

	ERR_clear_error();
	if ((rc = ssl_new(net, accepting, name, &ssl))) {
		ERR_clear_error();
		evutil_closesocket(fd);
		return rc;
	}
	/*
	 * On failure libevent 2.1 has freed ssl, as BEV_OPT_CLOSE_ON_FREE
	 * asks, but not closed the socket, which ssl's BIO does not own.
	 */
	*out = bufferevent_openssl_socket_new(
	    net->base, fd, ssl,
	    accepting ? BUFFEREVENT_SSL_ACCEPTING : BUFFEREVENT_SSL_CONNECTING,
	    BEV_OPT_CLOSE_ON_FREE);
	if (!*out) {
		evutil_closesocket(fd);
		return ENOMEM;
	}
	/* A close without close_notify is an end, not an error (above). */
	bufferevent_openssl_set_allow_dirty_shutdown(*out, 1);
	return 0;
}

int net_tls_error(struct bufferevent *bev, char *why, size_t size)
{
	SSL *ssl = bufferevent_openssl_get_ssl(bev);
	unsigned long e, tls = 0;
	long verify;
	int sys = 0;

	/*
	 * The bufferevent hands back what it recorded last first; besides
	 * OpenSSL's queue it may record SSL_get_error's code, of no library.
	 */
	while ((e = bufferevent_get_openssl_error(bev))) {
		if (ERR_SYSTEM_ERROR(e))
			sys = ERR_GET_REASON(e);
		else if (ERR_GET_LIB(e))
			tls = e;
	}
	if (!tls)
		return sys;
	verify = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
	if (verify != X509_V_OK)
		snprintf(why, size, "certificate not accepted: %s",
			 X509_verify_cert_error_string(verify));
	else
		ERR_error_string_n(tls, why, size);
	return EPROTO;
}

void net_tls_free(struct net *net)
{
	/*
	 * Connections libevent has yet to finalize keep the contexts alive
	 * through their own references (SSL_new takes one).
	 */
	SSL_CTX_free(net->tls_server);
	SSL_CTX_free(net->tls_client);
	net->tls_server = net->tls_client = NULL;
}
