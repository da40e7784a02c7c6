/*
 * Header identities, and the typed forms of the headers a B2BUA reads.
 * Each typed parser takes one header value (a slice) and fills a struct of
 * slices into it: nothing is allocated, nothing copied.
 *
 * Values may span folded lines (RFC 3261 §7.3.1); every parser treats
 * CRLF followed by SP or HTAB as whitespace.
 */
#ifndef TANDEM_SIP_HDR_H
#define TANDEM_SIP_HDR_H

#include <stdbool.h>
#include <stdint.h>

#include "tandem/sip_error.h"
#include "tandem/sip_uri.h"
#include "tandem/slice.h"

/*
 * Known headers. SIP_HDR_OTHER is any header not listed; keep it first,
 * and keep the rest in case-insensitive alphabetical order of their names
 * (the lookup relies on it).
 */
enum sip_hdr_id {
	SIP_HDR_OTHER = 0,
	SIP_HDR_ACCEPT,
	SIP_HDR_ACCEPT_CONTACT,
	SIP_HDR_ACCEPT_ENCODING,
	SIP_HDR_ALLOW,
	SIP_HDR_ALLOW_EVENTS,
	SIP_HDR_AUTHORIZATION,
	SIP_HDR_CALL_ID,
	SIP_HDR_CONTACT,
	SIP_HDR_CONTENT_DISPOSITION,
	SIP_HDR_CONTENT_ENCODING,
	SIP_HDR_CONTENT_LENGTH,
	SIP_HDR_CONTENT_TYPE,
	SIP_HDR_CSEQ,
	SIP_HDR_DATE,
	SIP_HDR_EVENT,
	SIP_HDR_EXPIRES,
	SIP_HDR_FROM,
	SIP_HDR_IDENTITY,
	SIP_HDR_MAX_FORWARDS,
	SIP_HDR_MIN_EXPIRES,
	SIP_HDR_MIN_SE,
	SIP_HDR_PROXY_AUTHENTICATE,
	SIP_HDR_PROXY_AUTHORIZATION,
	SIP_HDR_PROXY_REQUIRE,
	SIP_HDR_RACK,
	SIP_HDR_RECORD_ROUTE,
	SIP_HDR_REFER_TO,
	SIP_HDR_REFERRED_BY,
	SIP_HDR_REJECT_CONTACT,
	SIP_HDR_REPLACES,
	SIP_HDR_REQUEST_DISPOSITION,
	SIP_HDR_REQUIRE,
	SIP_HDR_RETRY_AFTER,
	SIP_HDR_ROUTE,
	SIP_HDR_RSEQ,
	SIP_HDR_SERVER,
	SIP_HDR_SESSION_EXPIRES,
	SIP_HDR_SUBJECT,
	SIP_HDR_SUBSCRIPTION_STATE,
	SIP_HDR_SUPPORTED,
	SIP_HDR_TIMESTAMP,
	SIP_HDR_TO,
	SIP_HDR_UNSUPPORTED,
	SIP_HDR_USER_AGENT,
	SIP_HDR_VIA,
	SIP_HDR_WARNING,
	SIP_HDR_WWW_AUTHENTICATE,
	SIP_HDR_COUNT
};

/* The header named `name` (long or compact form, any case). */
enum sip_hdr_id sip_hdr_lookup(struct tnd_slice name);
/* Canonical long name ("Call-ID"); "" for SIP_HDR_OTHER. */
const char *sip_hdr_name(enum sip_hdr_id id);
/*
 * True for headers whose value is a comma-separated list that
 * sip_value_next() may split (Via, Contact, Route, Supported, ...).
 * Never true for headers whose values contain bare commas (Date,
 * WWW-Authenticate and the other challenge/credential headers).
 */
bool sip_hdr_is_list(enum sip_hdr_id id);

/*
 * Splits a list header's value at top-level commas: not inside quotes or
 * angle brackets. `*pos` starts at 0. Returns false when no value is
 * left; empty elements (",,") come back as empty slices so that callers
 * can reject them.
 */
bool sip_value_next(struct tnd_slice value, size_t *pos,
		    struct tnd_slice *item);

/* Generic parameters: ";name=value;flag" regions kept as one slice. */
/* Finds parameter `name` (case-insensitive); value empty for a flag. */
bool sip_params_get(struct tnd_slice params, const char *name,
		    struct tnd_slice *value);
/* Walks parameters in order; `*pos` starts at 0. */
bool sip_params_next(struct tnd_slice params, size_t *pos,
		     struct tnd_slice *name, struct tnd_slice *value);

enum sip_method {
	SIP_METHOD_UNKNOWN = 0,
	SIP_METHOD_INVITE,
	SIP_METHOD_ACK,
	SIP_METHOD_BYE,
	SIP_METHOD_CANCEL,
	SIP_METHOD_OPTIONS,
	SIP_METHOD_REGISTER,
	SIP_METHOD_PRACK,
	SIP_METHOD_UPDATE,
	SIP_METHOD_INFO,
	SIP_METHOD_REFER,
	SIP_METHOD_SUBSCRIBE,
	SIP_METHOD_NOTIFY,
	SIP_METHOD_MESSAGE,
	SIP_METHOD_PUBLISH,
};

/* Methods are case-sensitive (RFC 3261 §7.1). */
enum sip_method sip_method_lookup(struct tnd_slice name);
const char *sip_method_name(enum sip_method m);

