#pragma once

#include <QtGlobal>

#include <cstddef>
#include <optional>
#include <vector>

/**
 * A set of address hashes with a small value each (where the address was first seen), for
 * finding duplicates in one pass. Open addressing with linear probing over two flat arrays:
 * 16 bytes per slot, at most half full, so about 32 bytes per distinct address and no allocation
 * per insert. Hashes are 64-bit (xxHash3): the chance that two of ten million different addresses
 * collide is below 3 in a million.
 */
class AddressIndex
{
public:
    AddressIndex();

    /// Inserts the hash with its value, or returns the value stored when the hash was first seen.
    std::optional<quint64> insert(quint64 hash, quint64 value);

    std::size_t size() const { return m_count; }

private:
    void grow();

    std::vector<quint64> m_keys;   // 0 = empty slot
    std::vector<quint64> m_values;
    std::size_t m_count = 0;
    std::size_t m_mask = 0;
};
