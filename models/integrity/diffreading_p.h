#pragma once

// The reading machinery of DiffEngine (diffengine.cpp): what a side's first pass keeps per record,
// the hashing, the matching of a side against the one read before it, the detail pass.

#include "connectors/consentmapping.h"
#include "contacts/emailaddress.h"
#include "integrity/diffrecordsource.h"
#include "integrity/valuenormalisation.h"

#include <QLoggingCategory>

#include <xxhash.h>

#include <array>
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

Q_DECLARE_LOGGING_CATEGORY(lcIntegrity)

namespace DiffReading {

/// One record of one side: 32 bytes.
struct Entry
{
    quint64 email;    ///< XXH3-64 of the normalised email
    quint64 values;   ///< XXH3-64 of the normalised mapped values
    quint64 locator;
    quint32 line;
    quint8 status;
};
static_assert(sizeof(Entry) == 32);

struct Side
{
    DiffRecordSource *source = nullptr;
    QList<int> columns;
    QList<CompareType> types;
    std::vector<Entry> entries;
    std::array<qint64, 8> byStatus{};
    Status status;
};

constexpr qint64 kProgressEvery = 1 << 16;
/// Threads that read one side when it can be cut into pieces (the machine this is made for has
/// two cores; a third thread reads and inflates).
constexpr int kWorkers = 2;
/// How far the side read second may read ahead (inflate) while the first is read.
constexpr qint64 kReadAheadBytes = 32 << 20;

/// The normalised values of one record, hashed as a whole and (for the details) one by one.
class RecordHasher
{
public:
    explicit RecordHasher(const QList<CompareType> &types) : m_types(types) {}
    RecordHasher(const RecordHasher &) = delete;
    RecordHasher &operator=(const RecordHasher &) = delete;

    quint64 email(QByteArrayView email)
    {
        // ValueNormalisation::email() (EmailAddress::normalized()) without a string per record
        // for the common case: trimmed, ASCII, lower-cased.
        const QByteArrayView t = EmailAddress::trimmed(email);
        m_email.resize(size_t(t.size()));
        for (qsizetype i = 0; i < t.size(); ++i) {
            const char c = t[i];
            if (static_cast<unsigned char>(c) & 0x80) {
                const std::string key = ValueNormalisation::email(email);
                return XXH3_64bits(key.data(), key.size());
            }
            m_email[size_t(i)] = c >= 'A' && c <= 'Z' ? char(c + ('a' - 'A')) : c;
        }
        return XXH3_64bits(m_email.data(), m_email.size());
    }

    quint64 values(std::span<const QByteArrayView> values, quint64 *fieldHashes = nullptr)
    {
        // The normalised values one after another, each after its length ("ab","c" is not
        // "a","bc"), hashed at once.
        m_record.clear();
        for (size_t i = 0; i < values.size(); ++i) {
            ValueNormalisation::normalise(values[i], m_types[qsizetype(i)], m_buffer);
            const quint32 length = quint32(m_buffer.size());
            m_record.append(reinterpret_cast<const char *>(&length), sizeof length);
            m_record.append(m_buffer);
            if (fieldHashes)
                fieldHashes[i] = XXH3_64bits(m_buffer.data(), m_buffer.size());
        }
        return XXH3_64bits(m_record.data(), m_record.size());
    }

private:
    const QList<CompareType> &m_types;
    std::string m_buffer;
    std::string m_record;
    std::string m_email;
};

/// What the detail pass of one side takes from the records it visits.
struct DetailJob
{
    /// (locator, row) of every row with a record on this side, sorted by locator.
    std::vector<std::pair<quint64, quint32>> wanted;
    /// Row -> index into fieldHashes (rows whose values differ), else -1.
    const std::vector<qint32> *hashSlot = nullptr;
    std::vector<quint64> fieldHashes; ///< slots x fields
    QByteArray emails;
    std::vector<std::pair<quint32, quint32>> emailAt; ///< per wanted item: offset, length
    Status status;
};

/**
 * The first pass over the side read second, when the side read first can be read again cheaply
 * and this one cannot (a plain CSV against a zipped export): each record is looked up in the
 * other side as it is read, and what the detail pass would take from a record that will be a row
 * (its email, and its field hashes when its values differ) is taken now, so that this side is
 * read only once.
 */
class Matcher
{
public:
    explicit Matcher(const std::vector<Entry> &other)
    {
        size_t size = 16;
        while (size < other.size() + other.size() / 3)
            size <<= 1;
        m_mask = size - 1;
        m_table.assign(size, Slot{});
        m_paired.assign(size, 0);
        for (size_t i = 0; i < other.size(); ++i) {
            if (i > 0 && other[i].email == other[i - 1].email)
                continue; // the merge pairs the first of each address
            const quint64 key = keyOf(other[i].email);
            size_t h = size_t(key) & m_mask;
            while (m_table[h].key)
                h = (h + 1) & m_mask;
            m_table[h] = Slot{key, compared(other[i])};
        }
    }

