#ifndef INTERLINK_CCRYPTO_SHIM_H
#define INTERLINK_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#include <openssl/hmac.h>

// One-shot SHA-256 through the EVP interface (the low-level SHA256_* calls are deprecated in OpenSSL 3).
static inline int interlink_sha256(const void *data, size_t count, unsigned char *digest) {
    unsigned int length = 0;
    return EVP_Digest(data, count, digest, &length, EVP_sha256(), NULL) == 1 && length == 32;
}

// One-shot HMAC-SHA256 (HMAC() itself is not deprecated in OpenSSL 3, unlike HMAC_CTX).
static inline int interlink_hmac_sha256(const void *key, int key_count, const void *data, size_t count, unsigned char *digest) {
    unsigned int length = 0;
    return HMAC(EVP_sha256(), key, key_count, data, count, digest, &length) != NULL && length == 32;
}
#endif