/* Via (RFC 3261 §20.42, received/rport of RFC 3581). */
struct sip_via {
	struct tnd_slice protocol;  /* "SIP/2.0" as written */
	struct tnd_slice transport; /* "UDP", "TCP", "TLS", ... as written */
	struct tnd_slice host;      /* IPv6 without brackets */
	enum sip_host_type host_type;
	uint16_t port; /* 0 when absent */
	struct tnd_slice params;
	struct tnd_slice branch;
	struct tnd_slice received; /* brackets removed from an IPv6 value */
	struct tnd_slice maddr;
	bool has_rport;
	uint16_t rport; /* 0 for a bare ";rport" */
	int16_t ttl;    /* -1 when absent */
};
int sip_via_parse(struct tnd_slice value, struct sip_via *out,
		  struct sip_parse_error *err);

/*
 * name-addr / addr-spec with header parameters: From, To, Contact, Route,
 * Record-Route, Refer-To, Referred-By.
 */
struct sip_nameaddr {
	struct tnd_slice display; /* without quotes; quoted-pairs as written */
	struct tnd_slice uri;     /* inside <>, or the bare addr-spec */
	bool bracketed;
	struct tnd_slice params; /* header params after the URI, or empty */
	struct tnd_slice tag;    /* the "tag" parameter, or empty */
};
int sip_nameaddr_parse(struct tnd_slice value, struct sip_nameaddr *out,
		       struct sip_parse_error *err);

struct sip_contact {
	bool star; /* "Contact: *" */
	struct sip_nameaddr addr;
	bool has_expires;
	uint32_t expires;
	bool has_q;
	uint16_t q; /* q-value times 1000: 0..1000 */
};
/* One element of a Contact list (see sip_value_next). */
int sip_contact_parse(struct tnd_slice value, struct sip_contact *out,
		      struct sip_parse_error *err);

struct sip_cseq {
	uint32_t number;
	enum sip_method method;
	struct tnd_slice method_name;
};
int sip_cseq_parse(struct tnd_slice value, struct sip_cseq *out,
		   struct sip_parse_error *err);

/* Call-ID: word [ "@" word ]. */
int sip_callid_parse(struct tnd_slice value, struct tnd_slice *out,
		     struct sip_parse_error *err);

/* A decimal header value no larger than `max` (Max-Forwards, Expires, ...). */
int sip_uint_parse(struct tnd_slice value, uint32_t max, uint32_t *out,
		   struct sip_parse_error *err);

/* Content-Type (RFC 3261 §20.15): "type/subtype;params". */
struct sip_media_type {
	struct tnd_slice type;
	struct tnd_slice subtype;
	struct tnd_slice params;
};
int sip_media_type_parse(struct tnd_slice value, struct sip_media_type *out,
			 struct sip_parse_error *err);

/*
 * Token lists: Require, Supported, Proxy-Require, Unsupported, Allow.
 * Checks every element is a token; empty lists are allowed.
 */
int sip_tokens_check(struct tnd_slice value, struct sip_parse_error *err);
/* True when the list holds `token` (case-insensitive). */
bool sip_tokens_contains(struct tnd_slice value, const char *token);

/*
 * Challenges and credentials: WWW-Authenticate, Proxy-Authenticate,
 * Authorization, Proxy-Authorization (RFC 3261 §25.1, RFC 7616).
 * Quoted values are given without their quotes (quoted-pairs as written).
 */
struct sip_auth {
	struct tnd_slice scheme; /* "Digest", or another scheme as written */
	struct tnd_slice params; /* the comma-separated auth-params */
	struct tnd_slice realm, nonce, opaque, algorithm, qop, stale, domain;
	struct tnd_slice username, uri, response, cnonce, nc;
};
int sip_auth_parse(struct tnd_slice value, struct sip_auth *out,
		   struct sip_parse_error *err);
/* Finds any auth-param by name (case-insensitive), unquoted. */
bool sip_auth_param(const struct sip_auth *auth, const char *name,
		    struct tnd_slice *value);

/* RAck (RFC 3262): "rseq cseq method". RSeq uses sip_uint_parse. */
struct sip_rack {
	uint32_t rseq;
	uint32_t cseq;
	enum sip_method method;
	struct tnd_slice method_name;
};
int sip_rack_parse(struct tnd_slice value, struct sip_rack *out,
		   struct sip_parse_error *err);

/* Replaces (RFC 3891): "call-id;to-tag=..;from-tag=..[;early-only]". */
struct sip_replaces {
	struct tnd_slice call_id;
	struct tnd_slice to_tag;
	struct tnd_slice from_tag;
	bool early_only;
	struct tnd_slice params;
};
int sip_replaces_parse(struct tnd_slice value, struct sip_replaces *out,
		       struct sip_parse_error *err);

/* Event (RFC 6665): "package[.template];id=..". */
struct sip_event {
	struct tnd_slice package;
	struct tnd_slice id;
	struct tnd_slice params;
};
int sip_event_parse(struct tnd_slice value, struct sip_event *out,
		    struct sip_parse_error *err);

/* Subscription-State (RFC 6665): "active;expires=600", "terminated;reason=..".
 */
struct sip_substate {
	struct tnd_slice state;
	struct tnd_slice reason;
	bool has_expires;
	uint32_t expires;
	bool has_retry_after;
	uint32_t retry_after;
	struct tnd_slice params;
};
int sip_substate_parse(struct tnd_slice value, struct sip_substate *out,
		       struct sip_parse_error *err);

/* Session-Expires (RFC 4028): "delta;refresher=uac|uas". Min-SE: uint. */
enum sip_refresher { SIP_REFRESHER_NONE, SIP_REFRESHER_UAC, SIP_REFRESHER_UAS };
struct sip_session_expires {
	uint32_t delta;
	enum sip_refresher refresher;
	struct tnd_slice params;
};
int sip_session_expires_parse(struct tnd_slice value,
			      struct sip_session_expires *out,
			      struct sip_parse_error *err);

#endif
