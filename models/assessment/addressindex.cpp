#include "assessment/addressindex.h"

AddressIndex::AddressIndex() : m_keys(1 << 12, 0), m_values(1 << 12, 0), m_mask((1 << 12) - 1) {}

std::optional<quint64> AddressIndex::insert(quint64 hash, quint64 value)
{
    if (hash == 0)
        hash = 1; // 0 marks an empty slot
    if ((m_count + 1) * 2 > m_keys.size())
        grow();
    std::size_t i = std::size_t(hash) & m_mask;
    for (;;) {
        const quint64 k = m_keys[i];
        if (k == 0) {
            m_keys[i] = hash;
            m_values[i] = value;
            ++m_count;
            return std::nullopt;
        }
        if (k == hash)
            return m_values[i];
        i = (i + 1) & m_mask;
    }
}

void AddressIndex::grow()
{
    std::vector<quint64> keys(m_keys.size() * 2, 0);
    std::vector<quint64> values(m_values.size() * 2, 0);
    const std::size_t mask = keys.size() - 1;
    for (std::size_t j = 0; j < m_keys.size(); ++j) {
        const quint64 k = m_keys[j];
        if (!k)
            continue;
        std::size_t i = std::size_t(k) & mask;
        while (keys[i])
            i = (i + 1) & mask;
        keys[i] = k;
        values[i] = m_values[j];
    }
    m_keys.swap(keys);
    m_values.swap(values);
    m_mask = mask;
}
