#include "integrity/diffengine.h"

#include "connectors/consentmapping.h"
#include "contacts/emailaddress.h"
#include "integrity/backuprecordsource.h"
#include "integrity/exportrecordsource.h"
#include "integrity/valuenormalisation.h"

#include <QElapsedTimer>
#include <QLoggingCategory>

#include <xxhash.h>

#include <algorithm>
#include <thread>

Q_LOGGING_CATEGORY(lcIntegrity, "stagecoach.integrity")

namespace {

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

/// By email hash, then as the side has them: halves on two threads, then merged.
void sortEntries(std::vector<Entry> &entries)
{
    const auto less = [](const Entry &a, const Entry &b) {
        return a.email != b.email ? a.email < b.email : a.locator < b.locator;
    };
    if (entries.size() < (1 << 16)) {
        std::sort(entries.begin(), entries.end(), less);
        return;
    }
    const auto middle = entries.begin() + qsizetype(entries.size() / 2);
    std::thread other([&] { std::sort(entries.begin(), middle, less); });
    std::sort(middle, entries.end(), less);
    other.join();
    std::inplace_merge(entries.begin(), middle, entries.end(), less);
}

void readSide(Side &side, bool isSource, const std::atomic_bool *cancel,
              const std::function<void(bool, qint64)> &report)
{
    RecordHasher hasher(side.types);
    side.status = side.source->scan(
        side.columns,
        [&](const DiffRecord &r) {
            side.entries.push_back(Entry{hasher.email(r.email), hasher.values(r.values), r.locator,
                                         quint32(std::min<qint64>(r.line, 0xFFFFFFFF)), quint8(r.status)});
            ++side.byStatus[size_t(r.status)];
            if (side.entries.size() % kProgressEvery == 0)
                report(isSource, qint64(side.entries.size()));
            return true;
        },
        cancel);
    sortEntries(side.entries);
}

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

/// The email as the listing shows it: trimmed, at most 0xFFFF bytes.
QByteArrayView shownEmail(QByteArrayView email)
{
    const QByteArrayView t = EmailAddress::trimmed(email);
    return t.first(std::min<qsizetype>(t.size(), 0xFFFF));
}

void detailSide(Side &side, DetailJob &job, int fields, const std::atomic_bool *cancel)
{
    RecordHasher hasher(side.types);
    size_t next = 0;
    job.emailAt.resize(job.wanted.size());
    std::vector<quint64> scratch(static_cast<size_t>(fields));
    std::vector<quint64> locators(job.wanted.size());
    for (size_t k = 0; k < job.wanted.size(); ++k)
        locators[k] = job.wanted[k].first;
    job.status = side.source->visitAt(
        locators, side.columns,
        [&](const DiffRecord &r) {
            while (next < job.wanted.size() && job.wanted[next].first < r.locator)
                ++next; // not met again: the file changed; the row keeps no email
            if (next >= job.wanted.size())
                return false;
            if (job.wanted[next].first != r.locator)
                return true;
            const quint32 row = job.wanted[next].second;
            const QByteArrayView email = shownEmail(r.email);
            job.emailAt[next] = {quint32(job.emails.size()), quint32(email.size())};
            job.emails.append(email.data(), email.size());
            if (const qint32 slot = (*job.hashSlot)[row]; slot >= 0) {
                hasher.values(r.values, scratch.data());
                std::copy(scratch.begin(), scratch.end(), job.fieldHashes.begin() + qsizetype(slot) * fields);
            }
            ++next;
            return true;
        },
        cancel);
}

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

void readSideMatching(Side &side, Matcher &matcher, Captured &captured, int fields, bool isSource,
                      const std::atomic_bool *cancel, const std::function<void(bool, qint64)> &report)
{
    RecordHasher hasher(side.types);
    std::vector<quint64> scratch(static_cast<size_t>(fields));
    side.status = side.source->scan(
        side.columns,
        [&](const DiffRecord &r) {
            const quint64 emailHash = hasher.email(r.email);
            matcher.prefetch(emailHash);
            const Entry e{emailHash, hasher.values(r.values), r.locator,
                          quint32(std::min<qint64>(r.line, 0xFFFFFFFF)), quint8(r.status)};
            side.entries.push_back(e);
            ++side.byStatus[size_t(r.status)];
            if (matcher.match(e)) {
                if (!captured.locators.empty() && captured.locators.back() >= r.locator)
                    captured.inOrder = false;
                captured.locators.push_back(r.locator);
                const QByteArrayView email = shownEmail(r.email);
                captured.emailAt.emplace_back(quint32(captured.emails.size()), quint32(email.size()));
                captured.emails.append(email.data(), email.size());
                captured.slot.push_back(qint32(captured.hashes.size() / size_t(std::max(fields, 1))));
                hasher.values(r.values, scratch.data());
                captured.hashes.insert(captured.hashes.end(), scratch.begin(), scratch.end());
            }
            if (side.entries.size() % kProgressEvery == 0)
                report(isSource, qint64(side.entries.size()));
            return true;
        },
        cancel);
    sortEntries(side.entries);
}


/**
 * readSide(), or readSideMatching() when `matcher` is set, on `workers` threads through
 * DiffRecordSource::scanParallel(). False when the side cannot be read so (then nothing is kept).
 */
bool readSideParallel(Side &side, std::optional<Matcher> *matcher, Captured *captured, int fields, int workers,
                      bool isSource, const std::atomic_bool *cancel, const std::function<void(bool, qint64)> &report)
{
    struct Worker
    {
        explicit Worker(const QList<CompareType> &types) : hasher(types) {}
        RecordHasher hasher;
        std::vector<Entry> entries;
        std::array<qint64, 8> byStatus{};
        Captured captured;
        std::vector<quint64> scratch;
    };
    std::vector<std::unique_ptr<Worker>> state;
    for (int w = 0; w < workers; ++w) {
        state.push_back(std::make_unique<Worker>(side.types));
        state.back()->scratch.resize(size_t(fields));
        state.back()->entries.reserve(1 << 16);
    }
    std::atomic<qint64> read{0};
    bool done = false;
    side.status = side.source->scanParallel(
        side.columns, workers,
        [&](int worker, const DiffRecord &r) {
            Worker &w = *state[size_t(worker)];
            const quint64 emailHash = w.hasher.email(r.email);
            if (matcher && *matcher)
                (*matcher)->prefetch(emailHash);
            const Entry e{emailHash, w.hasher.values(r.values), r.locator,
                          quint32(std::min<qint64>(r.line, 0xFFFFFFFF)), quint8(r.status)};
            w.entries.push_back(e);
            ++w.byStatus[size_t(r.status)];
            if (matcher && *matcher) {
                if ((*matcher)->peek(e)) {
                    Captured &c = w.captured;
                    c.locators.push_back(r.locator);
                    const QByteArrayView email = shownEmail(r.email);
                    c.emailAt.emplace_back(quint32(c.emails.size()), quint32(email.size()));
                    c.emails.append(email.data(), email.size());
                    c.slot.push_back(qint32(c.hashes.size() / size_t(std::max(fields, 1))));
                    w.hasher.values(r.values, w.scratch.data());
                    c.hashes.insert(c.hashes.end(), w.scratch.begin(), w.scratch.end());
                }
            }
            if (w.entries.size() % kProgressEvery == 0)
                report(isSource, read.fetch_add(kProgressEvery) + kProgressEvery);
            return true;
        },
        done, cancel);
    if (!done && side.status.ok()) {
        qCDebug(lcIntegrity) << side.source->displayName() << "cannot be read in pieces: read in one";
        return false;
    }
    if (matcher)
        matcher->reset(); // done with: its memory is the entries' now
    size_t total = 0;
    for (const auto &w : state)
        total += w->entries.size();
    side.entries.clear();
    side.entries.swap(state.front()->entries);
    side.entries.reserve(total);
    for (auto &w : state) {
        side.entries.insert(side.entries.end(), w->entries.begin(), w->entries.end());
        std::vector<Entry>().swap(w->entries);
        for (size_t k = 0; k < side.byStatus.size(); ++k)
            side.byStatus[k] += w->byStatus[k];
    }
    if (captured) {
        // The workers' takings in one list, by locator.
        std::vector<std::pair<quint64, std::pair<int, size_t>>> order;
        for (int w = 0; w < workers; ++w) {
            const Captured &c = state[size_t(w)]->captured;
            for (size_t k = 0; k < c.locators.size(); ++k)
                order.push_back({c.locators[k], {w, k}});
        }
        std::sort(order.begin(), order.end());
        for (const auto &[locator, at] : order) {
            const Captured &c = state[size_t(at.first)]->captured;
            const size_t k = at.second;
            captured->locators.push_back(locator);
            const auto [offset, length] = c.emailAt[k];
            captured->emailAt.emplace_back(quint32(captured->emails.size()), length);
            captured->emails.append(c.emails.constData() + offset, length);
            if (c.slot[k] >= 0) {
                captured->slot.push_back(qint32(captured->hashes.size() / size_t(std::max(fields, 1))));
                const auto from = c.hashes.begin() + qsizetype(c.slot[k]) * fields;
                captured->hashes.insert(captured->hashes.end(), from, from + fields);
            } else {
                captured->slot.push_back(-1);
            }
        }
        for (size_t k = 1; k < captured->locators.size(); ++k)
            captured->inOrder = captured->inOrder && captured->locators[k - 1] < captured->locators[k];
    }
    sortEntries(side.entries);
    return true;
}

/// The detail pass of a side read by readSideMatching(): from what it took. False when something
/// wanted was not taken (then the side is read again).
bool detailFromCaptured(const Captured &captured, DetailJob &job, int fields)
{
    if (!captured.inOrder) {
        qCDebug(lcIntegrity) << "the records taken are not in order: read again";
        return false;
    }
    job.emailAt.resize(job.wanted.size());
    size_t c = 0;
    for (size_t k = 0; k < job.wanted.size(); ++k) {
        const auto [locator, row] = job.wanted[k];
        while (c < captured.locators.size() && captured.locators[c] < locator)
            ++c;
        if (c >= captured.locators.size() || captured.locators[c] != locator) {
            qCDebug(lcIntegrity) << "a record that is a row was not taken (a duplicate): read again";
            return false;
        }
        const auto [offset, length] = captured.emailAt[c];
        job.emailAt[k] = {quint32(job.emails.size()), length};
        job.emails.append(captured.emails.constData() + offset, length);
        if (const qint32 slot = (*job.hashSlot)[row]; slot >= 0) {
            if (captured.slot[c] < 0)
                return false;
            const auto from = captured.hashes.begin() + qsizetype(captured.slot[c]) * fields;
            std::copy(from, from + fields, job.fieldHashes.begin() + qsizetype(slot) * fields);
        }
    }
    job.status = Status::success();
    return true;
}

Error cancelled()
{
    return Error(DiffEngine::tr("The comparison was cancelled."));
}

} // namespace

