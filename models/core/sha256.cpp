#include "core/sha256.h"

#include <openssl/evp.h>

struct Sha256::Context
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    bool ok = md && EVP_DigestInit_ex(md, EVP_sha256(), nullptr) == 1;
    ~Context() { EVP_MD_CTX_free(md); }
};

Sha256::Sha256()
    : m_context(std::make_unique<Context>())
{
}

Sha256::~Sha256() = default;

void Sha256::addData(QByteArrayView bytes)
{
    if (m_result.isEmpty() && m_context->ok && !bytes.isEmpty())
        m_context->ok = EVP_DigestUpdate(m_context->md, bytes.data(), size_t(bytes.size())) == 1;
}

QByteArray Sha256::result()
{
    if (m_result.isEmpty()) {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        if (m_context->ok && EVP_DigestFinal_ex(m_context->md, digest, &length) == 1)
            m_result = QByteArray(reinterpret_cast<const char *>(digest), int(length));
    }
    return m_result;
}