    /// Starts loading where `email` is looked up (match() or peek() soon after then finds it in
    /// the cache: one cache miss per record is most of a lookup's time).
    void prefetch(quint64 email) const { __builtin_prefetch(&m_table[size_t(keyOf(email)) & m_mask]); }

    /// Whether a record with these hashes and status will be a row (and so wants its details:
    /// its email, and its field hashes in case its values differ).
    bool match(const Entry &e)
    {
        const size_t h = find(e.email);
        if (h == kNone)
            return true;
        if (m_paired[h])
            return true; // a further record of a paired address: a duplicate
        m_paired[h] = 1;
        return m_table[h].compared != compared(e);
    }

    /// match() without noting the pairing, for several threads at once: a further record of a
    /// paired address is taken for the first (the detail pass then finds it was not taken).
    bool peek(const Entry &e) const
    {
        const size_t h = find(e.email);
        return h == kNone || m_table[h].compared != compared(e);
    }

private:
    static constexpr size_t kNone = ~size_t(0);
    /// The key 0 marks an empty slot: an email hashed to 0 shares the key of 1 (a wrong guess
    /// here only costs the detail pass a second reading).
    static quint64 keyOf(quint64 email) { return email ? email : 1; }
    /// The values and the consent level in one word: a row exactly when they differ (but for a
    /// 2^-64 chance, which again only costs a second reading).
    static quint64 compared(const Entry &e)
    {
        return e.values ^ (quint64(ConsentMapping::level(ContactStatus(e.status))) * 0x9E3779B97F4A7C15ULL);
    }
    size_t find(quint64 email) const
    {
        const quint64 key = keyOf(email);
        for (size_t h = size_t(key) & m_mask; m_table[h].key; h = (h + 1) & m_mask) {
            if (m_table[h].key == key)
                return h;
        }
        return kNone;
    }

    /// The other side's first record of an address, where its email hash puts it: 16 bytes, one
    /// cache miss per lookup.
    struct Slot
    {
        quint64 key = 0;
        quint64 compared = 0;
    };
    std::vector<Slot> m_table;
    std::vector<quint8> m_paired; ///< by slot; only match() uses it
    size_t m_mask = 0;
};

/// What the matching pass took, in reading order.
struct Captured
{
    std::vector<quint64> locators;
    std::vector<std::pair<quint32, quint32>> emailAt;
    std::vector<qint32> slot; ///< index into hashes / fields, or -1
    QByteArray emails;
    std::vector<quint64> hashes;
    bool inOrder = true; ///< locators ascending, as the lookup by locator needs
};

/// By email hash, then as the side has them: halves on two threads, then merged.
void sortEntries(std::vector<Entry> &entries);

/// The first pass over a side: every record hashed, then sorted.
void readSide(Side &side, bool isSource, const std::atomic_bool *cancel,
              const std::function<void(bool, qint64)> &report);

/// The email as the listing shows it: trimmed, at most 0xFFFF bytes.
QByteArrayView shownEmail(QByteArrayView email);

/// The detail pass over a side: the records of the rows, read again (visitAt()).
void detailSide(Side &side, DetailJob &job, int fields, const std::atomic_bool *cancel);

/// The first pass over the side read second, matched against the other as it is read.
void readSideMatching(Side &side, Matcher &matcher, Captured &captured, int fields, bool isSource,
                      const std::atomic_bool *cancel, const std::function<void(bool, qint64)> &report);

/**
 * readSide(), or readSideMatching() when `matcher` is set, on `workers` threads through
 * DiffRecordSource::scanParallel(). False when the side cannot be read so (then nothing is kept).
 * `start` as scanParallel() takes it; `abort` stops it as `cancel` does (the engine's own reasons).
 */
bool readSideParallel(Side &side, std::optional<Matcher> *matcher, Captured *captured, int fields, int workers,
                      bool isSource, const std::atomic_bool *cancel, const std::function<void(bool, qint64)> &report,
                      const DiffRecordSource::ParallelStart &start = {}, const std::atomic_bool *abort = nullptr);

/// The detail pass of a side read by readSideMatching(): from what it took. False when something
/// wanted was not taken (then the side is read again).
bool detailFromCaptured(const Captured &captured, DetailJob &job, int fields);

} // namespace DiffReading