std::shared_ptr<DiffRecordSource> DiffEngine::sideFor(const QString &path, const DiffMappingFile *mapping,
                                                      bool sourceSide)
{
    if (BackupRecordSource::isBackupFolder(path))
        return std::make_shared<BackupRecordSource>(path);
    auto side = std::make_shared<ExportRecordSource>(path);
    if (mapping) {
        using Role = DiffMappingFile::Row::Role;
        if (const auto *r = mapping->special(Role::Email))
            side->setEmailColumn(sourceSide ? r->source : r->target);
        if (const auto *r = mapping->special(Role::Status))
            side->setStatusColumn(sourceSide ? r->source : r->target);
    }
    return side;
}

Result<DiffResult> DiffEngine::compare(DiffInput input, const std::atomic_bool *cancel,
                                       const ProgressHandler &progress)
{
    if (!input.source || !input.target)
        return Error(tr("Nothing to compare."));
    if (const Status s = input.source->open(); !s)
        return s.error();
    if (const Status s = input.target->open(); !s)
        return s.error();

    DiffMapping mapping;
    if (input.mapping) {
        mapping = *input.mapping;
    } else {
        Result<DiffMapping> m = input.mappingFile
            ? DiffMapping::fromFile(*input.mappingFile, *input.source, *input.target)
            : DiffMapping::automatic(*input.source, *input.target);
        if (!m)
            return m.error();
        mapping = std::move(m).value();
    }
    const int fields = int(mapping.fields.size());

    Side a, b;
    a.source = input.source.get();
    b.source = input.target.get();
    for (const DiffFieldPair &f : std::as_const(mapping.fields)) {
        a.columns.append(f.sourceField);
        b.columns.append(f.targetField);
        a.types.append(f.type);
        b.types.append(f.type);
    }

    QElapsedTimer clock;
    clock.start();
    // Pass 1: both sides at once.
    std::atomic<qint64> readA{0}, readB{0};
    const auto report = [&](bool isSource, qint64 n) {
        (isSource ? readA : readB).store(n);
        if (progress)
            progress(DiffProgress{DiffProgress::Phase::Reading, readA.load(), readB.load()});
    };
    // A side that can be read again cheaply (a plain CSV) against one that cannot (a zip): the
    // first is read alone, then the second once, matched as it is read (readSideMatching).
    // Otherwise both at once, and the differing records read again after the merge.
    Captured captured;
    Side *matched = nullptr;
    if (a.source->seekable() != b.source->seekable()) {
        // One side after the other, each on both cores where the side can be cut into pieces.
        Side &first = a.source->seekable() ? a : b;
        matched = &(&first == &a ? b : a);
        if (!readSideParallel(first, nullptr, nullptr, fields, kWorkers, &first == &a, cancel, report))
            readSide(first, &first == &a, cancel, report);
        qCDebug(lcIntegrity) << "read" << first.source->displayName() << "in" << clock.elapsed() << "ms";
        if (first.status.ok() && !(cancel && cancel->load())) {
            std::optional<Matcher> matcher(std::in_place, first.entries);
            if (!readSideParallel(*matched, &matcher, &captured, fields, kWorkers, matched == &a, cancel, report)) {
                captured = Captured();
                readSideMatching(*matched, *matcher, captured, fields, matched == &a, cancel, report);
            }
        }
    } else {
        std::thread other([&] { readSide(b, false, cancel, report); });
        readSide(a, true, cancel, report);
        other.join();
    }
    if (!a.status.ok())
        return a.status.error();
    if (!b.status.ok())
        return b.status.error();
    if (cancel && cancel->load())
        return cancelled();
    if (progress)
        progress(DiffProgress{DiffProgress::Phase::Comparing, qint64(a.entries.size()), qint64(b.entries.size())});

    qCDebug(lcIntegrity) << "read both sides in" << clock.elapsed() << "ms";
    // Merge the sorted arrays.
    DiffResult result;
    DiffSummary &s = result.summary;
    s.source = input.source->displayName();
    s.target = input.target->displayName();
    s.sourceRecords = qint64(a.entries.size());
    s.targetRecords = qint64(b.entries.size());
    s.sourceByStatus = a.byStatus;
    s.targetByStatus = b.byStatus;
    s.changedByField = QList<qint64>(fields, 0);
    s.fields = mapping.fields;
    s.notComparedSource = mapping.notComparedSource;
    s.notComparedTarget = mapping.notComparedTarget;
    std::vector<DiffRow> &rows = result.m_rows;
    std::vector<qint32> hashSlot; // per row: its slot in the field hashes, or -1
    qint32 slots = 0;

    const auto single = [&](const Entry &e, bool onSource, DiffKind kind) {
        DiffRow r;
        r.kind = kind;
        (onSource ? r.sourceLocator : r.targetLocator) = e.locator;
        (onSource ? r.sourceLine : r.targetLine) = e.line;
        (onSource ? r.sourceStatus : r.targetStatus) = e.status;
        r.emailFromTarget = !onSource;
        rows.push_back(r);
        hashSlot.push_back(-1);
    };
    size_t i = 0, j = 0;
    const auto &ea = a.entries;
    const auto &eb = b.entries;
    while (i < ea.size() || j < eb.size()) {
        const bool takeA = j >= eb.size() || (i < ea.size() && ea[i].email <= eb[j].email);
        const bool takeB = i >= ea.size() || (j < eb.size() && eb[j].email <= ea[i].email);
        if (takeA && takeB) {
            const Entry &x = ea[i], &y = eb[j];
            const ContactStatus xs = ContactStatus(x.status), ys = ContactStatus(y.status);
            const bool statusDiffers = ConsentMapping::level(xs) != ConsentMapping::level(ys);
            if (x.values == y.values && !statusDiffers) {
                ++s.identical;
            } else {
                DiffRow r;
                r.kind = ConsentMapping::isConsentViolation(xs, ys) ? DiffKind::ConsentViolation : DiffKind::Changed;
                r.sourceLocator = x.locator;
                r.targetLocator = y.locator;
                r.sourceLine = x.line;
                r.targetLine = y.line;
                r.sourceStatus = x.status;
                r.targetStatus = y.status;
                r.fieldMask = statusDiffers ? DiffRow::kStatusBit : 0;
                rows.push_back(r);
                hashSlot.push_back(x.values != y.values ? slots++ : -1);
                ++s.changed;
                s.consentViolations += r.kind == DiffKind::ConsentViolation ? 1 : 0;
                s.statusChanged += statusDiffers ? 1 : 0;
            }
        } else if (takeA) {
            single(ea[i], true, DiffKind::Missing);
            ++s.missing;
        } else {
            single(eb[j], false, DiffKind::Extra);
            ++s.extra;
        }
        // Further records of the same email on either side: duplicates, each a row.
        const quint64 key = takeA ? ea[i].email : eb[j].email;
        if (takeA) {
            for (++i; i < ea.size() && ea[i].email == key; ++i) {
                single(ea[i], true, DiffKind::DuplicateInSource);
                ++s.sourceDuplicates;
            }
        }
        if (takeB) {
            for (++j; j < eb.size() && eb[j].email == key; ++j) {
                single(eb[j], false, DiffKind::DuplicateInTarget);
                ++s.targetDuplicates;
            }
        }
    }
    // The compact arrays are done with.
    std::vector<Entry>().swap(a.entries);
    std::vector<Entry>().swap(b.entries);

    qCDebug(lcIntegrity) << "merged in" << clock.elapsed() << "ms";
    // Pass 2: the differing records only, both sides at once.
    if (progress)
        progress(DiffProgress{DiffProgress::Phase::Details, 0, 0});
    DetailJob ja, jb;
    ja.hashSlot = &hashSlot;
    jb.hashSlot = &hashSlot;
    for (quint32 r = 0; r < quint32(rows.size()); ++r) {
        if (rows[r].sourceLocator != DiffRow::kNone)
            ja.wanted.emplace_back(rows[r].sourceLocator, r);
        if (rows[r].targetLocator != DiffRow::kNone)
            jb.wanted.emplace_back(rows[r].targetLocator, r);
    }
    std::sort(ja.wanted.begin(), ja.wanted.end());
    std::sort(jb.wanted.begin(), jb.wanted.end());
    ja.fieldHashes.resize(size_t(slots) * size_t(fields));
    jb.fieldHashes.resize(size_t(slots) * size_t(fields));
    if (!rows.empty()) {
        DetailJob &fromCaptured = matched == &a ? ja : jb;
        if (matched && detailFromCaptured(captured, fromCaptured, fields))
            detailSide(matched == &a ? b : a, matched == &a ? jb : ja, fields, cancel);
        else {
            if (matched) { // not all taken: read it again after all
                fromCaptured.emails.clear();
                fromCaptured.emailAt.clear();
            }
            std::thread other([&] { detailSide(b, jb, fields, cancel); });
            detailSide(a, ja, fields, cancel);
            other.join();
        }
    }
    captured = Captured();
    if (!ja.status.ok())
        return ja.status.error();
    if (!jb.status.ok())
        return jb.status.error();
    if (cancel && cancel->load())
        return cancelled();

    for (size_t k = 0; k < ja.wanted.size(); ++k) {
        DiffRow &r = rows[ja.wanted[k].second];
        r.emailOffset = ja.emailAt[k].first;
        r.emailLength = quint16(ja.emailAt[k].second);
    }
    for (size_t k = 0; k < jb.wanted.size(); ++k) {
        DiffRow &r = rows[jb.wanted[k].second];
        if (r.emailFromTarget) {
            r.emailOffset = jb.emailAt[k].first;
            r.emailLength = quint16(jb.emailAt[k].second);
        }
    }
    for (size_t r = 0; r < rows.size(); ++r) {
        const qint32 slot = hashSlot[r];
        if (slot < 0)
            continue;
        const quint64 *x = ja.fieldHashes.data() + size_t(slot) * size_t(fields);
        const quint64 *y = jb.fieldHashes.data() + size_t(slot) * size_t(fields);
        for (int f = 0; f < fields; ++f) {
            if (x[f] != y[f]) {
                rows[r].fieldMask |= quint64(1) << f;
                ++s.changedByField[f];
            }
        }
    }
    std::vector<qint32>().swap(hashSlot);
    result.m_sourceEmails = std::move(ja.emails);
    result.m_targetEmails = std::move(jb.emails);

    qCDebug(lcIntegrity) << "details in" << clock.elapsed() << "ms";
    // Listing order: by kind, then as the files have them.
    std::stable_sort(rows.begin(), rows.end(), [](const DiffRow &x, const DiffRow &y) {
        if (x.kind != y.kind)
            return x.kind < y.kind;
        const quint64 lx = x.emailFromTarget ? x.targetLocator : x.sourceLocator;
        const quint64 ly = y.emailFromTarget ? y.targetLocator : y.sourceLocator;
        return lx < ly;
    });
    for (size_t k = 0, r = 0; k <= DiffKinds::kAll.size(); ++k) {
        while (r < rows.size() && size_t(rows[r].kind) < k)
            ++r;
        result.m_kindBegin[k] = qsizetype(r);
    }
    result.m_source = std::move(input.source);
    result.m_target = std::move(input.target);
    result.m_sourceColumns = a.columns;
    result.m_targetColumns = b.columns;
    qCInfo(lcIntegrity) << "compared" << s.sourceRecords << "with" << s.targetRecords << "records:" << rows.size()
                        << "differences";
    if (progress)
        progress(DiffProgress{DiffProgress::Phase::Done, s.sourceRecords, s.targetRecords});
    return result;
}
