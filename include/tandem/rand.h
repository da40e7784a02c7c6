/*
 * Unguessable tokens for Call-IDs, tags, branches and nonces, from OpenSSL's
 * CSPRNG. A guessable tag or branch lets an off-path attacker inject BYEs
 * and CANCELs, so nothing here may fall back to a weaker generator.
 */
#ifndef TANDEM_RAND_H
#define TANDEM_RAND_H

#include <stddef.h>
#include <stdint.h>

/* 128 bits of entropy in 22 base64url-like characters, plus the cookie. */
#define TND_RAND_TOKEN_CHARS 22
#define TND_BRANCH_COOKIE    "z9hG4bK"
#define TND_BRANCH_LEN       (sizeof(TND_BRANCH_COOKIE) - 1 + TND_RAND_TOKEN_CHARS)

/*
 * Writes `chars` token characters (alphanumerics, "-" and ".": legal in
 * tokens, tags, branches and Call-IDs)
 * and a NUL into out[chars + 1]. Returns 0, or EIO when the CSPRNG fails.
 */
int tnd_rand_token(char *out, size_t chars);
/* 64 random bits (hash seeds, first CSeq numbers). 0, or EIO. */
int tnd_rand_u64(uint64_t *out);
/* "z9hG4bK" + a token: out must hold TND_BRANCH_LEN + 1 bytes. */
int tnd_rand_branch(char *out, size_t size);

#endif
